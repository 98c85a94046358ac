import { sql } from "drizzle-orm";
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
      return;
    default:
      assertNever(job);
  }
}

async function runJob(job: JobMessage, deps: JobDeps) {
  switch (job.type) {
    case "maintenance.purge_expired": {
      const result = await deps.database.global((tx) =>
        tx.execute(sql`select * from purge_expired_auth_rows()`),
      );
      console.log(
        JSON.stringify({ level: "info", msg: "purged expired auth rows", result: result.rows[0] }),
      );
      return;
    }
    case "maintenance.purge_deleted": {
      const result = await deps.database.global((tx) =>
        tx.execute(sql`select * from purge_deleted_records()`),
      );
      console.log(
        JSON.stringify({ level: "info", msg: "purged soft-deleted records", result: result.rows }),
      );
      return;
    }
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
  ]);
}
