import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { tickets } from "../../worker/db/desk-schema";
import worker from "../../worker/index";
import { call, type Session, signUp, workerDatabase } from "./helpers";

/*
 * The desk's working tools: the "Breaching soon" and "Overdue" views and their counts (stored
 * SLA deadlines, filtered in SQL), bulk actions, custom fields, company and deal links, and
 * tickets on the CRM's timelines.
 */

interface Ticket {
  id: string;
  number: number;
  subject: string;
  status: string;
  priority: string;
  assigneeId: string | null;
  tags: string[];
  version: number;
}

interface Counts {
  myOpen: number;
  unassigned: number;
  unsolved: number;
  breachingSoon: number;
  overdue: number;
}

const URGENT_30 = {
  priority: "urgent",
  firstResponseMinutes: 30,
  nextResponseMinutes: null,
  resolutionMinutes: 240,
  businessHours: false,
};

async function openTicket(session: Session, body: Record<string, unknown>) {
  const response = await call<Ticket>("/tickets", {
    method: "POST",
    token: session.accessToken,
    body: { description: "Help, please.", ...body },
  });
  expect(response.status).toBe(201);
  return response.body.data;
}

async function list(session: Session, query: string) {
  const response = await call<Ticket[]>(`/tickets?${query}`, { token: session.accessToken });
  expect(response.status).toBe(200);
  const meta = response.body.meta as { counts: Counts };
  return { tickets: response.body.data, counts: meta.counts };
}

/** Moves a ticket's creation back in time (as if it had waited that long). */
async function age(session: Session, id: string, minutes: number) {
  const db = workerDatabase();
  try {
    await db.transaction({ orgId: session.orgId, userId: null }, (tx) =>
      tx
        .update(tickets)
        .set({ createdAt: sql`${tickets.createdAt} - make_interval(mins => ${minutes})` })
        .where(eq(tickets.id, id)),
    );
  } finally {
    await db.close();
  }
}

async function runSlaCheck() {
  const batch = createMessageBatch("switchboard-jobs", [
    {
      id: `sla-${Date.now()}`,
      timestamp: new Date(),
      attempts: 1,
      body: { type: "maintenance.sla_check", requestedAt: new Date().toISOString() },
    },
  ]);
  const ctx = createExecutionContext();
  await worker.queue?.(batch, env, ctx);
  const result = await getQueueResult(batch, ctx);
  expect(result.explicitAcks).toHaveLength(1);
}

describe("Breaching soon and Overdue", () => {
  it("lists and counts tickets by their next running SLA target, paused and met ones aside", async () => {
    const owner = await signUp("desk-sla-views");
    const policies = await call("/sla/policies", {
      method: "PUT",
      token: owner.accessToken,
      body: { policies: [URGENT_30] },
    });
    expect(policies.status).toBe(200);
    const late = await openTicket(owner, { subject: "Late", priority: "urgent" });
    const soon = await openTicket(owner, { subject: "Soon", priority: "urgent" });
    const fresh = await openTicket(owner, { subject: "Fresh", priority: "urgent" });
    const answered = await openTicket(owner, { subject: "Answered", priority: "urgent" });
    const noPolicy = await openTicket(owner, { subject: "No policy", priority: "normal" });
    // Answered in time: its first response is met; its resolution (240 min) is far off.
    await call(`/tickets/${answered.id}/comments`, {
      method: "POST",
      token: owner.accessToken,
      body: { body: "On it." },
    });
    // The clock: "late" waited 45 minutes (target 30), "soon" 25 (warning from 22: 30 - 8),
    // "answered" 25 too, but its first response is met and its resolution is hours away.
    await age(owner, late.id, 45);
    await age(owner, soon.id, 25);
    await age(owner, answered.id, 25);
    await age(owner, noPolicy.id, 600);
    await runSlaCheck();

    const overdue = await list(owner, "view=overdue");
    expect(overdue.tickets.map((t) => t.subject)).toEqual(["Late"]);
    const breaching = await list(owner, "view=breaching_soon");
    expect(breaching.tickets.map((t) => t.subject)).toEqual(["Soon"]);
    expect(breaching.counts).toMatchObject({ breachingSoon: 1, overdue: 1, unsolved: 5 });

    // A reply meets "soon"'s first response: it leaves the view at once (no job needed).
    await call(`/tickets/${soon.id}/comments`, {
      method: "POST",
      token: owner.accessToken,
      body: { body: "Here you go." },
    });
    expect((await list(owner, "view=breaching_soon")).tickets).toEqual([]);
    // Solving "late" takes it out of Overdue.
    const solved = await call(`/tickets/${late.id}`, {
      method: "PATCH",
      token: owner.accessToken,
      body: { status: "solved" },
    });
    expect(solved.status).toBe(200);
    const after = await list(owner, "view=overdue");
    expect(after.tickets).toEqual([]);
    expect(after.counts).toMatchObject({ breachingSoon: 0, overdue: 0 });
    expect(fresh.id).toBeTruthy();

    // Dropping the policy stops the clocks: nothing is breaching any more.
    await age(owner, fresh.id, 26);
    await runSlaCheck();
    expect((await list(owner, "view=breaching_soon")).counts.breachingSoon).toBe(1);
    await call("/sla/policies", {
      method: "PUT",
      token: owner.accessToken,
      body: { policies: [] },
    });
    expect((await list(owner, "view=breaching_soon")).counts.breachingSoon).toBe(0);
  });
});
