import { neonConfig, Pool } from "@neondatabase/serverless";
import { sql } from "drizzle-orm";
import { drizzle, type NeonDatabase } from "drizzle-orm/neon-serverless";
import * as crmSchema from "./crm-schema";
import * as identitySchema from "./schema";
import * as telephonySchema from "./telephony-schema";

const schema = { ...identitySchema, ...crmSchema, ...telephonySchema };

export type Db = NeonDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** Whose rows a transaction may see: an organization, a user outside any organization, or both. */
export interface DbScope {
  orgId: string | null;
  userId: string | null;
}

let proxyConfigured: string | undefined;

/**
 * Locally the Neon driver talks to a WebSocket-to-TCP proxy in front of a plain PostgreSQL
 * (scripts/lib/neon-proxy.ts); in production it talks to Neon's own endpoint.
 */
function configureLocalProxy(localProxy: string | undefined) {
  if (!localProxy || proxyConfigured === localProxy) return;
  neonConfig.wsProxy = () => `${localProxy}/v2`;
  neonConfig.useSecureWebSocket = false;
  neonConfig.pipelineTLS = false;
  // As against Neon: the password travels pipelined with the startup message (see
  // scripts/lib/postgres.ts for why the local cluster asks for it in plain text on loopback).
  neonConfig.pipelineConnect = "password";
  proxyConfigured = localProxy;
}

/** Sets (or switches) the row-level security scope for the rest of the transaction. */
export async function applyScope(tx: Tx, scope: DbScope): Promise<void> {
  await tx.execute(
    sql`select set_config('app.org_id', ${scope.orgId ?? ""}, true), set_config('app.user_id', ${scope.userId ?? ""}, true)`,
  );
}

function isSocketClosedAtRequestEnd(message: string | undefined): boolean {
  return /network connection lost|connection terminated/i.test(message ?? "");
}

/**
 * One database handle per request. The pool opens its socket on first use and must be closed
 * on every path: callers hand `close()` to `ctx.waitUntil`.
 */
export class Database {
  #pool: Pool | null = null;
  #db: Db | null = null;

  constructor(
    private readonly connectionString: string,
    localProxy?: string,
  ) {
    configureLocalProxy(localProxy);
  }

  get db(): Db {
    if (!this.#db) {
      const pool = new Pool({ connectionString: this.connectionString, max: 2 });
      // An idle client whose socket drops emits on the pool; without a listener that would
      // surface as an uncaught error. When the request ends, workerd closes its sockets
      // ("Network connection lost"): expected, not a fault, so only other causes are logged.
      pool.on("error", (error: { message?: string }) => {
        if (isSocketClosedAtRequestEnd(error.message)) return;
        console.warn(
          JSON.stringify({
            level: "warn",
            msg: "idle database client failed",
            error: error.message,
          }),
        );
      });
      this.#pool = pool;
      this.#db = drizzle({ client: pool, schema, casing: "snake_case" });
    }
    return this.#db;
  }

  /** Runs `work` in one transaction whose row-level security scope is set before anything else. */
  transaction<T>(scope: DbScope, work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => {
      await applyScope(tx, scope);
      return work(tx);
    });
  }

  /** A transaction that sees no tenant rows at all: for global tables such as users. */
  global<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.transaction({ orgId: null, userId: null }, work);
  }

  async close(): Promise<void> {
    const pool = this.#pool;
    this.#pool = null;
    this.#db = null;
    if (pool) await pool.end();
  }
}
