import { createRequestHandler, type ServerBuild } from "@remix-run/cloudflare";
import * as build from "#build/server";
import { readCredential } from "./auth/credentials";
import { Database } from "./db/client";
import type { Config, Env } from "./env";
import { readConfig } from "./env";
import { deliverAfterCommit } from "./lib/after-commit";
import { ApiError } from "./lib/errors";
import { logError, logRequest } from "./lib/logging";
import { isSameOrAllowedOrigin } from "./lib/origin";
import { PageUnit } from "./lib/page-unit";
import { type RequestMeta, requestMetaOf } from "./lib/request-meta";
import { API_CSP, applySecurityHeaders, pageCsp } from "./lib/security-headers";
import { limitCaller } from "./rate-limit/enforce";

/** What every Remix loader and action receives as `context`. */
export interface PageContext {
  env: Env;
  ctx: ExecutionContext;
  config: Config;
  database: Database;
  meta: RequestMeta;
  /** Nonce for the inline scripts of this response (CSP). */
  nonce: string;
  /** A page read's one transaction, shared by its session check and loaders (null for posts). */
  pageUnit: PageUnit | null;
}

declare module "@remix-run/cloudflare" {
  interface AppLoadContext extends PageContext {}
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Forms post only from our own pages; a cross-site post is a 403, not a Remix error. */
function refuseCrossSitePost(requestId: string): Response {
  const headers = new Headers({
    "Content-Type": "text/plain; charset=utf-8",
    "X-Request-Id": requestId,
  });
  applySecurityHeaders(headers, API_CSP);
  return new Response("Cross-site form submission refused.", { status: 403, headers });
}

const handleRequest = createRequestHandler(build as unknown as ServerBuild);

/** Renders a page with the Remix app; the database handle is closed on every path. */
export async function renderPage(
  request: Request,
  env: Env,
  ctx: ExecutionContext,
): Promise<Response> {
  const requestId = crypto.randomUUID();
  const started = performance.now();
  const response = await renderWithRemix(request, env, ctx, requestId);
  logRequest({
    requestId,
    method: request.method,
    route: "page",
    path: new URL(request.url).pathname,
    status: response.status,
    durationMs: Math.round(performance.now() - started),
  });
  return response;
}

async function renderWithRemix(
  request: Request,
  env: Env,
  ctx: ExecutionContext,
  requestId: string,
): Promise<Response> {
  const config = readConfig(env);
  if (
    !SAFE_METHODS.has(request.method) &&
    !isSameOrAllowedOrigin(request, config.ALLOWED_ORIGINS)
  ) {
    return refuseCrossSitePost(requestId);
  }
  const limited = await limitPage(request, env, config);
  if (limited) return limited;
  const database = new Database(config.DATABASE_URL, config.NEON_LOCAL_PROXY);
  const meta = requestMetaOf(request, requestId);
  const pageUnit = SAFE_METHODS.has(request.method)
    ? new PageUnit(
        database,
        meta,
        deliverAfterCommit(env, (promise) => ctx.waitUntil(promise)),
      )
    : null;
  const nonce = crypto.randomUUID().replaceAll("-", "");
  try {
    const response = await handleRequest(request, {
      env,
      ctx,
      config,
      database,
      meta,
      nonce,
      pageUnit,
    });
    await pageUnit?.finish();
    const headers = new Headers(response.headers);
    applySecurityHeaders(headers, pageCsp(nonce));
    headers.set("X-Request-Id", requestId);
    headers.append("Server-Timing", database.serverTiming());
    return new Response(response.body, {
      status: response.status,
      statusText: response.statusText,
      headers,
    });
  } catch (error) {
    logError(requestId, error);
    return new Response("Something went wrong on our side.", { status: 500 });
  } finally {
    // On every path the page's transaction ends before its connection closes.
    const ended = pageUnit?.finish().catch(() => undefined) ?? Promise.resolve();
    ctx.waitUntil(ended.then(() => database.close()));
  }
}

/** Signed-in page requests spend the same rate-limit tokens as API calls (429 when empty). */
async function limitPage(request: Request, env: Env, config: Config): Promise<Response | null> {
  const presented = await readCredential(request, config);
  if (!presented) return null;
  try {
    await limitCaller(env, config, presented.credential);
    return null;
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 429) throw error;
    const headers = new Headers({ ...error.headers, "Content-Type": "text/plain; charset=utf-8" });
    applySecurityHeaders(headers, API_CSP);
    return new Response(error.message, { status: 429, headers });
  }
}
