/**
 * `npm run bench:api`: latency and throughput of two requests every page and client makes,
 * `GET /api/v1/auth/me` and a contacts list (`GET /api/v1/contacts?limit=50&...`), at
 * concurrency 1, 10 and 50, beside the raw floor: the same transaction, statement for
 * statement, on a warm node-postgres pool over TCP (no connection set-up, no HTTP, no
 * Worker). The ratio api/floor is what the Worker, the Neon driver and the per-request
 * connection add.
 *
 * The Worker is measured twice when the benchmark starts its own stack: served by workerd
 * through Miniflare (bench/workerd.ts; what Switchboard costs) and through `wrangler dev`
 * (what the dev CLI adds on top). With BENCH_URL it measures that URL only; see
 * bench/target.ts for the variables the floor then needs (BENCH_DATABASE_URL).
 */
import pg from "pg";
import {
  describeFailures,
  loadDescription,
  log,
  type Measured,
  type MeasureLimits,
  measure,
  ms,
  type Phase,
  perSecond,
  ratio,
  reportPhase,
  type Task,
  table,
} from "./lib";
import { LIST_CONTACTS_QUERY, listTransaction } from "./raw-crm";
import { type Claims, meTransaction, type Queryable, tenantTransaction } from "./raw-db";
import {
  type Account,
  interruption,
  REQUEST_TIMEOUT_MS,
  refreshAccount,
  runBenchmark,
  signUp,
  type Target,
  workerHosts,
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
/** Contacts in the benchmark's organization: more than one page of the list. */
const CONTACTS = 60;

interface Endpoint {
  name: string;
  path: string;
  /** What one floor iteration does on a pooled connection. */
  floor: (client: Queryable, claims: Claims) => Promise<string | null>;
  /** One request answered as expected, before any timing. */
  check(body: unknown, account: Account): string | null;
}

const ENDPOINTS: Endpoint[] = [
  {
    name: "GET /api/v1/auth/me",
    path: "/api/v1/auth/me",
    floor: (client, claims) => meTransaction(client, claims),
    check: (body, account) => {
      const data = (body as { data?: { user?: { id?: string } } }).data;
      return data?.user?.id === account.claims.sub ? null : "not the signed-up user";
    },
  },
  {
    name: `GET /api/v1/contacts?${LIST_CONTACTS_QUERY}`,
    path: `/api/v1/contacts?${LIST_CONTACTS_QUERY}`,
    floor: (client, claims) => tenantTransaction(client, claims, () => listTransaction(client)),
    check: (body) => {
      const rows = (body as { data?: unknown[] }).data ?? [];
      return rows.length === 50 ? null : `${rows.length} rows, not 50`;
    },
  },
];

function httpTask(url: string, accessToken: string): Task {
  const headers = { Authorization: `Bearer ${accessToken}` };
  return async (signal) => {
    const response = await fetch(url, { headers, signal });
    await response.arrayBuffer();
    return response.status === 200 ? null : `HTTP ${response.status}`;
  };
}

async function createContacts(baseUrl: string, account: Account) {
  for (let index = 0; index < CONTACTS; index += 1) {
    const response = await fetch(`${baseUrl}/api/v1/contacts`, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${account.accessToken}`,
        "Content-Type": "application/json",
      },
      body: JSON.stringify({
        firstName: `Bench${index}`,
        lastName: "Contact",
        lifecycleStage: "customer",
      }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    if (response.status !== 201) {
      throw new Error(`POST /contacts: HTTP ${response.status} ${await response.text()}`);
    }
  }
}

async function check(baseUrl: string, endpoint: Endpoint, account: Account) {
  const response = await fetch(`${baseUrl}${endpoint.path}`, {
    headers: { Authorization: `Bearer ${account.accessToken}` },
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const body = await response.json();
  const problem = response.status === 200 ? endpoint.check(body, account) : "";
  if (problem !== null) {
    throw new Error(`${endpoint.path} check failed: HTTP ${response.status} ${problem}`);
  }
}

interface Row {
  phase: Phase;
  floor: Measured | null;
  sides: { label: string; measured: Measured }[];
}

function printTable(title: string, rows: Row[]) {
  const labels = rows[0]?.sides.map((side) => side.label) ?? [];
  const header = ["conc", "floor p50", "floor p99", "floor rps"];
  for (const label of labels) {
    header.push(`${label} p50`, `${label} p99`, `${label} rps`, `${label} err`, "p50/floor");
  }
  const lines = rows.map((row) => {
    const floor = row.floor?.summary;
    const cells = [
      String(row.phase.concurrency),
      floor ? ms(floor.p50) : "-",
      floor ? ms(floor.p99) : "-",
      floor ? perSecond(floor.rps) : "-",
    ];
    for (const side of row.sides) {
      const summary = side.measured.summary;
      cells.push(
        ms(summary.p50),
        ms(summary.p99),
        perSecond(summary.rps),
        String(summary.failed),
        floor ? ratio(summary.p50, floor.p50) : "-",
      );
    }
    return cells;
  });
  console.log("");
  console.log(title);
  console.log(table(header, lines));
  for (const row of rows) {
    for (const side of row.sides) {
      if (side.measured.failures.size > 0) {
        console.log(
          `  c=${row.phase.concurrency} ${side.label} failures: ${describeFailures(side.measured.failures)}`,
        );
      }
    }
  }
}

/** Sequential probes that peel the Worker's time apart: no database, one transaction, /auth/me. */
const PROBES = [
  {
    name: "404 (routing, config, log line; no database)",
    path: "/api/v1/no-such-route",
    status: 404,
  },
  {
    name: "GET /health (+ connection, 1 transaction: begin+scope, select 1, commit)",
    path: "/api/v1/health",
    status: 200,
  },
  {
    name: "GET /auth/me (+ JWT, 2 rate-limit DO calls, 1 transaction of 7 statements)",
    path: "/api/v1/auth/me",
    status: 200,
  },
];
const PROBE_PHASE: Phase = { concurrency: 1, warmup: 20, total: 200 };

async function probeWorker(sides: { label: string; url: string }[], account: Account) {
  const rows: string[][] = [];
  for (const probe of PROBES) {
    const row = [probe.name];
    for (const side of sides) {
      const headers = { Authorization: `Bearer ${account.accessToken}` };
      const task: Task = async (signal) => {
        const response = await fetch(`${side.url}${probe.path}`, { headers, signal });
        await response.arrayBuffer();
        return response.status === probe.status ? null : `HTTP ${response.status}`;
      };
      const measured = await measure(task, PROBE_PHASE, LIMITS);
      row.push(ms(measured.summary.p50), ms(measured.summary.p99));
    }
    rows.push(row);
  }
  console.log("");
  console.log(`Where a request's time goes, c=1, ${PROBE_PHASE.total} requests each (ms)`);
  console.log(
    table(
      ["request", ...sides.flatMap((side) => [`${side.label} p50`, `${side.label} p99`])],
      rows,
    ),
  );
}

async function benchmark(target: Target) {
  const sides = workerHosts(target);
  let account = await signUp(target.url);
  log(`signed up user ${account.claims.sub} in organization ${account.claims.org}`);
  await createContacts(target.url, account);
  log(`created ${CONTACTS} contacts`);
  for (const endpoint of ENDPOINTS) {
    for (const side of sides) await check(side.url, endpoint, account);
  }

  const floorPool = target.raw
    ? new pg.Pool({ connectionString: target.raw.connectionString, max: 50 })
    : null;
  floorPool?.on("error", () => {});
  const results: { endpoint: Endpoint; rows: Row[] }[] = [];
  try {
    for (const endpoint of ENDPOINTS) {
      const rows: Row[] = [];
      for (const phase of PHASES) {
        const floor = floorPool
          ? await measure(
              async () => {
                const client = await floorPool.connect();
                try {
                  return await endpoint.floor(client, account.claims);
                } finally {
                  client.release();
                }
              },
              phase,
              LIMITS,
            )
          : null;
        if (floor) reportPhase(`${endpoint.path} floor`, phase, floor);
        const measured: Row["sides"] = [];
        // A slow phase can outlive a 15-minute access token.
        account = await refreshAccount(target.url, account);
        for (const side of sides) {
          const result = await measure(
            httpTask(`${side.url}${endpoint.path}`, account.accessToken),
            phase,
            LIMITS,
          );
          reportPhase(`${endpoint.path} ${side.label}`, phase, result);
          measured.push({ label: side.label, measured: result });
        }
        rows.push({ phase, floor, sides: measured });
      }
      results.push({ endpoint, rows });
    }
  } finally {
    await floorPool?.end();
  }
  log(`after the last phase, ${loadDescription()}`);
  account = await refreshAccount(target.url, account);
  await probeWorker(sides, account);
  log(`after the probes, ${loadDescription()}`);

  console.log("");
  console.log(
    "Latency in ms (successful requests only); throughput in successful requests per second.",
  );
  console.log(
    "floor = the endpoint's transaction, statement for statement, on a warm node-postgres pool",
  );
  console.log("        (TCP, app role, max 50): no HTTP, no Worker, no connection set-up.");
  if (target.workerdUrl) {
    console.log(
      "workerd = the Worker in workerd via Miniflare; wrangler dev = the same via the CLI.",
    );
  }
  if (!floorPool) console.log(`floor skipped: ${target.rawSkipped}`);
  for (const { endpoint, rows } of results) printTable(endpoint.name, rows);
}

void runBenchmark({
  title: "Switchboard API benchmark",
  settings: [
    `per phase: warm-up then a fixed count; per-request limit ${LIMITS.taskTimeoutMs} ms, ` +
      `phase budget ${LIMITS.phaseBudgetMs / 1000} s`,
  ],
  run: benchmark,
});
