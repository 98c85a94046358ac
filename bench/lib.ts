import os from "node:os";

/** One unit of work: resolves to null on success, or a short label describing the failure. */
export type Task = (signal: AbortSignal) => Promise<string | null>;

export interface LoadOptions {
  /** How many tasks to run in total (each at most once). */
  total: number;
  /** How many tasks are in flight at once. */
  concurrency: number;
  /** Per-task time limit; a task that exceeds it counts as a failure ("timeout"). */
  taskTimeoutMs: number;
  /** No new task starts after this much wall time; the rest are counted as "not started". */
  phaseBudgetMs: number;
  /** Once aborted, no new task starts (e.g. the run was interrupted). */
  cancel?: AbortSignal;
}

export interface LoadResult {
  /** Latencies (ms) of the successful tasks only. */
  latencies: number[];
  /** Failure label -> count (non-200 statuses, timeouts, exceptions). */
  failures: Map<string, number>;
  attempted: number;
  wallMs: number;
}

export interface Summary {
  ok: number;
  failed: number;
  p50: number;
  p95: number;
  p99: number;
  /** Successful tasks per second of wall time. */
  rps: number;
}

const TIMEOUT = "timeout";

/** Runs `task` under its own time limit; the limit aborts the signal handed to it. */
async function timed(
  task: Task,
  timeoutMs: number,
): Promise<{ ms: number; failure: string | null }> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<string>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve(TIMEOUT);
    }, timeoutMs);
  });
  const started = performance.now();
  try {
    const failure = await Promise.race([task(controller.signal), expired]);
    return { ms: performance.now() - started, failure };
  } catch (error) {
    const label = controller.signal.aborted ? TIMEOUT : errorLabel(error);
    return { ms: performance.now() - started, failure: label };
  } finally {
    clearTimeout(timer);
  }
}

function errorLabel(error: unknown): string {
  let text = String(error);
  if (error instanceof Error) text = `${error.name}: ${error.message}`;
  else if (error && typeof error === "object") {
    // e.g. a WebSocket ErrorEvent from the Neon driver
    const message = "message" in error ? String(error.message) : "";
    text = `${error.constructor?.name ?? "object"}${message ? `: ${message}` : ""}`;
  }
  return text.slice(0, 80);
}

/** A closed loop: `concurrency` workers each take the next task until `total` or the budget runs out. */
export async function runLoad(task: Task, options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const failures = new Map<string, number>();
  let next = 0;
  const started = performance.now();
  const deadline = started + options.phaseBudgetMs;

  const worker = async () => {
    while (next < options.total && performance.now() < deadline && !options.cancel?.aborted) {
      next += 1;
      const { ms, failure } = await timed(task, options.taskTimeoutMs);
      if (failure === null) latencies.push(ms);
      else failures.set(failure, (failures.get(failure) ?? 0) + 1);
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency, options.total));
  await Promise.all(Array.from({ length: workers }, worker));

  const wallMs = performance.now() - started;
  if (next < options.total) {
    const reason = options.cancel?.aborted ? "cancelled" : "phase budget";
    failures.set(`not started (${reason})`, options.total - next);
  }
  return { latencies, failures, attempted: next, wallMs };
}

/** Nearest-rank percentile of an ascending array (NaN when empty). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

export function summarize(result: LoadResult): Summary {
  const sorted = [...result.latencies].sort((a, b) => a - b);
  let failed = 0;
  for (const count of result.failures.values()) failed += count;
  return {
    ok: sorted.length,
    failed,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    rps: sorted.length / (result.wallMs / 1000),
  };
}

export function describeFailures(failures: Map<string, number>): string {
  if (failures.size === 0) return "none";
  return [...failures].map(([label, count]) => `${count} x ${label}`).join("; ");
}

export function machineDescription(): string[] {
  const cpus = os.cpus();
  return [
    `cores: ${cpus.length} (${cpus[0]?.model.trim() ?? "unknown CPU"})`,
    `memory: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `node: ${process.version} (${process.platform}-${process.arch})`,
    `os: ${os.type()} ${os.release()}`,
    loadDescription(),
  ];
}

/** Other work on the machine skews every figure; print the load average beside them. */
export function loadDescription(): string {
  const [one, five, fifteen] = os.loadavg().map((value) => value.toFixed(2));
  return `load average (1/5/15 min): ${one} / ${five} / ${fifteen}`;
}

/** A plain text table with right-aligned columns. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: string[]) =>
    cells.map((cell, column) => cell.padStart(widths[column] ?? 0)).join("  ");
  const rule = widths.map((width) => "-".repeat(width)).join("  ");
  return [line(header), rule, ...rows.map(line)].join("\n");
}

export const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : "-");
export const perSecond = (value: number) => (Number.isFinite(value) ? value.toFixed(0) : "-");
export const ratio = (a: number, b: number) =>
  Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}x` : "-";

export const log = (line: string) => console.log(`[bench] ${line}`);

/** One measured phase: a warm-up, then a fixed number of tasks at a fixed concurrency. */
export interface Phase {
  concurrency: number;
  warmup: number;
  total: number;
}

export interface MeasureLimits {
  taskTimeoutMs: number;
  phaseBudgetMs: number;
  /** Aborted when the run is interrupted: no new task starts. */
  cancel: AbortSignal;
}

export interface Measured {
  summary: Summary;
  failures: LoadResult["failures"];
  warmupFailures: LoadResult["failures"];
}

/** Warm-up, then the measured run; `after` runs after each (e.g. to await pools still ending). */
export async function measure(
  task: Task,
  phase: Phase,
  limits: MeasureLimits,
  after?: () => Promise<void>,
): Promise<Measured> {
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
  limits.cancel.throwIfAborted();
  return { summary: summarize(result), failures: result.failures, warmupFailures: warmup.failures };
}

/** Pools ended after their transaction, as the Worker's `ctx.waitUntil(pool.end())`. */
export function poolEnds() {
  const pending: Promise<void>[] = [];
  return {
    track: (ending: Promise<void>) => void pending.push(ending),
    drain: async () => {
      await Promise.all(pending.splice(0));
    },
  };
}

export function reportPhase(label: string, phase: Phase, measured: Measured) {
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

export interface ComparisonRow {
  phase: Phase;
  endpoint: Measured;
  /** The same database work through the Neon driver from Node (null when skipped). */
  raw: Measured | null;
}

/** A task through the API and, when available, its raw-driver twin with the pools it leaves ending. */
export interface Comparison {
  /** Prefix of the progress lines, e.g. "list". */
  name: string;
  endpoint: Task;
  raw: { task: Task; drain: () => Promise<void> } | null;
}

/** Each phase measures the endpoint, then the raw driver doing the same database work. */
export async function comparePhases(
  comparison: Comparison,
  phases: Phase[],
  limits: MeasureLimits,
): Promise<ComparisonRow[]> {
  const rows: ComparisonRow[] = [];
  const prefix = (side: string) => (comparison.name ? `${comparison.name} ${side}` : side);
  for (const phase of phases) {
    const endpoint = await measure(comparison.endpoint, phase, limits);
    reportPhase(prefix("api"), phase, endpoint);
    const raw = comparison.raw
      ? await measure(comparison.raw.task, phase, limits, comparison.raw.drain)
      : null;
    if (raw) reportPhase(prefix("raw"), phase, raw);
    rows.push({ phase, endpoint, raw });
  }
  return rows;
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

/** The endpoint's latency and throughput per phase beside the raw driver's, with their ratios. */
export function printComparison(title: string, rows: ComparisonRow[], label = "raw") {
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
      ...rawColumns(label, api, row.raw?.summary),
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
