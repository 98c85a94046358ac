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
