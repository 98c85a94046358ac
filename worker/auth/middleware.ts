import { createMiddleware } from "hono/factory";
import { ApiError } from "../lib/errors";
import type { AppContext, AppEnv } from "../lib/hono";
import { isSameOrAllowedOrigin } from "../lib/origin";
import { limitCaller, rateLimitHeaders } from "../rate-limit/enforce";
import { readCredential } from "./credentials";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * The one Origin rule for the API: a request that carries our cookies as its credential and
 * writes (any unsafe method, and every WebSocket upgrade) must come from our own origin or one
 * configured in ALLOWED_ORIGINS; otherwise 403. Bearer credentials are never sent by a browser
 * on its own, so they need no Origin. Used by `authenticate()`, sign-out and the realtime upgrade.
 */
export function requireOwnOriginForCookies(c: AppContext, credentialFromCookie: boolean) {
  if (!credentialFromCookie) return;
  const upgrade = c.req.header("upgrade")?.toLowerCase() === "websocket";
  if (SAFE_METHODS.has(c.req.method) && !upgrade) return;
  if (!isSameOrAllowedOrigin(c.req.raw, c.var.config.ALLOWED_ORIGINS)) {
    throw ApiError.forbidden("Cross-site request refused.");
  }
}

/**
 * Requires a valid credential and spends the caller's rate-limit tokens. The credential is
 * checked against the database (membership, session, key) inside the request's transaction.
 */
export function authenticate() {
  return createMiddleware<AppEnv>(async (c, next) => {
    const verifying = performance.now();
    const presented = await readCredential(c.req.raw, c.var.config);
    const verifyMs = performance.now() - verifying;
    if (!presented) throw ApiError.unauthenticated();
    requireOwnOriginForCookies(c, presented.source === "cookie");
    const limiting = performance.now();
    const decision = await limitCaller(c.env, c.var.config, presented.credential);
    const limitMs = performance.now() - limiting;
    c.set("credential", presented.credential);
    await next();
    for (const [name, value] of Object.entries(rateLimitHeaders(decision))) c.header(name, value);
    c.header("Server-Timing", `auth;dur=${verifyMs.toFixed(1)}`, { append: true });
    c.header("Server-Timing", `limit;dur=${limitMs.toFixed(1)}`, { append: true });
  });
}
