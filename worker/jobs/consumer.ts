import { sql } from "drizzle-orm";
import { Database } from "../db/client";
import { type Env, readConfig } from "../env";
import { assertNever } from "../realtime/events";
import { type JobMessage, jobMessageSchema } from "./messages";

const DEAD_LETTER_QUEUE = "switchboard-jobs-dlq";
/** Exponential backoff between attempts: 5s, 10s, 20s, ... capped at 5 minutes. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(300, 5 * 2 ** Math.max(0, attempts - 1));
}

export async function handleJobBatch(
  batch: MessageBatch<unknown>,
  env: Env,
  ctx: ExecutionContext,
) {
  if (batch.queue === DEAD_LETTER_QUEUE) {
    for (const message of batch.messages) {
      console.error(
        JSON.stringify({
          level: "error",
          msg: "job dead-lettered",
          id: message.id,
          body: message.body,
        }),
      );
      message.ack();
    }
    return;
  }
  const config = readConfig(env);
  const database = new Database(config.DATABASE_URL, config.NEON_LOCAL_PROXY);
  try {
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
        await runJob(parsed.data, database);
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
  } finally {
    ctx.waitUntil(database.close());
  }
}

async function runJob(job: JobMessage, database: Database) {
  switch (job.type) {
    case "maintenance.purge_expired": {
      const result = await database.global((tx) =>
        tx.execute(sql`select * from purge_expired_auth_rows()`),
      );
      console.log(
        JSON.stringify({ level: "info", msg: "purged expired auth rows", result: result.rows[0] }),
      );
      return;
    }
    default:
      assertNever(job.type);
  }
}

/** Cron: enqueue maintenance; the work itself runs (and retries) on the queue. */
export async function handleScheduled(_controller: ScheduledController, env: Env) {
  await env.JOBS.send({ type: "maintenance.purge_expired", requestedAt: new Date().toISOString() });
}
