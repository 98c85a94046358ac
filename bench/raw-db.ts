import { neonConfig, Pool, type PoolClient } from "@neondatabase/serverless";
import ws from "ws";
import { microtaskCoalescing } from "../worker/db/coalescing-websocket";
import type { Task } from "./lib";

/** Who the access token names: the same values the Worker takes from the verified JWT. */
export interface Claims {
  sub: string;
  org: string;
  sid: string;
}

/**
 * The Neon driver in Node, set up like worker/db/client.ts: a WebSocket constructor (Node has
 * no global one the driver can use) and, locally, the plain-ws proxy in front of PostgreSQL.
 */
export function configureNeonDriver(localProxy: string | null) {
  // As worker/db/client.ts: one frame per statement, flushed at the next microtask.
  neonConfig.coalesceWrites = false;
  neonConfig.webSocketConstructor = microtaskCoalescing(
    ws as unknown as Parameters<typeof microtaskCoalescing>[0],
  );
  if (!localProxy) return;
  neonConfig.wsProxy = () => `${localProxy}/v2`;
  neonConfig.useSecureWebSocket = false;
  neonConfig.pipelineTLS = false;
  neonConfig.pipelineConnect = "password";
}

// The statements drizzle generates for GET /api/v1/auth/me (printed with drizzle's toSQL()
// from worker/auth/actor.ts loadUserActor and worker/auth/service.ts describeActor).
const SET_SCOPE = "select set_config('app.org_id', $1, true), set_config('app.user_id', $2, true)";
const LOAD_USER_ACTOR =
  'select "memberships"."role", "users"."name", exists (select 1 from "sessions" where "sessions"."family_id" = $1 and "sessions"."revoked_at" is null and "sessions"."expires_at" > now()) from "memberships" inner join "users" on "users"."id" = "memberships"."user_id" where ("memberships"."org_id" = $2 and "memberships"."user_id" = $3 and "memberships"."status" = $4)';
const SELECT_ORGANIZATION =
  'select "id", "name", "slug", "created_at", "updated_at" from "organizations" where "organizations"."id" = $1';
const SELECT_USER =
  'select "id", "email", "name", "password_hash", "last_login_at", "created_at", "updated_at" from "users" where "users"."id" = $1';
const USER_MEMBERSHIPS =
  'select "memberships"."role", "organizations"."id", "organizations"."name", "organizations"."slug", "organizations"."created_at", "organizations"."updated_at" from "memberships" inner join "organizations" on "organizations"."id" = "memberships"."org_id" where ("memberships"."user_id" = $1 and "memberships"."status" = $2) order by "memberships"."created_at" asc';

/** What the transactions below need of a connection: the Neon driver's or node-postgres's. */
export interface Queryable {
  query(config: {
    text: string;
    values: unknown[];
    rowMode: "array";
  }): Promise<{ rows: unknown[][] }>;
}

/** drizzle sends selects in array row mode through the extended protocol; so do we. */
export function query(client: Queryable, text: string, values: unknown[] = []) {
  return client.query({ text, values, rowMode: "array" });
}

/**
 * drizzle's `db.transaction`: begin, the work, commit; rollback when the work fails or (here)
 * returns a failure label instead of null.
 */
async function inTransaction(
  client: Queryable,
  work: () => Promise<string | null>,
): Promise<string | null> {
  await query(client, "begin");
  try {
    const failure = await work();
    await query(client, failure === null ? "commit" : "rollback");
    return failure;
  } catch (error) {
    await query(client, "rollback").catch(() => {});
    throw error;
  }
}

/** worker/auth/actor.ts loadUserActor: the caller's membership and a live session, or a label. */
async function checkActor(client: Queryable, claims: Claims): Promise<string | null> {
  const actor = await query(client, LOAD_USER_ACTOR, [
    claims.sid,
    claims.org,
    claims.sub,
    "active",
  ]);
  return actor.rows[0]?.[2] === true ? null : "session not live";
}

/** The /auth/me transaction, statement for statement, on a client checked out of the pool. */
export function meTransaction(client: Queryable, claims: Claims): Promise<string | null> {
  return inTransaction(client, async () => {
    await query(client, SET_SCOPE, [claims.org, claims.sub]);
    const actorFailure = await checkActor(client, claims);
    if (actorFailure) return actorFailure;
    const organization = await query(client, SELECT_ORGANIZATION, [claims.org]);
    if (organization.rows.length !== 1) return "organization not visible";
    await query(client, SELECT_USER, [claims.sub]);
    await query(client, SET_SCOPE, ["", claims.sub]);
    await query(client, USER_MEMBERSHIPS, [claims.sub, "active"]);
    await query(client, SET_SCOPE, [claims.org, claims.sub]);
    return null;
  });
}

/**
 * What `withTenant` (worker/lib/hono.ts) wraps around a tenant service: one transaction, the
 * caller's scope set first, the credential checked against the database, then the service's
 * own statements (`work`).
 */
export function tenantTransaction(
  client: Queryable,
  claims: Claims,
  work: () => Promise<string | null>,
): Promise<string | null> {
  return inTransaction(client, async () => {
    await query(client, SET_SCOPE, [claims.org, claims.sub]);
    return (await checkActor(client, claims)) ?? (await work());
  });
}

const ignoreError = () => {};

/**
 * One iteration = one request's database work in the Worker: a new Pool (max 2, as in
 * worker/db/client.ts), connect, `work` on the client, release. The Worker ends its pool in
 * `ctx.waitUntil`, after the response has gone out; likewise `pool.end()` here is started
 * when the work is done, outside the timed window, and handed to `onPoolEnd` so the caller
 * can await every one of them at the end of the phase.
 */
export async function withRequestPool(
  connectionString: string,
  signal: AbortSignal,
  onPoolEnd: (ending: Promise<void>) => void,
  work: (client: PoolClient) => Promise<string | null>,
): Promise<string | null> {
  const pool = new Pool({ connectionString, max: 2 });
  // A connection dropped between statements (e.g. the stack stopping on Ctrl-C) surfaces as the
  // failing statement's error; unheard, the extra "error" event would crash the process.
  pool.on("error", ignoreError);
  let ending: Promise<void> | null = null;
  const end = () => {
    ending ??= pool.end().catch(() => {});
    return ending;
  };
  signal.addEventListener("abort", () => void end(), { once: true });
  try {
    const client = await pool.connect();
    client.on("error", ignoreError);
    try {
      return await work(client);
    } finally {
      client.release();
    }
  } finally {
    onPoolEnd(end());
  }
}

/** GET /api/v1/auth/me's database work, one request per task. */
export function rawMeTask(
  connectionString: string,
  claims: Claims,
  onPoolEnd: (ending: Promise<void>) => void,
): Task {
  return (signal) =>
    withRequestPool(connectionString, signal, onPoolEnd, (client) => meTransaction(client, claims));
}
