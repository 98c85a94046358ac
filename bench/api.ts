/**
 * `npm run bench:api`: latency and throughput of GET /api/v1/auth/me through the local stack
 * (workerd + Neon driver + WebSocket proxy + PostgreSQL), beside the same database work done
 * directly from Node through the Neon driver, at concurrency 1, 10 and 50.
 *
 * By default it starts its own stack (temporary PostgreSQL and wrangler state) and stops it on
 * exit. With BENCH_URL it measures a stack that is already running instead; see
 * bench/target.ts for the variables the raw-driver part then needs.
 *
 * Both sides connect the way production does against Neon: the password pipelined with the
 * startup message (scripts/lib/postgres.ts), so neither pays a SCRAM handshake per request.
 */
import {
  comparePhases,
  loadDescription,
  log,
  type MeasureLimits,
  type Phase,
  poolEnds,
  printComparison,
  type Task,
} from "./lib";
import { configureNeonDriver, rawMeTask } from "./raw-db";
import {
  type Account,
  describeRaw,
  interruption,
  REQUEST_TIMEOUT_MS,
  runBenchmark,
  signUp,
  type Target,
} from "./target";

const PHASES: Phase[] = [
  { concurrency: 1, warmup: 30, total: 300 },
  { concurrency: 10, warmup: 100, total: 1000 },
  { concurrency: 50, warmup: 200, total: 1000 },
];
const LIMITS: MeasureLimits = {
  taskTimeoutMs: 10_000,
  phaseBudgetMs: 120_000,
  cancel: interruption.signal,
};

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
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const body = (await response.json()) as { data?: { user?: { id?: string } | null } | null };
  if (response.status !== 200 || body.data?.user?.id !== account.claims.sub) {
    throw new Error(`GET /auth/me check failed: HTTP ${response.status}`);
  }
}

async function benchmark(target: Target) {
  const account = await signUp(target.url);
  log(`signed up user ${account.claims.sub} in organization ${account.claims.org}`);
  await checkMe(target.url, account);

  const ends = poolEnds();
  if (target.raw) configureNeonDriver(target.raw.proxy);
  log(describeRaw(target));
  const rows = await comparePhases(
    {
      name: "",
      endpoint: meTask(target.url, account.accessToken),
      raw: target.raw
        ? {
            task: rawMeTask(target.raw.connectionString, account.claims, ends.track),
            drain: ends.drain,
          }
        : null,
    },
    PHASES,
    LIMITS,
  );
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
  printComparison("api vs raw (the same transaction through the Neon driver)", rows);
}

void runBenchmark({
  title: "Switchboard API benchmark",
  settings: [
    `per phase: warm-up then a fixed count; per-request limit ${LIMITS.taskTimeoutMs} ms, ` +
      `phase budget ${LIMITS.phaseBudgetMs / 1000} s`,
  ],
  run: benchmark,
});
