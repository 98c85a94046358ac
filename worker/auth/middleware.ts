import { createMiddleware } from "hono/factory";
import { ApiError } from "../lib/errors";
import type { AppEnv } from "../lib/hono";
import { isSameOrAllowedOrigin } from "../lib/origin";
import { enforceRateLimits, rateLimitHeaders } from "../rate-limit/enforce";
import { credentialOrg, principalKey, readCredential } from "./credentials";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Requires a valid credential and spends the caller's rate-limit tokens. The credential is
 * checked against the database (membership, session, key) inside the request's transaction.
 */
export function authenticate() {
  return createMiddleware<AppEnv>(async (c, next) => {
    const presented = await readCredential(c.req.raw, c.var.config);
    if (!presented) throw ApiError.unauthenticated();
    if (presented.source === "cookie" && !SAFE_METHODS.has(c.req.method)) {
      if (!isSameOrAllowedOrigin(c.req.raw, c.var.config.ALLOWED_ORIGINS)) {
        throw ApiError.forbidden("Cross-site request refused.");
      }
    }
    const decision = await enforceRateLimits(c.env, c.var.config.RATE_LIMIT_MULTIPLIER, [
      { limit: "apiByPrincipal", key: principalKey(presented.credential) },
      { limit: "apiByOrg", key: credentialOrg(presented.credential) },
    ]);
    c.set("credential", presented.credential);
    await next();
    for (const [name, value] of Object.entries(rateLimitHeaders(decision))) c.header(name, value);
  });
}
