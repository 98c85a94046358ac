import { createRoute, type RouteConfig } from "@hono/zod-openapi";
import { bearerSecurity } from "../lib/openapi";
import { authenticate } from "./middleware";

/** A route that requires a credential: documented as such and guarded by `authenticate()`. */
export function authenticatedRoute<
  P extends string,
  R extends Omit<RouteConfig, "path" | "middleware" | "security"> & { path: P },
>(route: R) {
  return createRoute({
    ...route,
    security: bearerSecurity,
    middleware: [authenticate()] as const,
  });
}
