/**
 * `npm run bench:crm`: the CRM's hot paths on an organization with 100,000 contacts and 10,000
 * deals (bench/crm-seed.ts), through the local stack (workerd + Neon driver + WebSocket proxy +
 * PostgreSQL), each beside its own database work done directly from Node through the Neon
 * driver (bench/raw-crm.ts), at concurrency 1, 10 and 50:
 *
 *   list      GET /api/v1/contacts?limit=50&filter.lifecycleStage=customer&sort=-createdAt
 *   search    GET /api/v1/search?q=<a misspelled existing full name>
 *   contact   GET /api/v1/contacts/{id} and GET /api/v1/contacts/{id}/timeline, both at once
 *   move      PATCH /api/v1/deals/{id} { stageId, position }: a random deal to a random place
 *
 * and the throughput of a 20,000-row contact import (upload, start, poll until completed).
 * An endpoint that does not answer its check (e.g. its route is not there yet) is reported as
 * skipped; the others still run.
 *
 * BENCH_CRM_ONLY=search (comma-separated scenario names, "import" included) runs only those:
 * e.g. the search check and its latency without the other phases.
 *
 * Own stack by default; BENCH_URL (see bench/target.ts) also needs BENCH_DATABASE_OWNER_URL to
 * seed. Everything stays on loopback, every loop is bounded, and the stack stops on every path.
 */

import {
  CONTACTS,
  type CrmFixture,
  DEALS,
  type Pipeline,
  randomMove,
  randomSearchTerm,
  randomTimelineContact,
  seedCrm,
} from "./crm-seed";
import {
  type ComparisonRow,
  comparePhases,
  loadDescription,
  log,
  type MeasureLimits,
  ms,
  type Phase,
  poolEnds,
  printComparison,
  type Task,
  table,
} from "./lib";
import { type RawCrmTasks, rawCrmTasks } from "./raw-crm";
import { configureNeonDriver } from "./raw-db";
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
  { concurrency: 1, warmup: 10, total: 100 },
  { concurrency: 10, warmup: 30, total: 300 },
  { concurrency: 50, warmup: 100, total: 500 },
];
const LIMITS: MeasureLimits = {
  taskTimeoutMs: 60_000,
  phaseBudgetMs: 60_000,
  cancel: interruption.signal,
};
const IMPORT_ROWS = 20_000;
const IMPORT_UPLOAD_LIMIT_MS = 180_000;
const IMPORT_RUN_LIMIT_MS = 600_000;
const IMPORT_POLL_MS = 250;
const LIST_QUERY = "limit=50&filter.lifecycleStage=customer&sort=-createdAt";
const TIMELINE_ENTRIES = 26;
const SEARCH_CHECKS = 10;
const HEALTH_WAIT_MS = 120_000;

/** The scenarios (and "import") to run; all when BENCH_CRM_ONLY is unset. */
const ONLY: string[] | undefined = process.env.BENCH_CRM_ONLY?.split(",")
  .map((name: string) => name.trim())
  .filter(Boolean);
const selected = (name: string) => !ONLY || ONLY.includes(name);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Envelope<T> {
  data: T | null;
  message?: string;
  meta?: { pagination?: { nextCursor: string | null } } | null;
}

interface Reply<T> {
  status: number;
  body: Envelope<T>;
}

interface Api {
  baseUrl: string;
  headers: Record<string, string>;
}

function apiFor(baseUrl: string, account: Account): Api {
  return { baseUrl, headers: { Authorization: `Bearer ${account.accessToken}` } };
}

interface ApiRequest {
  path: string;
  method?: string;
  body?: unknown;
}

function fetchApi(api: Api, { path, method, body }: ApiRequest, signal: AbortSignal) {
  return fetch(`${api.baseUrl}/api/v1${path}`, {
    method: method ?? "GET",
    headers:
      body === undefined ? api.headers : { ...api.headers, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
  });
}

/** A request for set-up and checks (not timed): the status and the JSON envelope. */
async function call<T>(
  api: Api,
  path: string,
  options: Omit<ApiRequest, "path"> & { timeoutMs?: number } = {},
): Promise<Reply<T>> {
  const signal = AbortSignal.any([
    AbortSignal.timeout(options.timeoutMs ?? REQUEST_TIMEOUT_MS),
    interruption.signal,
  ]);
  const response = await fetchApi(api, { ...options, path }, signal);
  const text = await response.text();
  let body: Envelope<T> = { data: null, message: text.slice(0, 200) };
  try {
    body = JSON.parse(text) as Envelope<T>;
  } catch {
    // not JSON (e.g. an HTML 404 page): keep the text as the message
  }
  return { status: response.status, body };
}

const describeReply = (path: string, reply: Reply<unknown>) =>
  `${path} answered HTTP ${reply.status}${reply.body.message ? ` (${reply.body.message})` : ""}`;

/** The default pipeline, created on first use by GET /pipelines. */
async function defaultPipeline(api: Api): Promise<Pipeline> {
  const reply = await call<(Pipeline & { isDefault: boolean })[]>(api, "/pipelines");
  const pipeline = reply.body.data?.find((candidate) => candidate.isDefault);
  if (reply.status !== 200 || !pipeline || pipeline.stages.length === 0) {
    throw new Error(describeReply("GET /pipelines", reply));
  }
  return pipeline;
}

/** An endpoint task: one request (or several at once), OK when each answers 200. */
function requestTask(api: Api, requests: () => ApiRequest[]): Task {
  const send = async (request: ApiRequest, signal: AbortSignal) => {
    const response = await fetchApi(api, request, signal);
    await response.arrayBuffer();
    return response.status;
  };
  return async (signal) => {
    const statuses = await Promise.all(requests().map((request) => send(request, signal)));
    const failed = statuses.find((status) => status !== 200);
    return failed === undefined ? null : `HTTP ${failed}`;
  };
}

const searchPath = (q: string) => `/search?q=${encodeURIComponent(q)}`;

function moveRequest(fixture: CrmFixture) {
  const move = randomMove(fixture);
  const request = {
    path: `/deals/${move.dealId}`,
    method: "PATCH",
    body: { stageId: move.stageId, position: move.position },
  };
  return { request, move };
}

interface Scenario {
  name: string;
  /** Table title: what one task does. */
  title: string;
  endpoint: Task;
  raw: Task | null;
  /** One request answered as expected, before any timing: null, or why the scenario is skipped. */
  check(): Promise<string | null>;
  phases: Phase[];
}

async function checkList(api: Api): Promise<string | null> {
  const path = `/contacts?${LIST_QUERY}`;
  const reply = await call<{ lifecycleStage: string }[]>(api, path);
  const rows = reply.body.data ?? [];
  if (reply.status !== 200) return describeReply(`GET ${path}`, reply);
  if (rows.length !== 50 || rows.some((row) => row.lifecycleStage !== "customer")) {
    return `GET ${path} returned ${rows.length} rows, not 50 customers`;
  }
  return reply.body.meta?.pagination?.nextCursor ? null : "the list has no next page";
}

/** The first misspelled terms once: each must answer; how many find their contact is logged. */
async function checkSearch(api: Api, fixture: CrmFixture): Promise<string | null> {
  const terms = fixture.searchTerms.slice(0, SEARCH_CHECKS);
  let found = 0;
  for (const term of terms) {
    const reply = await call<{ entity: string; id: string; title: string }[]>(
      api,
      searchPath(term.q),
    );
    if (reply.status !== 200) return describeReply(`GET ${searchPath(term.q)}`, reply);
    // The seed reuses names, so any contact with the intended name is the right answer.
    if (
      reply.body.data?.some((result) => result.id === term.contactId || result.title === term.name)
    )
      found += 1;
  }
  const example = fixture.searchTerms[0]?.q ?? "";
  log(
    `search check: ${found}/${terms.length} misspelled names (e.g. "${example}") ` +
      "find a contact with the intended name in the top 20",
  );
  return found > 0 ? null : "no misspelled name found its contact";
}

async function checkContactPage(api: Api, fixture: CrmFixture): Promise<string | null> {
  const id = fixture.timelineContactIds[0] ?? "";
  const contact = await call(api, `/contacts/${id}`);
  if (contact.status !== 200) return describeReply(`GET /contacts/${id}`, contact);
  const timeline = await call<unknown[]>(api, `/contacts/${id}/timeline`);
  if (timeline.status !== 200) return describeReply(`GET /contacts/${id}/timeline`, timeline);
  const entries = timeline.body.data?.length ?? 0;
  return entries === TIMELINE_ENTRIES
    ? null
    : `the timeline has ${entries} entries, not ${TIMELINE_ENTRIES}`;
}

async function checkMove(api: Api, fixture: CrmFixture): Promise<string | null> {
  const { request, move } = moveRequest(fixture);
  const reply = await call<{ stageId: string }>(api, request.path, request);
  if (reply.status !== 200) return describeReply(`PATCH ${request.path}`, reply);
  return reply.body.data?.stageId === move.stageId ? null : "the deal did not move";
}

function scenarios(api: Api, fixture: CrmFixture, raw: RawCrmTasks | null): Scenario[] {
  return [
    {
      name: "list",
      title: `list: GET /api/v1/contacts?${LIST_QUERY}`,
      endpoint: requestTask(api, () => [{ path: `/contacts?${LIST_QUERY}` }]),
      raw: raw?.list ?? null,
      check: () => checkList(api),
      phases: PHASES,
    },
    {
      name: "search",
      title: "search: GET /api/v1/search?q=<one of 50 misspelled full names>",
      endpoint: requestTask(api, () => [{ path: searchPath(randomSearchTerm(fixture)) }]),
      raw: raw?.search ?? null,
      check: () => checkSearch(api, fixture),
      phases: PHASES,
    },
    {
      name: "contact",
      title:
        "contact page: GET /api/v1/contacts/{id} + GET /api/v1/contacts/{id}/timeline (at once)",
      endpoint: requestTask(api, () => {
        const id = randomTimelineContact(fixture);
        return [{ path: `/contacts/${id}` }, { path: `/contacts/${id}/timeline` }];
      }),
      raw: raw?.contactPage ?? null,
      check: () => checkContactPage(api, fixture),
      phases: PHASES,
    },
    {
      name: "move",
      title: "deal move: PATCH /api/v1/deals/{id} { stageId, position } (random deal and place)",
      endpoint: requestTask(api, () => [moveRequest(fixture).request]),
      raw: raw?.move ?? null,
      check: () => checkMove(api, fixture),
      phases: PHASES,
    },
  ];
}

interface ScenarioResult {
  scenario: Scenario;
  rows: ComparisonRow[] | null;
  skipped: string | null;
}

/** The raw twin must succeed once too, or its figures would compare nothing. */
async function checkRaw(task: Task): Promise<string | null> {
  const failure = await task(AbortSignal.timeout(LIMITS.taskTimeoutMs));
  return failure === null ? null : `the raw-driver check failed: ${failure}`;
}

/**
 * wrangler dev rebuilds the Worker when files under worker/ or build/ change (other work in the
 * same checkout): wait until it answers again rather than measure a Worker that is reloading.
 */
async function waitUntilHealthy(api: Api) {
  const deadline = performance.now() + HEALTH_WAIT_MS;
  let waited = false;
  while (performance.now() < deadline) {
    interruption.signal.throwIfAborted();
    const healthy = await fetch(`${api.baseUrl}/api/v1/health`, {
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    }).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) {
      if (waited) log("the Worker answers again");
      return;
    }
    if (!waited) log("the Worker does not answer /health (reloading?): waiting ...");
    waited = true;
    await sleep(1000);
  }
  throw new Error(`The Worker did not answer /health within ${HEALTH_WAIT_MS / 1000} s`);
}

/** The scenario's check, with a failure to answer at all counted as a reason to skip. */
async function checkScenario(scenario: Scenario): Promise<string | null> {
  try {
    return await scenario.check();
  } catch (error) {
    interruption.signal.throwIfAborted();
    return `the check failed: ${String(error)}`;
  }
}

async function runScenario(
  api: Api,
  scenario: Scenario,
  drain: () => Promise<void>,
): Promise<ScenarioResult> {
  await waitUntilHealthy(api);
  const skipped = await checkScenario(scenario);
  if (skipped) {
    log(`${scenario.name}: skipped, ${skipped}`);
    return { scenario, rows: null, skipped };
  }
  const rawFailure = scenario.raw ? await checkRaw(scenario.raw) : null;
  if (rawFailure) throw new Error(`${scenario.name}: ${rawFailure}`);
  const rows = await comparePhases(
    {
      name: scenario.name,
      endpoint: scenario.endpoint,
      raw: scenario.raw ? { task: scenario.raw, drain } : null,
    },
    scenario.phases,
    LIMITS,
  );
  return { scenario, rows, skipped: null };
}

// ---------------------------------------------------------------------------------------------
// Import throughput

interface ImportJob {
  id: string;
  status: "pending" | "running" | "completed" | "failed";
  totalRows: number;
  processedRows: number;
  createdRows: number;
  updatedRows: number;
  skippedRows: number;
  failedRows: number;
}

interface ImportOutcome {
  csvBytes: number;
  validRows: number;
  uploadMs: number;
  runMs: number;
  job: ImportJob;
}

const IMPORT_MAPPING = {
  "First Name": "firstName",
  "Last Name": "lastName",
  Email: "email",
  Phone: "phone",
  "Job Title": "title",
  "Lifecycle Stage": "lifecycleStage",
  Company: "company",
};

/** New people (no duplicates of the seeded ones), phones as people type them, 100 companies. */
function importCsv(rows: number): string {
  const lines = [Object.keys(IMPORT_MAPPING).join(",")];
  for (let i = 0; i < rows; i += 1) {
    const line = String(i % 10_000).padStart(4, "0");
    lines.push(
      [
        `Imported${i}`,
        `Person ${i % 997}`,
        `import.${i}@import-bench.example.com`,
        `(303) 55${Math.floor(i / 10_000)}-${line}`,
        i % 3 === 0 ? "Buyer" : "",
        i % 5 === 0 ? "customer" : "lead",
        `Imported Company ${i % 100}`,
      ].join(","),
    );
  }
  return `${lines.join("\n")}\n`;
}

async function waitForImport(api: Api, id: string): Promise<ImportJob> {
  const deadline = performance.now() + IMPORT_RUN_LIMIT_MS;
  let lastProgress = -1;
  while (performance.now() < deadline) {
    interruption.signal.throwIfAborted();
    const reply = await call<ImportJob>(api, `/imports/${id}`);
    const job = reply.body.data;
    if (reply.status !== 200 || !job) throw new Error(describeReply(`GET /imports/${id}`, reply));
    if (job.status === "completed" || job.status === "failed") return job;
    const progress = Math.floor(job.processedRows / 5000);
    if (progress !== lastProgress) log(`import: ${job.processedRows}/${job.totalRows} rows`);
    lastProgress = progress;
    await sleep(IMPORT_POLL_MS);
  }
  throw new Error(`The import did not finish within ${IMPORT_RUN_LIMIT_MS / 1000} s`);
}

/** Upload (validation included), start, poll: the outcome, or why it was skipped. */
async function measureImport(api: Api): Promise<ImportOutcome | string> {
  const csv = importCsv(IMPORT_ROWS);
  const uploadStarted = performance.now();
  const upload = await call<{ job: ImportJob; validRows: number }>(api, "/imports", {
    method: "POST",
    body: { entity: "contact", csv, mapping: IMPORT_MAPPING, duplicates: "skip" },
    timeoutMs: IMPORT_UPLOAD_LIMIT_MS,
  });
  const uploadMs = performance.now() - uploadStarted;
  const report = upload.body.data;
  if (upload.status !== 201 || !report) return describeReply("POST /imports", upload);
  log(`import: uploaded and validated in ${ms(uploadMs)} ms (${report.validRows} valid rows)`);
  const runStarted = performance.now();
  const start = await call<ImportJob>(api, `/imports/${report.job.id}/start`, { method: "POST" });
  if (start.status !== 202) return describeReply(`POST /imports/${report.job.id}/start`, start);
  const job = await waitForImport(api, report.job.id);
  return {
    csvBytes: Buffer.byteLength(csv),
    validRows: report.validRows,
    uploadMs,
    runMs: performance.now() - runStarted,
    job,
  };
}

function printImport(outcome: ImportOutcome | string) {
  console.log("");
  console.log(
    `import: POST /api/v1/imports (${IMPORT_ROWS.toLocaleString("en-US")} new contacts, CSV), ` +
      "POST /imports/{id}/start, GET /imports/{id} every 250 ms until done",
  );
  if (typeof outcome === "string") {
    console.log(`  skipped: ${outcome}`);
    return;
  }
  const { job } = outcome;
  const seconds = (value: number) => (value / 1000).toFixed(1);
  const rate = (rows: number, wallMs: number) => (rows / (wallMs / 1000)).toFixed(0);
  console.log(
    table(
      [
        "status",
        "rows",
        "CSV MiB",
        "upload+validate s",
        "start->done s",
        "created",
        "updated",
        "skipped",
        "failed",
        "rows/s (run)",
        "rows/s (incl. upload)",
      ],
      [
        [
          job.status,
          String(job.totalRows),
          (outcome.csvBytes / 2 ** 20).toFixed(2),
          seconds(outcome.uploadMs),
          seconds(outcome.runMs),
          String(job.createdRows),
          String(job.updatedRows),
          String(job.skippedRows),
          String(job.failedRows),
          rate(job.processedRows, outcome.runMs),
          rate(job.processedRows, outcome.uploadMs + outcome.runMs),
        ],
      ],
    ),
  );
}

// ---------------------------------------------------------------------------------------------

function printResults(results: ScenarioResult[]) {
  console.log("");
  console.log(
    `Organization: ${CONTACTS.toLocaleString("en-US")} contacts, ${DEALS.toLocaleString("en-US")} deals (seeded in SQL).`,
  );
  console.log(
    "Latency in ms (successful tasks only); throughput in successful tasks per second. A task",
  );
  console.log(
    "is one request, or for the contact page both requests (done when the slower one is).",
  );
  console.log(
    "api = through workerd (JWT, rate-limit DO calls, one transaction per request, realtime",
  );
  console.log("      publish after a move). raw = each request's transaction, statement for");
  console.log(
    "      statement, via @neondatabase/serverless from Node: new Pool per request, app role.",
  );
  for (const result of results) {
    if (result.rows) printComparison(result.scenario.title, result.rows);
    else {
      console.log("");
      console.log(result.scenario.title);
      console.log(`  skipped: ${result.skipped}`);
    }
  }
}

async function benchmark(target: Target) {
  if (!target.ownerUrl) {
    throw new Error("Seeding needs the owner role's URL: set BENCH_DATABASE_OWNER_URL");
  }
  const account = await signUp(target.url);
  log(`signed up user ${account.claims.sub} in organization ${account.claims.org}`);
  const api = apiFor(target.url, account);
  const pipeline = await defaultPipeline(api);
  log(`seeding (default pipeline ${pipeline.id}, ${pipeline.stages.length} stages) ...`);
  const fixture = await seedCrm(
    target.ownerUrl,
    { orgId: account.claims.org, userId: account.claims.sub },
    pipeline,
    interruption.signal,
  );

  const ends = poolEnds();
  if (target.raw) configureNeonDriver(target.raw.proxy);
  log(describeRaw(target));
  const raw = target.raw
    ? rawCrmTasks(target.raw.connectionString, account.claims, fixture, ends.track)
    : null;

  const results: ScenarioResult[] = [];
  for (const scenario of scenarios(api, fixture, raw)) {
    if (selected(scenario.name)) results.push(await runScenario(api, scenario, ends.drain));
  }
  log(`after the latency phases, ${loadDescription()}`);
  let imported: ImportOutcome | string = "not selected (BENCH_CRM_ONLY)";
  if (selected("import")) {
    await waitUntilHealthy(api);
    imported = await measureImport(api);
    log(`after the import, ${loadDescription()}`);
  }

  printResults(results);
  printImport(imported);
}

void runBenchmark({
  title: "Switchboard CRM benchmark",
  settings: [
    `per phase: warm-up then a fixed count; per-task limit ${LIMITS.taskTimeoutMs} ms, ` +
      `phase budget ${LIMITS.phaseBudgetMs / 1000} s`,
  ],
  run: benchmark,
});
