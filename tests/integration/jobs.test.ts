import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  env,
  getQueueResult,
} from "cloudflare:test";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { sessions } from "../../worker/db/schema";
import worker from "../../worker/index";
import { retryDelaySeconds } from "../../worker/jobs/consumer";
import { signUp, workerDatabase } from "./helpers";

async function insertExpiredSession(orgId: string, userId: string): Promise<string> {
  const id = crypto.randomUUID();
  const db = workerDatabase();
  try {
    await db.transaction({ orgId, userId }, (tx) =>
      tx.insert(sessions).values({
        id,
        orgId,
        userId,
        familyId: crypto.randomUUID(),
        tokenHash: `expired-${id}`,
        expiresAt: new Date(Date.now() - 3 * 86_400_000),
      }),
    );
  } finally {
    await db.close();
  }
  return id;
}

async function sessionIdsOf(orgId: string, userId: string): Promise<string[]> {
  const db = workerDatabase();
  try {
    const rows = await db.transaction({ orgId, userId: null }, (tx) =>
      tx.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, userId)),
    );
    return rows.map((row) => row.id);
  } finally {
    await db.close();
  }
}

describe("queue jobs", () => {
  it("the maintenance job purges long-expired sessions, keeps live ones, and drops unknown jobs", async () => {
    const owner = await signUp("purge");
    const expiredId = await insertExpiredSession(owner.orgId, owner.userId);
    const batch = createMessageBatch("switchboard-jobs", [
      {
        id: "job-1",
        timestamp: new Date(),
        attempts: 1,
        body: { type: "maintenance.purge_expired", requestedAt: new Date().toISOString() },
      },
      { id: "job-2", timestamp: new Date(), attempts: 1, body: { type: "no.such.job" } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks.sort()).toEqual(["job-1", "job-2"]);
    expect(result.retryMessages).toEqual([]);

    const remaining = await sessionIdsOf(owner.orgId, owner.userId);
    expect(remaining).not.toContain(expiredId);
    expect(remaining.length).toBeGreaterThan(0);
  });

  it("the cron trigger runs maintenance through the real local queue", async () => {
    const owner = await signUp("cron");
    const expiredId = await insertExpiredSession(owner.orgId, owner.userId);
    await worker.scheduled(createScheduledController({ cron: "*/15 * * * *" }), env);
    await vi.waitFor(
      async () => expect(await sessionIdsOf(owner.orgId, owner.userId)).not.toContain(expiredId),
      {
        timeout: 15_000,
        interval: 250,
      },
    );
  });

  it("backs off exponentially between retries, capped at five minutes", () => {
    expect([1, 2, 3, 4, 10].map(retryDelaySeconds)).toEqual([5, 10, 20, 40, 300]);
  });

  it("without an organization, the Worker's role cannot delete any tenant row", async () => {
    const db = workerDatabase();
    try {
      const attempt = db.global((tx) => tx.execute(sql`delete from sessions`));
      const result = await attempt;
      expect(result.rowCount).toBe(0);
    } finally {
      await db.close();
    }
  });
});
