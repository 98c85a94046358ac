import { type SQL, sql } from "drizzle-orm";
import { Database } from "../db/client";
import { type Env, readConfig } from "../env";
import { failExportRun, runExport } from "../exports/run";
import { failImportChunk, runImportChunk } from "../imports/chunk";
import { assertNever } from "../realtime/events";
import { type JobMessage, jobMessageSchema } from "./messages";

const DEAD_LETTER_QUEUE = "switchboard-jobs-dlq";
/** Exponential backoff between attempts: 5s, 10s, 20s, ... capped at 5 minutes. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(300, 5 * 2 ** Math.max(0, attempts - 1));
}

interface JobDeps {
  database: Database;
  env: Env;
}

export async function handleJobBatch(
  batch: MessageBatch<unknown>,
  env: Env,
  ctx: ExecutionContext,
) {
  const config = readConfig(env);
  const database = new Database(config.DATABASE_URL, config.NEON_LOCAL_PROXY);
  try {
    if (batch.queue === DEAD_LETTER_QUEUE) await handleDeadLetters(batch, { database, env });
    else await handleJobs(batch, { database, env });
  } finally {
    ctx.waitUntil(database.close());
  }
}

async function handleJobs(batch: MessageBatch<unknown>, deps: JobDeps) {
  for (const message of batch.messages) {
    const parsed = jobMessageSchema.safeParse(message.body);
    if (!parsed.success) {
      console.error(
        JSON.stringify({ level: "error", msg: "job rejected: invalid body", id: message.id }),
      );
      message.ack();
      continue;
    }
    try {
      await runJob(parsed.data, deps);
      message.ack();
    } catch (error) {
      console.error(
        JSON.stringify({
          level: "error",
          msg: "job failed",
          type: parsed.data.type,
          attempts: message.attempts,
          error: String(error),
        }),
      );
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
}

/** Out of retries: logged, and an import or export it belonged to is marked failed. */
async function handleDeadLetters(batch: MessageBatch<unknown>, deps: JobDeps) {
  for (const message of batch.messages) {
    console.error(
      JSON.stringify({
        level: "error",
        msg: "job dead-lettered",
        id: message.id,
        body: message.body,
      }),
    );
    const parsed = jobMessageSchema.safeParse(message.body);
    try {
      if (parsed.success) await failDeadJob(parsed.data, deps);
    } catch (error) {
      console.error(
        JSON.stringify({ level: "error", msg: "dead job cleanup failed", error: String(error) }),
      );
    }
    message.ack();
  }
}

async function failDeadJob(job: JobMessage, deps: JobDeps) {
  switch (job.type) {
    case "import.chunk":
      return failImportChunk(job, deps);
    case "export.run":
      return failExportRun(job, deps);
    case "maintenance.purge_expired":
    case "maintenance.purge_deleted":
    case "maintenance.close_stale_calls":
      return;
    default:
      assertNever(job);
  }
}

/** One cross-organization maintenance function (owner's rights), its result logged. */
async function runMaintenance(deps: JobDeps, done: string, statement: SQL) {
  const result = await deps.database.global((tx) => tx.execute(statement));
  console.log(JSON.stringify({ level: "info", msg: done, result: result.rows }));
}

async function runJob(job: JobMessage, deps: JobDeps) {
  switch (job.type) {
    case "maintenance.purge_expired":
      return runMaintenance(
        deps,
        "purged expired auth rows",
        sql`select * from purge_expired_auth_rows()`,
      );
    case "maintenance.purge_deleted":
      return runMaintenance(
        deps,
        "purged soft-deleted records",
        sql`select * from purge_deleted_records()`,
      );
    case "maintenance.close_stale_calls":
      return runMaintenance(deps, "closed stale calls", sql`select close_stale_calls() as closed`);
    case "import.chunk":
      return runImportChunk(job, deps);
    case "export.run":
      return runExport(job, deps);
    default:
      assertNever(job);
  }
}

/** Cron: enqueue maintenance; the work itself runs (and retries) on the queue. */
export async function handleScheduled(_controller: ScheduledController, env: Env) {
  const requestedAt = new Date().toISOString();
  await env.JOBS.sendBatch([
    { body: { type: "maintenance.purge_expired", requestedAt } },
    { body: { type: "maintenance.purge_deleted", requestedAt } },
    { body: { type: "maintenance.close_stale_calls", requestedAt } },
  ]);
}
