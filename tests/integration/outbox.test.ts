import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  env,
  getQueueResult,
  SELF,
} from "cloudflare:test";
import { eq, ne } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import type { Actor } from "../../worker/auth/actor";
import { outbox } from "../../worker/db/schema";
import { createExport } from "../../worker/exports/service";
import worker from "../../worker/index";
import type { TenantScope } from "../../worker/lib/scope";
import { runUnitOfWork } from "../../worker/lib/unit-of-work";
import {
  addMember,
  call,
  connectSocket,
  expectErrorEnvelope,
  type Session,
  signUp,
  workerDatabase,
} from "./helpers";

/*
 * One unit of work with an outbox (docs/decisions/022-unit-of-work-and-outbox.md): jobs commit
 * with the data that asks for them, are sent after commit or by the relay, and run once.
 */

interface Job {
  id: string;
  type: string;
  status: "pending" | "done" | "failed" | "dead";
  attempts: number;
  lastError: string | null;
  subjectId: string | null;
}

interface JobList {
  jobs: Job[];
  counts: Record<Job["status"], number>;
}

interface ExportJob {
  id: string;
  status: string;
  rowCount: number | null;
}

const theProcessDied = () => {};

function ownerActor(session: Session): Actor {
  return {
    kind: "user",
    orgId: session.orgId,
    role: "owner",
    userId: session.userId,
    apiKeyId: null,
    sessionId: null,
    name: "Owner",
  };
}

/**
 * Runs `work` as a unit of work of the session's organization whose isolate "dies" right after
 * commit: nothing is published or sent.
 */
async function commitWithoutSending<T>(
  session: Session,
  work: (scope: TenantScope) => Promise<T>,
): Promise<T> {
  const db = workerDatabase();
  try {
    return await runUnitOfWork(
      db,
      { orgId: session.orgId, userId: session.userId },
      theProcessDied,
      (unit) =>
        work({
          ...unit,
          actor: ownerActor(session),
          meta: { requestId: "test", ip: null, userAgent: null },
        }),
    );
  } finally {
    await db.close();
  }
}

/** The organization's outbox rows but its owner's sign-up email (a job too, sent on its own). */
async function outboxRows(orgId: string) {
  const db = workerDatabase();
  try {
    return await db.transaction({ orgId, userId: null }, (tx) =>
      tx.select().from(outbox).where(ne(outbox.type, "email.send")),
    );
  } finally {
    await db.close();
  }
}

/** As if the row had been committed long enough ago for the relay to look at it. */
async function age(orgId: string, outboxId: string) {
  const db = workerDatabase();
  try {
    await db.transaction({ orgId, userId: null }, (tx) =>
      tx
        .update(outbox)
        .set({ createdAt: new Date(Date.now() - 10 * 60_000) })
        .where(eq(outbox.id, outboxId)),
    );
  } finally {
    await db.close();
  }
}

async function jobsOf(session: Session, query = "") {
  const response = await call<JobList>(`/jobs${query}`, { token: session.accessToken });
  expect(response.status).toBe(200);
  return response.body.data;
}

async function waitForJob(session: Session, id: string, status: Job["status"]) {
  return vi.waitFor(
    async () => {
      const job = (await jobsOf(session)).jobs.find((candidate) => candidate.id === id);
      expect(job?.status).toBe(status);
      return job as Job;
    },
    { timeout: 20_000, interval: 200 },
  );
}

async function exportOf(session: Session, id: string) {
  const response = await call<ExportJob>(`/exports/${id}`, { token: session.accessToken });
  expect(response.status).toBe(200);
  return response.body.data;
}

async function exportAudits(session: Session, exportId: string) {
  const response = await call<{ targetId: string | null }[]>(
    "/audit-logs?action=records.exported&limit=100",
    { token: session.accessToken },
  );
  expect(response.status).toBe(200);
  return response.body.data.filter((entry) => entry.targetId === exportId);
}

async function deliver(queue: string, bodies: unknown[]) {
  const batch = createMessageBatch(
    queue,
    bodies.map((body, index) => ({
      id: `${queue}-${crypto.randomUUID()}-${index}`,
      timestamp: new Date(),
      attempts: 1,
      body,
    })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return getQueueResult(batch, ctx);
}

const runCron = () => worker.scheduled(createScheduledController({ cron: "*/15 * * * *" }), env);

describe("unit of work and outbox", () => {
  it("a job committed by a unit of work whose isolate died before sending is sent by the relay, and runs once", async () => {
    const owner = await signUp("outbox-relay");
    const exportJob = await commitWithoutSending(owner, (scope) =>
      createExport(scope, { entity: "contact", query: {} }),
    );
    // Committed, never sent: the export waits and its job is pending in the outbox.
    const [row] = await outboxRows(owner.orgId);
    expect(row).toMatchObject({ type: "export.run", status: "pending", attempts: 0 });
    expect(row?.payload).toMatchObject({
      type: "export.run",
      jobId: exportJob.id,
      outboxId: row?.id,
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await exportOf(owner, exportJob.id)).status).toBe("pending");

    await age(owner.orgId, row?.id as string);
    await runCron();
    const done = await waitForJob(owner, row?.id as string, "done");
    expect(done.attempts).toBe(1);
    expect((await exportOf(owner, exportJob.id)).status).toBe("completed");

    // The relay does not send it again, and it ran exactly once.
    await runCron();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const after = (await jobsOf(owner)).jobs.find((job) => job.id === row?.id);
    expect(after).toMatchObject({ id: row?.id, status: "done", attempts: 1 });
    expect(await exportAudits(owner, exportJob.id)).toHaveLength(1);
  });

  it("a job the queue delivers twice runs once", async () => {
    const owner = await signUp("outbox-twice");
    const socket = await connectSocket({ authorization: `Bearer ${owner.accessToken}` });
    const exportJob = await commitWithoutSending(owner, (scope) =>
      createExport(scope, { entity: "contact", query: {} }),
    );
    const [row] = await outboxRows(owner.orgId);
    const message = row?.payload;

    const result = await deliver("switchboard-jobs", [message, message]);
    expect(result.explicitAcks).toHaveLength(2);
    expect(result.retryMessages).toEqual([]);
    const again = await deliver("switchboard-jobs", [message]);
    expect(again.explicitAcks).toHaveLength(1);

    const job = (await jobsOf(owner)).jobs.find((candidate) => candidate.id === row?.id);
    expect(job).toMatchObject({ id: row?.id, status: "done", attempts: 1 });
    expect(await exportAudits(owner, exportJob.id)).toHaveLength(1);
    await socket.waitFor((event) => event.type === "export.ready" && event.jobId === exportJob.id);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(socket.events.filter((event) => event.type === "export.ready")).toHaveLength(1);
    socket.socket.close();
  });

  it("the records an import job writes reach the organization's sockets", async () => {
    const owner = await signUp("outbox-events");
    const socket = await connectSocket({ authorization: `Bearer ${owner.accessToken}` });
    const csv = [
      "First Name,Last Name,Email",
      "Ada,Lovelace,ada@example.com",
      "Alan,Turing,alan@example.com",
    ].join("\r\n");
    const uploaded = await call<{ job: { id: string } }>("/imports", {
      method: "POST",
      token: owner.accessToken,
      body: {
        entity: "contact",
        csv,
        mapping: { "First Name": "firstName", "Last Name": "lastName", Email: "email" },
      },
    });
    expect(uploaded.status).toBe(201);
    const started = await call(`/imports/${uploaded.body.data.job.id}/start`, {
      method: "POST",
      token: owner.accessToken,
    });
    expect(started.status).toBe(202);
    await socket.waitFor(
      (event) => event.type === "import.progress" && event.status === "completed",
      20_000,
    );
    await vi.waitFor(
      () =>
        expect(socket.events.filter((event) => event.type === "contact.created")).toHaveLength(2),
      { timeout: 5000, interval: 100 },
    );
    const listed = await call<{ id: string }[]>("/contacts", { token: owner.accessToken });
    const created = socket.events.flatMap((event) =>
      event.type === "contact.created" ? [event.id] : [],
    );
    expect(created.sort()).toEqual(listed.body.data.map((contact) => contact.id).sort());
    socket.socket.close();
  });

  it("Settings -> Jobs: admins see failed and dead-lettered jobs of their organization only, and retry them", async () => {
    const owner = await signUp("outbox-admin");
    const manager = await addMember(owner, "manager");
    const stranger = await signUp("outbox-stranger");

    // A job that fails: its export is gone. The queue will retry it; the row says why.
    const missing = crypto.randomUUID();
    await commitWithoutSending(owner, async (scope) => {
      scope.enqueue({ type: "export.run", jobId: missing });
    });
    // A job that ran out of retries.
    const exportJob = await commitWithoutSending(owner, (scope) =>
      createExport(scope, { entity: "contact", query: {} }),
    );
    const rows = await outboxRows(owner.orgId);
    const failing = rows.find((row) => row.payload.jobId === missing);
    const dying = rows.find((row) => row.payload.jobId === exportJob.id);
    const failed = await deliver("switchboard-jobs", [failing?.payload]);
    expect(failed.retryMessages).toHaveLength(1);
    await deliver("switchboard-jobs-dlq", [dying?.payload]);
    expect((await exportOf(owner, exportJob.id)).status).toBe("failed");

    const list = await jobsOf(owner);
    expect(list.counts).toMatchObject({ failed: 1, dead: 1 });
    // Done: only the sign-up and invitation emails, no export.
    expect(list.jobs.filter((job) => job.status === "done").map((job) => job.type)).not.toContain(
      "export.run",
    );
    expect(list.jobs.find((job) => job.id === failing?.id)).toMatchObject({
      status: "failed",
      attempts: 1,
      lastError: expect.stringContaining("export job not found"),
    });
    const dead = await jobsOf(owner, "?status=dead");
    expect(dead.jobs.map((job) => job.id)).toEqual([dying?.id]);
    expect(dead.jobs[0]).toMatchObject({ type: "export.run", subjectId: exportJob.id });

    // Admin-only and tenant-isolated.
    expectErrorEnvelope(await call("/jobs", { token: manager.accessToken }), 403);
    expectErrorEnvelope(
      await call(`/jobs/${dying?.id}/retry`, { method: "POST", token: manager.accessToken }),
      403,
    );
    const strangers = (await jobsOf(stranger)).jobs.map((job) => job.id);
    expect(strangers).not.toContain(failing?.id);
    expect(strangers).not.toContain(dying?.id);
    expect(strangers.filter((id) => rows.some((row) => row.id === id))).toEqual([]);
    expectErrorEnvelope(
      await call(`/jobs/${dying?.id}/retry`, { method: "POST", token: stranger.accessToken }),
      404,
    );

    // The retry reopens the export and runs it.
    const retried = await call<Job>(`/jobs/${dying?.id}/retry`, {
      method: "POST",
      token: owner.accessToken,
    });
    expect(retried.status).toBe(202);
    expect(retried.body.data.status).toBe("pending");
    await waitForJob(owner, dying?.id as string, "done");
    expect((await exportOf(owner, exportJob.id)).status).toBe("completed");
    // Only failed or dead jobs can be retried.
    expectErrorEnvelope(
      await call(`/jobs/${dying?.id}/retry`, { method: "POST", token: owner.accessToken }),
      409,
    );
  });

  it("renders Settings -> Jobs for admins, whose Retry button runs the job again", async () => {
    const owner = await signUp("outbox-page");
    const exportJob = await commitWithoutSending(owner, (scope) =>
      createExport(scope, { entity: "contact", query: {} }),
    );
    const [row] = await outboxRows(owner.orgId);
    await deliver("switchboard-jobs-dlq", [row?.payload]);

    const cookie = `sb_access=${owner.accessToken}`;
    const page = await SELF.fetch("http://switchboard.test/app/settings/jobs", {
      headers: { cookie },
    });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Jobs");
    expect(html).toContain("export.run");
    expect(html).toContain("Dead-lettered");
    expect(html).toContain(`value="${row?.id}"`);

    const posted = await SELF.fetch("http://switchboard.test/app/settings/jobs", {
      method: "POST",
      headers: {
        cookie,
        host: "switchboard.test",
        origin: "http://switchboard.test",
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ intent: "retry", jobId: row?.id as string }).toString(),
    });
    expect(posted.status).toBe(200);
    expect(await posted.text()).toContain("The export.run job was queued again.");
    await waitForJob(owner, row?.id as string, "done");
    expect((await exportOf(owner, exportJob.id)).status).toBe("completed");

    const manager = await addMember(owner, "manager");
    const refused = await SELF.fetch("http://switchboard.test/app/settings/jobs", {
      headers: { cookie: `sb_access=${manager.accessToken}` },
    });
    expect(refused.status).toBe(403);
  });
});
