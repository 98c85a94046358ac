import { createRequestHandler, type ServerBuild } from "@remix-run/cloudflare";
import * as build from "#build/server";
import { Database } from "./db/client";
import type { Config, Env } from "./env";
import { readConfig } from "./env";
import { logError } from "./lib/logging";
import { type RequestMeta, requestMetaOf } from "./lib/request-meta";
import { applySecurityHeaders, pageCsp } from "./lib/security-headers";

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

const handleRequest = createRequestHandler(build as unknown as ServerBuild);

/** Renders a page with the Remix app; the database handle is closed on every path. */
export async function renderPage(
  request: Request,
  env: Env,
  ctx: ExecutionContext,
): Promise<Response> {
  const requestId = crypto.randomUUID();
  const config = readConfig(env);
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
