import { neonConfig, Pool, type PoolClient } from "@neondatabase/serverless";
import {
  createTableRelationsHelpers,
  extractTablesRelationalConfig,
  type RelationalSchemaConfig,
  sql,
  type TablesRelationalConfig,
} from "drizzle-orm";
import { NeonDatabase, NeonSession } from "drizzle-orm/neon-serverless";
import { PgDialect } from "drizzle-orm/pg-core";
import { microtaskCoalescing } from "./coalescing-websocket";
import * as crmSchema from "./crm-schema";
import * as inboxSchema from "./inbox-schema";
import * as identitySchema from "./schema";
import * as telephonySchema from "./telephony-schema";

const schema = { ...identitySchema, ...crmSchema, ...telephonySchema, ...inboxSchema };

export type Db = NeonDatabase<typeof schema>;
type RelationalSchema = RelationalSchemaConfig<TablesRelationalConfig>;

/*
 * drizzle() re-derives the relational config of the whole schema on every call (about 1.6 ms
 * here); the Worker builds a handle per request and per transaction, so the dialect and the
 * config are made once per isolate and the handles are assembled from drizzle's own classes.
 */
const dialect = new PgDialect({ casing: "snake_case" });
let relationalSchema: RelationalSchema | undefined;

function relational(): RelationalSchema {
  if (!relationalSchema) {
    const tables = extractTablesRelationalConfig(schema, createTableRelationsHelpers);
    relationalSchema = {
      fullSchema: schema,
      schema: tables.tables,
      tableNamesMap: tables.tableNamesMap,
    };
  }
  return relationalSchema;
}

/** A drizzle handle on a pool or on one checked-out client. */
function handle(client: Pool | PoolClient): Db {
  const config = relational();
  const session = new NeonSession(client, dialect, config as never);
  return new NeonDatabase(dialect, session, config as never) as unknown as Db;
}
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** Whose rows a transaction may see: an organization, a user outside any organization, or both. */
export interface DbScope {
  orgId: string | null;
  userId: string | null;
}

let proxyConfigured: string | undefined;
let socketConfigured = false;

/**
 * Production and local alike: one WebSocket frame per statement without the driver's
 * `setTimeout(0)` flush (see coalescing-websocket.ts). The global WebSocket is looked up when
 * the first connection opens, so workerd's is used in the Worker.
 */
function configureSocket() {
  if (socketConfigured) return;
  neonConfig.coalesceWrites = false;
  neonConfig.webSocketConstructor = microtaskCoalescing(
    globalThis.WebSocket as unknown as Parameters<typeof microtaskCoalescing>[0],
  );
  socketConfigured = true;
}

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

/** Ids as they reach a scope (UUIDs, or empty); anything else takes the parameterised path. */
const PLAIN_ID = /^[0-9A-Za-z-]{0,64}$/;

/**
 * `begin` and the scope's `set_config(..., true)` as one simple-protocol query: one round
 * trip instead of two, still the first thing in the transaction. Only for plain ids, which
 * need no escaping; null otherwise.
 */
export function beginWithScope(scope: DbScope): string | null {
  const orgId = scope.orgId ?? "";
  const userId = scope.userId ?? "";
  if (!PLAIN_ID.test(orgId) || !PLAIN_ID.test(userId)) return null;
  return `begin; select set_config('app.org_id', '${orgId}', true), set_config('app.user_id', '${userId}', true)`;
}

/**
 * The client drizzle's transaction runs on: its first statement, drizzle's `begin`, goes out
 * as `beginSql` (begin + scope). `pipelined()` says whether that happened; if drizzle ever
 * began differently the caller sets the scope itself.
 */
function beginningWith(client: PoolClient, beginSql: string) {
  let first = true;
  let pipelined = false;
  const query = (config: unknown, values?: unknown) => {
    if (first) {
      first = false;
      const text = typeof config === "string" ? config : (config as { text?: unknown })?.text;
      const noValues = values === undefined || (Array.isArray(values) && values.length === 0);
      if (typeof text === "string" && text.trim() === "begin" && noValues) {
        pipelined = true;
        return client.query(beginSql);
      }
    }
    return (client.query as (config: unknown, values?: unknown) => Promise<unknown>)(
      config,
      values,
    );
  };
  const wrapped = new Proxy(client, {
    get(target, property) {
      if (property === "query") return query;
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { client: wrapped, pipelined: () => pipelined };
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
  #transactions = 0;
  #transactionMs = 0;

  constructor(
    private readonly connectionString: string,
    localProxy?: string,
  ) {
    configureSocket();
    configureLocalProxy(localProxy);
  }

  #getPool(): Pool {
    if (!this.#pool) {
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
    }
    return this.#pool;
  }

  /** drizzle on this request's pool (each statement outside a transaction takes a client). */
  get db(): Db {
    this.#db ??= handle(this.#getPool());
    return this.#db;
  }

  /**
   * Runs `work` in one transaction whose row-level security scope is set before anything else:
   * `begin` and `set_config(..., true)` travel together (beginWithScope).
   */
  async transaction<T>(scope: DbScope, work: (tx: Tx) => Promise<T>): Promise<T> {
    const started = performance.now();
    this.#transactions += 1;
    try {
      return await this.#transaction(scope, work);
    } finally {
      this.#transactionMs += performance.now() - started;
    }
  }

  /**
   * The `db` entry of a response's Server-Timing: how many transactions this request ran and
   * for how long, for the browser's network panel and the benchmarks.
   */
  serverTiming(): string {
    const noun = this.#transactions === 1 ? "transaction" : "transactions";
    return `db;dur=${this.#transactionMs.toFixed(1)};desc="${this.#transactions} ${noun}"`;
  }

  async #transaction<T>(scope: DbScope, work: (tx: Tx) => Promise<T>): Promise<T> {
    const beginSql = beginWithScope(scope);
    if (!beginSql) {
      return this.db.transaction(async (tx) => {
        await applyScope(tx, scope);
        return work(tx);
      });
    }
    const client = await this.#getPool().connect();
    try {
      const begun = beginningWith(client, beginSql);
      return await handle(begun.client).transaction(async (tx) => {
        if (!begun.pipelined()) await applyScope(tx, scope);
        return work(tx);
      });
    } finally {
      client.release();
    }
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
