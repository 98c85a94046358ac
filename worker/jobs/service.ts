import { desc, eq, sql } from "drizzle-orm";
import { recordScopedAudit } from "../audit/service";
import { outbox } from "../db/schema";
import { ApiError } from "../lib/errors";
import { requirePermission, type TenantScope } from "../lib/scope";
import { handlersOf } from "./handlers";
import { jobMessageSchema } from "./messages";
import type { JobList, JobListQuery, JobView } from "./schemas";

/*
 * Settings -> Jobs: the organization's recent jobs from the outbox (worker/outbox/), the failed
 * and dead-lettered ones among them, and the admin's retry.
 */

type OutboxRow = typeof outbox.$inferSelect;

function toView(row: OutboxRow): JobView {
  const subject = row.payload.jobId;
  return {
    id: row.id,
    type: row.type,
    status: row.status,
    attempts: row.attempts,
    lastError: row.lastError,
    subjectId: typeof subject === "string" ? subject : null,
    createdAt: row.createdAt.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
    completedAt: row.completedAt?.toISOString() ?? null,
  };
}

export async function listJobs(scope: TenantScope, query: JobListQuery): Promise<JobList> {
  requirePermission(scope.actor, "jobs:manage");
  const rows = await scope.tx
    .select()
    .from(outbox)
    .where(query.status ? eq(outbox.status, query.status) : undefined)
    .orderBy(desc(outbox.createdAt), desc(outbox.id))
    .limit(query.limit);
  const totals = await scope.tx
    .select({ status: outbox.status, count: sql<number>`count(*)::int` })
    .from(outbox)
    .groupBy(outbox.status);
  const counts = { pending: 0, done: 0, failed: 0, dead: 0 };
  for (const total of totals) counts[total.status] = total.count;
  return { jobs: rows.map(toView), counts };
}

/**
 * Runs a failed or dead-lettered job again: whatever it had failed (an import, an export) is
 * reopened, its row is pending again, and it is handed to the queue once this commits.
 */
export async function retryJob(scope: TenantScope, id: string): Promise<JobView> {
  requirePermission(scope.actor, "jobs:manage");
  const [current] = await scope.tx.select().from(outbox).where(eq(outbox.id, id)).for("update");
  if (!current) throw ApiError.notFound("Job");
  if (current.status !== "failed" && current.status !== "dead") {
    throw ApiError.conflict("Only a failed or dead-lettered job can be retried.");
  }
  const parsed = jobMessageSchema.safeParse(current.payload);
  if (!parsed.success || !("orgId" in parsed.data)) {
    throw ApiError.conflict("This job can no longer be run.");
  }
  const job = { ...parsed.data, outboxId: current.id };
  await handlersOf(job).reopen(scope, job);
  const now = new Date();
  const [row] = await scope.tx
    .update(outbox)
    .set({ status: "pending", completedAt: null, sentAt: now, updatedAt: now })
    .where(eq(outbox.id, id))
    .returning();
  if (!row) throw ApiError.notFound("Job");
  scope.requeue(job);
  await recordScopedAudit(scope, {
    action: "job.retried",
    target: { type: "job", id },
    metadata: { type: current.type, previousStatus: current.status },
  });
  return toView(row);
}
