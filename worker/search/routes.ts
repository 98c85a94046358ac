import { z } from "@hono/zod-openapi";
import { authenticatedRoute } from "../auth/authenticated-route";
import { ok } from "../lib/envelope";
import { type createRouter, withTenant } from "../lib/hono";
import { errorResponses, jsonResponse } from "../lib/openapi";
import { searchQuerySchema, searchResultSchema } from "./schemas";
import { search } from "./service";

const searchRoute = authenticatedRoute({
  method: "get",
  path: "/search",
  tags: ["Search"],
  summary: "Search contacts, companies, leads and deals at once (typo-tolerant; phone numbers too)",
  request: { query: searchQuerySchema },
  responses: {
    200: jsonResponse(z.array(searchResultSchema), "Results, best first"),
    ...errorResponses,
  },
});

export function registerSearchRoutes(app: ReturnType<typeof createRouter>) {
  app.openapi(searchRoute, async (c) => {
    const { q, limit } = c.req.valid("query");
    const results = await withTenant(c, (scope) => search(scope, q, limit));
    return c.json(ok(results), 200);
  });
}
