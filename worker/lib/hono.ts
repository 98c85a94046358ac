import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { Credential } from "../auth/actor";
import type { Database } from "../db/client";
import type { Config, Env } from "../env";
import { deliverAfterCommit } from "./after-commit";
import { ApiError } from "./errors";
import type { RequestMeta } from "./request-meta";
import { runAsActor, type TenantScope } from "./scope";
import type { AfterCommit } from "./unit-of-work";
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

/** A request's after-commit step: events and jobs go out once the response is on its way. */
export function afterCommitOf(c: AppContext): AfterCommit {
  return deliverAfterCommit(c.env, (promise) => c.executionCtx.waitUntil(promise));
}

/** Runs tenant work for the authenticated caller as one unit of work (worker/lib/unit-of-work.ts). */
export function withTenant<T>(c: AppContext, work: (scope: TenantScope) => Promise<T>): Promise<T> {
  return runAsActor(
    c.var.database,
    c.var.credential,
    c.var.meta,
    afterCommitOf(c),
    async (scope) => {
      c.set("logContext", { orgId: scope.actor.orgId, userId: scope.actor.userId });
      return work(scope);
    },
  );
}

/** The pieces of the request that rate limiting and password checks need, as page actions have them. */
export function attemptContext(c: AppContext) {
  return { env: c.env, config: c.var.config, meta: c.var.meta, database: c.var.database };
}
