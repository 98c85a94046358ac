import { and, eq, ne, sql } from "drizzle-orm";
import type { Tx } from "../db/client";
import { outbox } from "../db/schema";
import type { OrgJobMessage } from "../jobs/messages";

/*
 * The outbox table's life cycle: a unit of work writes `pending` rows in its transaction; the
 * consumer claims a row (row lock) in the transaction that runs the job and marks it `done`
 * there, so a job's effects and its `done` commit together and a second delivery finds it
 * done and does nothing. A failed run is recorded as `failed` (the queue retries it), one out
 * of retries as `dead`; an admin's retry makes it `pending` again.
 */

/** Longest error text kept on a row. */
const MAX_ERROR_LENGTH = 2000;

export async function writeOutbox(tx: Tx, orgId: string, jobs: OrgJobMessage[]) {
  if (jobs.length === 0) return;
  await tx.insert(outbox).values(
    jobs.map((job) => ({
      id: job.outboxId as string,
      orgId,
      kind: "job",
      type: job.type,
      payload: job as unknown as Record<string, unknown>,
    })),
  );
}

/**
 * Locks the job's row for the rest of the transaction. False when the job must not run: it is
 * done already (a redelivery) or its row is gone (its organization was deleted).
 */
export async function claimJob(tx: Tx, outboxId: string): Promise<boolean> {
  const [row] = await tx
    .select({ status: outbox.status })
    .from(outbox)
    .where(eq(outbox.id, outboxId))
    .for("update");
  return row !== undefined && row.status !== "done";
}

/** In the job's own transaction: its effects and `done` commit together. */
export async function markJobDone(tx: Tx, outboxId: string) {
  const now = new Date();
  await tx
    .update(outbox)
    .set({
      status: "done",
      attempts: sql`${outbox.attempts} + 1`,
      completedAt: now,
      updatedAt: now,
    })
    .where(eq(outbox.id, outboxId));
}

/** After a failed run (its transaction rolled back): counted, with the error, unless done. */
export async function markJobFailed(tx: Tx, outboxId: string, error: unknown) {
  await tx
    .update(outbox)
    .set({
      status: "failed",
      attempts: sql`${outbox.attempts} + 1`,
      lastError: errorText(error),
      updatedAt: new Date(),
    })
    .where(and(eq(outbox.id, outboxId), ne(outbox.status, "done")));
}

/** Out of retries. False if the job had completed after all (nothing to clean up then). */
export async function markJobDead(tx: Tx, outboxId: string): Promise<boolean> {
  const rows = await tx
    .update(outbox)
    .set({ status: "dead", completedAt: new Date(), updatedAt: new Date() })
    .where(and(eq(outbox.id, outboxId), ne(outbox.status, "done")))
    .returning({ id: outbox.id });
  return rows.length > 0;
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, MAX_ERROR_LENGTH);
}
