/**
 * `npm run bench:breakdown`: where a request's database time goes on this machine, one cost at
 * a time, sequentially (c=1): TCP connect, a PostgreSQL backend (fork + startup + password),
 * the WebSocket to the local Neon proxy, the Neon driver's connect through it (directly and
 * through the local PgBouncer when installed), one statement's round trip, and a whole
 * /auth/me-shaped request (connect + 9 round trips) per variant.
 */
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { Client as NeonClient, neonConfig } from "@neondatabase/serverless";
import pg from "pg";
import WebSocket from "ws";
import { startNeonProxy } from "../scripts/lib/neon-proxy";
import { findPgbouncer, pgbouncerVersion, startLocalPooler } from "../scripts/lib/pgbouncer";
import { OWNER_ROLE, startLocalPostgres } from "../scripts/lib/postgres";
import { freePort } from "../scripts/lib/stack";
import { microtaskCoalescing } from "../worker/db/coalescing-websocket";
import { loadDescription, ms, percentile, table } from "./lib";

const N = Number(process.env.BREAKDOWN_N ?? 200);

async function sample(label: string, n: number, run: () => Promise<void>) {
  for (let i = 0; i < Math.min(20, n); i += 1) await run();
  const times: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const mean = times.reduce((sum, t) => sum + t, 0) / times.length;
  return [label, ms(percentile(times, 50)), ms(mean), ms(percentile(times, 99))];
}

async function main() {
  const tempDir = await mkdtemp(path.join(os.tmpdir(), "switchboard-breakdown-"));
  const postgres = await startLocalPostgres({
    dataDir: path.join(tempDir, "pg"),
    port: await freePort(),
    persistent: false,
  });
  const direct = await startNeonProxy({ port: await freePort(), postgresPort: postgres.port });
  const binary = findPgbouncer();
  const pooler = binary
    ? await startLocalPooler({
        binary,
        port: await freePort(),
        postgresPort: postgres.port,
        roles: [OWNER_ROLE],
      })
    : null;
  const pooled = pooler
    ? await startNeonProxy({ port: await freePort(), postgresPort: pooler.port })
    : null;
  neonConfig.webSocketConstructor = WebSocket;
  neonConfig.useSecureWebSocket = false;
  neonConfig.pipelineTLS = false;
  neonConfig.pipelineConnect = "password";
  const url = (port: number) =>
    `postgres://${OWNER_ROLE.name}:${OWNER_ROLE.password}@127.0.0.1:${port}/switchboard`;
  const neonVia = (proxyPort: number, dbPort: number) => {
    neonConfig.wsProxy = () => `127.0.0.1:${proxyPort}/v2`;
    return new NeonClient({ connectionString: url(dbPort) });
  };
  const rows: string[][] = [];
  try {
    rows.push(
      await sample("TCP connect to PostgreSQL (no startup)", N, async () => {
        await new Promise<void>((resolve, reject) => {
          const socket = net.connect({ host: "127.0.0.1", port: postgres.port });
          socket.once("connect", () => {
            socket.destroy();
            resolve();
          });
          socket.once("error", reject);
        });
      }),
    );
    rows.push(
      await sample("pg over TCP: connect (fork+startup+password), end", N, async () => {
        const client = new pg.Client({ connectionString: url(postgres.port) });
        await client.connect();
        await client.end();
      }),
    );
    if (pooler) {
      rows.push(
        await sample("pg over TCP to PgBouncer: connect, end", N, async () => {
          const client = new pg.Client({ connectionString: url(pooler.port) });
          await client.connect();
          await client.end();
        }),
      );
    }
    rows.push(
      await sample("WebSocket open to the local proxy (+ its TCP), close", N, async () => {
        await new Promise<void>((resolve, reject) => {
          const socket = new WebSocket(
            `ws://127.0.0.1:${direct.port}/v2?address=127.0.0.1:${postgres.port}`,
          );
          socket.once("open", () => {
            socket.close();
            resolve();
          });
          socket.once("error", reject);
        });
      }),
    );
    rows.push(
      await sample("Neon driver via proxy -> PostgreSQL: connect + select 1, end", N, async () => {
        const client = neonVia(direct.port, postgres.port);
        await client.connect();
        await client.query("select 1");
        await client.end();
      }),
    );
    if (pooler && pooled) {
      rows.push(
        await sample("Neon driver via proxy -> PgBouncer: connect + select 1, end", N, async () => {
          const client = neonVia(pooled.port, pooler.port);
          await client.connect();
          await client.query("select 1");
          await client.end();
        }),
      );
    }
    const tcp = new pg.Client({ connectionString: url(postgres.port) });
    await tcp.connect();
    rows.push(
      await sample("one statement, open pg TCP connection", N * 5, async () => {
        await tcp.query({ text: "select $1::text", values: ["x"], rowMode: "array" });
      }),
    );
    const open = neonVia(direct.port, postgres.port);
    await open.connect();
    rows.push(
      await sample("one statement, open Neon connection (WebSocket)", N * 5, async () => {
        await open.query({ text: "select $1::text", values: ["x"], rowMode: "array" });
      }),
    );
    const scope = "select set_config('app.org_id', $1, true), set_config('app.user_id', $2, true)";
    const meShaped = async (client: { query: pg.Client["query"] }) => {
      // begin, scope, 5 statements, scope x2 are in /auth/me; 9 round trips + commit
      const q = (text: string, values: unknown[]) =>
        client.query({ text, values, rowMode: "array" } as pg.QueryArrayConfig);
      await q("begin", []);
      await q(scope, ["a", "b"]);
      for (let i = 0; i < 5; i += 1) await q("select $1::text", ["x"]);
      await q(scope, ["", "b"]);
      await q(scope, ["a", "b"]);
      await q("commit", []);
    };
    neonConfig.coalesceWrites = false;
    rows.push(
      await sample("one statement, open Neon conn, coalesceWrites off", N * 5, async () => {
        await open.query({ text: "select $1::text", values: ["x"], rowMode: "array" });
      }),
    );
    neonConfig.coalesceWrites = true;
    rows.push(
      await sample("/auth/me-shaped tx (10 round trips), open Neon conn", N, () => meShaped(open)),
    );
    await open.end();
    // From here on: what worker/db/client.ts sets up (microtask-coalesced frames).
    neonConfig.coalesceWrites = false;
    neonConfig.webSocketConstructor = microtaskCoalescing(
      WebSocket as unknown as Parameters<typeof microtaskCoalescing>[0],
    );
    const coalesced = neonVia(direct.port, postgres.port);
    await coalesced.connect();
    rows.push(
      await sample("one statement, open Neon conn, microtask coalescing", N * 5, async () => {
        await coalesced.query({ text: "select $1::text", values: ["x"], rowMode: "array" });
      }),
    );
    rows.push(
      await sample("/auth/me-shaped tx (10 round trips), open pg TCP", N, () => meShaped(tcp)),
    );
    rows.push(
      await sample("/auth/me-shaped tx, open Neon conn, microtask coalescing", N, () =>
        meShaped(coalesced),
      ),
    );
    await tcp.end();
    await coalesced.end();
    // The per-request rows below use microtask coalescing, as the Worker now does.
    rows.push(
      await sample("per request: Neon connect -> PostgreSQL + me-shaped tx", N, async () => {
        const client = neonVia(direct.port, postgres.port);
        await client.connect();
        await meShaped(client);
        await client.end();
      }),
    );
    if (pooler && pooled) {
      rows.push(
        await sample("per request: Neon connect -> PgBouncer + me-shaped tx", N, async () => {
          const client = neonVia(pooled.port, pooler.port);
          await client.connect();
          await meShaped(client);
          await client.end();
        }),
      );
    }
  } finally {
    await pooled?.close();
    await pooler?.stop();
    await direct.close();
    await postgres.stop();
    await rm(tempDir, { recursive: true, force: true });
  }
  console.log(`Database path breakdown, sequential (c=1), n=${N} per row; times in ms`);
  console.log(`  ${loadDescription()}`);
  console.log(
    `  pgbouncer: ${binary ? pgbouncerVersion(binary) : "not installed (PgBouncer rows skipped)"}`,
  );
  console.log("");
  console.log(table(["what", "p50", "mean", "p99"], rows));
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
