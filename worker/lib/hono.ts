import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { Credential } from "../auth/actor";
import type { Database } from "../db/client";
import type { Config, Env } from "../env";
import { publishToOrg } from "../realtime/publish";
import { ApiError } from "./errors";
import type { RequestMeta } from "./request-meta";
import { type Publisher, runAsActor, type TenantScope } from "./scope";
import { zodFieldErrors } from "./validation";

/** The typed Hono context every route sees: bindings plus per-request services. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    config: Config;
    database: Database;
    meta: RequestMeta;
    /** Set by `authenticate()`; checked against the database inside `withTenant`. */
    credential: Credential;
    /** Filled once the actor is known, for the request log line. */
    logContext: { orgId?: string; userId?: string | null };
  };
}

export type AppContext = Context<AppEnv>;

/** A router whose validation failures become the API's 422 envelope. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw ApiError.validation(zodFieldErrors(result.error));
    },
  });
}

/** Publishes to an organization's room once the response is on its way (after commit). */
export function publisherOf(c: AppContext): Publisher {
  return (orgId, events) => c.executionCtx.waitUntil(publishToOrg(c.env, orgId, events));
}

/** Runs tenant work for the authenticated caller; events are published after commit. */
export function withTenant<T>(c: AppContext, work: (scope: TenantScope) => Promise<T>): Promise<T> {
  return runAsActor(c.var.database, c.var.credential, c.var.meta, publisherOf(c), async (scope) => {
    c.set("logContext", { orgId: scope.actor.orgId, userId: scope.actor.userId });
    return work(scope);
  });
}

/** The pieces of the request that rate limiting and password checks need, as page actions have them. */
export function attemptContext(c: AppContext) {
  return { env: c.env, config: c.var.config, meta: c.var.meta, database: c.var.database };
}
