import { type SQL, sql } from "drizzle-orm";
import { assertNever } from "../../shared/realtime";
import { wakeSnoozedConversations } from "../conversations/snooze";
import { Database } from "../db/client";
import { type Env, readConfig } from "../env";
import { deliverAfterCommit } from "../lib/after-commit";
import { type AfterCommit, runUnitOfWork } from "../lib/unit-of-work";
import { sendNotificationDigests, sendTaskReminders } from "../notifications/scheduled";
import { relayUnsentJobs } from "../outbox/relay";
import { claimJob, markJobDead, markJobDone, markJobFailed } from "../outbox/store";
import { runSlaCheck } from "../sla/check";
import { handlersOf } from "./handlers";
import { type JobMessage, jobMessageSchema, type OrgJobMessage } from "./messages";

const DEAD_LETTER_QUEUE = "switchboard-jobs-dlq";
/** Exponential backoff between attempts: 5s, 10s, 20s, ... capped at 5 minutes. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(300, 5 * 2 ** Math.max(0, attempts - 1));
}

interface JobDeps {
  database: Database;
  env: Env;
  /** A job's events and jobs go out once its transaction commits, before the message is acked. */
  afterCommit: AfterCommit;
}

export async function handleJobBatch(
  batch: MessageBatch<unknown>,
  env: Env,
  ctx: ExecutionContext,
) {
  const config = readConfig(env);
  const database = new Database(config.DATABASE_URL, config.NEON_LOCAL_PROXY);
  const deps: JobDeps = { database, env, afterCommit: deliverAfterCommit(env) };
  try {
    if (batch.queue === DEAD_LETTER_QUEUE) await handleDeadLetters(batch, deps);
    else await handleJobs(batch, deps);
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
      await recordFailure(parsed.data, deps, error);
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
}

/** A failed run is noted on its outbox row (the run's own transaction rolled back). */
async function recordFailure(job: JobMessage, deps: JobDeps, error: unknown) {
  if (!("outboxId" in job) || !job.outboxId) return;
  const outboxId = job.outboxId;
  try {
    await deps.database.transaction({ orgId: job.orgId, userId: null }, (tx) =>
      markJobFailed(tx, outboxId, error),
    );
  } catch (cause) {
    console.error(
      JSON.stringify({ level: "error", msg: "job failure not recorded", error: String(cause) }),
    );
  }
}

/**
 * Out of retries: logged, its outbox row marked dead, and an import or export it belonged to
 * marked failed.
 */
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
    case "export.run":
    case "whatsapp.send":
    case "whatsapp.media":
    case "email.send":
      return runOrgJobUnit(job, deps, async (unit) => {
        if (job.outboxId && !(await markJobDead(unit.tx, job.outboxId))) return;
        await handlersOf(job).dead(unit, job);
      });
    case "maintenance.purge_expired":
    case "maintenance.purge_deleted":
    case "maintenance.close_stale_calls":
    case "maintenance.wake_snoozed":
    case "maintenance.sla_check":
    case "maintenance.task_reminders":
    case "maintenance.notification_digest":
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
    case "maintenance.wake_snoozed":
      return wakeSnoozedConversations(deps.database, deps.afterCommit);
    case "maintenance.sla_check": {
      const result = await runSlaCheck(deps.database, deps.afterCommit);
      console.log(JSON.stringify({ level: "info", msg: "sla checked", ...result }));
      return;
    }
    case "maintenance.task_reminders": {
      const result = await sendTaskReminders(deps.database, deps.afterCommit);
      console.log(JSON.stringify({ level: "info", msg: "task reminders sent", ...result }));
      return;
    }
    case "maintenance.notification_digest": {
      const result = await sendNotificationDigests(
        deps.database,
        deps.afterCommit,
        readConfig(deps.env),
      );
      console.log(JSON.stringify({ level: "info", msg: "notification digests", ...result }));
      return;
    }
    case "import.chunk":
    case "export.run":
    case "whatsapp.send":
    case "whatsapp.media":
    case "email.send":
      return runOrgJob(job, deps);
    default:
      assertNever(job);
  }
}

/**
 * An organization's job runs as one unit of work that also marks its outbox row done, so its
 * effects and `done` commit together: a second delivery of the same job finds it done (its
 * row locked until the first run ends) and does nothing.
 */
async function runOrgJob(job: OrgJobMessage, deps: JobDeps) {
  await runOrgJobUnit(job, deps, async (unit) => {
    if (job.outboxId && !(await claimJob(unit.tx, job.outboxId))) {
      console.log(JSON.stringify({ level: "info", msg: "job already done", id: job.outboxId }));
      return;
    }
    await handlersOf(job).run(unit, job, { env: deps.env, config: readConfig(deps.env) });
    if (job.outboxId) await markJobDone(unit.tx, job.outboxId);
  });
}

function runOrgJobUnit(
  job: OrgJobMessage,
  deps: JobDeps,
  work: Parameters<typeof runUnitOfWork<void>>[3],
) {
  return runUnitOfWork(deps.database, { orgId: job.orgId, userId: null }, deps.afterCommit, work);
}

/** The cron that wakes snoozed conversations (wrangler.toml); the other cron runs the rest. */
export const EVERY_MINUTE = "* * * * *";

/**
 * Cron: enqueue maintenance (the work itself runs, and retries, on the queue), and relay the
 * outbox rows whose after-commit send never happened. Every minute snoozed conversations are
 * woken and SLA clocks checked.
 */
export async function handleScheduled(controller: ScheduledController, env: Env) {
  const requestedAt = new Date().toISOString();
  if (controller.cron === EVERY_MINUTE) {
    await env.JOBS.sendBatch([
      { body: { type: "maintenance.wake_snoozed", requestedAt } },
      { body: { type: "maintenance.sla_check", requestedAt } },
      { body: { type: "maintenance.task_reminders", requestedAt } },
    ]);
    return;
  }
  await env.JOBS.sendBatch([
    { body: { type: "maintenance.purge_expired", requestedAt } },
    { body: { type: "maintenance.purge_deleted", requestedAt } },
    { body: { type: "maintenance.close_stale_calls", requestedAt } },
    { body: { type: "maintenance.notification_digest", requestedAt } },
  ]);
  const config = readConfig(env);
  const database = new Database(config.DATABASE_URL, config.NEON_LOCAL_PROXY);
  try {
    await relayUnsentJobs(database, env.JOBS);
  } finally {
    await database.close();
  }
}
