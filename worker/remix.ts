import { createRequestHandler, type ServerBuild } from "@remix-run/cloudflare";
import * as build from "#build/server";
import { Database } from "./db/client";
import type { Config, Env } from "./env";
import { readConfig } from "./env";
import { logError, logRequest } from "./lib/logging";
import { isSameOrAllowedOrigin } from "./lib/origin";
import { type RequestMeta, requestMetaOf } from "./lib/request-meta";
import { API_CSP, applySecurityHeaders, pageCsp } from "./lib/security-headers";

/** What every Remix loader and action receives as `context`. */
export interface PageContext {
  env: Env;
  ctx: ExecutionContext;
  config: Config;
  database: Database;
  meta: RequestMeta;
  /** Nonce for the inline scripts of this response (CSP). */
  nonce: string;
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
  const database = new Database(config.DATABASE_URL, config.NEON_LOCAL_PROXY);
  const nonce = crypto.randomUUID().replaceAll("-", "");
  try {
    const response = await handleRequest(request, {
      env,
      ctx,
      config,
      database,
      meta: requestMetaOf(request, requestId),
      nonce,
    });
    const headers = new Headers(response.headers);
    applySecurityHeaders(headers, pageCsp(nonce));
    headers.set("X-Request-Id", requestId);
    return new Response(response.body, {
      status: response.status,
      statusText: response.statusText,
      headers,
    });
  } catch (error) {
    logError(requestId, error);
    return new Response("Something went wrong on our side.", { status: 500 });
  } finally {
    ctx.waitUntil(database.close());
  }
}
