import { and, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { outbox } from "../db/schema";
import { type JobMessage, jobMessageSchema, type OrgJobMessage } from "../jobs/messages";

/*
 * The relay hands committed outbox rows to the queue: right after commit (the unit of work's
 * `AfterCommit`, worker/lib/unit-of-work.ts) and, for rows that hand-off never reached (the
 * isolate died between commit and send, or the queue refused), from the cron. Sending twice
 * is harmless: the consumer runs a job at most once by its outbox id.
 */

/** Queues accept at most 100 messages per batch. */
const SEND_BATCH = 100;
/** How long a row may wait for its after-commit send before the cron sends it. */
export const RELAY_GRACE_SECONDS = 120;

export async function sendJobs(queue: Queue<JobMessage>, jobs: OrgJobMessage[]) {
  for (let start = 0; start < jobs.length; start += SEND_BATCH) {
    await queue.sendBatch(jobs.slice(start, start + SEND_BATCH).map((body) => ({ body })));
  }
}

/**
 * Cron: sends every row still pending `graceSeconds` after it was written (or last sent),
 * across organizations, and notes when it was sent so the next run waits again.
 */
export async function relayUnsentJobs(
  database: Database,
  queue: Queue<JobMessage>,
  graceSeconds = RELAY_GRACE_SECONDS,
): Promise<number> {
  const grace = `${graceSeconds} seconds`;
  const found = await database.global((tx) =>
    tx.execute<{ id: string; org_id: string; payload: unknown }>(
      sql`select id, org_id, payload from unsent_outbox(${grace}::interval)`,
    ),
  );
  const jobs: OrgJobMessage[] = [];
  for (const row of found.rows) {
    const parsed = jobMessageSchema.safeParse(row.payload);
    if (parsed.success && "orgId" in parsed.data) jobs.push({ ...parsed.data, outboxId: row.id });
  }
  if (jobs.length === 0) return 0;
  await sendJobs(queue, jobs);
  const byOrg = new Map<string, OrgJobMessage[]>();
  for (const job of jobs) {
    const ofOrg = byOrg.get(job.orgId);
    if (ofOrg) ofOrg.push(job);
    else byOrg.set(job.orgId, [job]);
  }
  for (const [orgId, sent] of byOrg) {
    await database.transaction({ orgId, userId: null }, (tx) =>
      tx
        .update(outbox)
        .set({ sentAt: new Date() })
        .where(
          and(
            inArray(
              outbox.id,
              sent.map((job) => job.outboxId as string),
            ),
            eq(outbox.status, "pending"),
          ),
        ),
    );
  }
  console.log(JSON.stringify({ level: "info", msg: "relayed unsent jobs", count: jobs.length }));
  return jobs.length;
}
