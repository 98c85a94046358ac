import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { tickets } from "../../worker/db/desk-schema";
import worker from "../../worker/index";
import {
  addMember,
  call,
  connectSocket,
  expectErrorEnvelope,
  type Session,
  signUp,
  workerDatabase,
} from "./helpers";
import { APP, page } from "./page-helpers";

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

/** A form posted from a page (same origin); fields may repeat (ticked rows). */
async function post(path: string, accessToken: string, fields: [string, string][]) {
  const response = await page(path, accessToken, {
    method: "POST",
    redirect: "manual",
    headers: {
      host: "switchboard.test",
      origin: APP,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams(fields).toString(),
  });
  return response;
}

function textOf(html: string): string {
  return html.replaceAll("<!-- -->", "");
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

interface BulkResult {
  updated: number;
  deleted: number;
  skipped: number;
  results: { id: string; outcome: string; message: string | null; ticket: Ticket | null }[];
}

function bulk(session: Session, body: unknown) {
  return call<BulkResult>("/tickets/bulk", { method: "POST", token: session.accessToken, body });
}

describe("Bulk actions on tickets", () => {
  it("changes many tickets in one go, each by the single edit's rules, live and audited", async () => {
    const owner = await signUp("desk-bulk");
    const agent = await addMember(owner, "agent");
    const viewer = await addMember(owner, "viewer");
    const manager = await addMember(owner, "manager");
    const stranger = await signUp("desk-bulk-other");
    const theirs = await openTicket(stranger, { subject: "Not yours" });
    const a = await openTicket(owner, { subject: "A", tags: ["billing"] });
    const b = await openTicket(owner, { subject: "B" });
    const stale = await openTicket(owner, { subject: "Stale" });
    const closed = await openTicket(owner, { subject: "Closed", status: "closed" });
    // Someone changes "Stale" after the agent looked at it.
    await call(`/tickets/${stale.id}`, {
      method: "PATCH",
      token: owner.accessToken,
      body: { priority: "low" },
    });
    const socket = await connectSocket({ authorization: `Bearer ${owner.accessToken}` });

    const response = await bulk(agent, {
      action: "update",
      ids: [a.id, b.id, stale.id, closed.id, theirs.id],
      versions: { [a.id]: a.version, [stale.id]: stale.version },
      changes: {
        status: "pending",
        priority: "high",
        assigneeId: agent.userId,
        addTags: ["VIP"],
        removeTags: ["billing"],
      },
    });
    expect(response.status).toBe(200);
    expect(response.body.message).toBe("2 updated, 3 skipped.");
    const outcomes = Object.fromEntries(response.body.data.results.map((r) => [r.id, r.outcome]));
    expect(outcomes).toEqual({
      [a.id]: "updated",
      [b.id]: "updated",
      [stale.id]: "conflict",
      [closed.id]: "conflict",
      [theirs.id]: "not_found",
    });
    const changedA = response.body.data.results.find((r) => r.id === a.id)?.ticket;
    expect(changedA).toMatchObject({
      status: "pending",
      priority: "high",
      assigneeId: agent.userId,
      tags: ["vip"],
      version: a.version + 1,
    });
    // Everyone looking sees both change live.
    for (const id of [a.id, b.id]) {
      await socket.waitFor(
        (event) =>
          event.type === "ticket.updated" &&
          event.ticket.id === id &&
          event.ticket.status === "pending",
      );
    }
    socket.socket.close();
    // The stale and the other organization's tickets are untouched.
    const untouched = await call<Ticket>(`/tickets/${stale.id}`, { token: owner.accessToken });
    expect(untouched.body.data).toMatchObject({ priority: "low", status: "new" });
    const foreign = await call<Ticket>(`/tickets/${theirs.id}`, { token: stranger.accessToken });
    expect(foreign.body.data).toMatchObject({ status: "new", version: 1 });
    // The same change again changes nothing.
    const again = await bulk(agent, {
      action: "update",
      ids: [a.id],
      changes: { status: "pending", addTags: ["vip"] },
    });
    expect(again.body.data.results[0]?.outcome).toBe("unchanged");

    // Audited once, with what changed.
    const audit = await call<{ action: string; metadata: { ids: string[] } }[]>(
      "/audit-logs?limit=20",
      { token: owner.accessToken },
    );
    const entries = audit.body.data.filter((entry) => entry.action === "tickets.bulk_updated");
    expect(entries).toHaveLength(1);
    expect(entries[0]?.metadata.ids.sort()).toEqual([a.id, b.id].sort());

    // Permissions: a viewer changes nothing, an agent deletes nothing; a manager deletes.
    expectErrorEnvelope(
      await bulk(viewer, { action: "update", ids: [a.id], changes: { priority: "low" } }),
      403,
    );
    expectErrorEnvelope(await bulk(agent, { action: "delete", ids: [a.id] }), 403);
    const deleted = await bulk(manager, { action: "delete", ids: [a.id, theirs.id] });
    expect(deleted.body.data).toMatchObject({ deleted: 1, skipped: 1 });
    expect((await call(`/tickets/${a.id}`, { token: owner.accessToken })).status).toBe(404);
    expect((await call(`/tickets/${theirs.id}`, { token: stranger.accessToken })).status).toBe(200);

    // Bad input is a 422: no change, an unknown assignee, too many ids.
    expectErrorEnvelope(await bulk(agent, { action: "update", ids: [b.id], changes: {} }), 422);
    expectErrorEnvelope(
      await bulk(agent, {
        action: "update",
        ids: [b.id],
        changes: { assigneeId: stranger.userId },
      }),
      422,
    );
    expectErrorEnvelope(
      await bulk(agent, {
        action: "update",
        ids: Array.from({ length: 101 }, () => crypto.randomUUID()),
        changes: { priority: "low" },
      }),
      422,
    );
  });
});

describe("the ticket list's bulk bar and SLA views", () => {
  it("shows Breaching soon with its count, and applies a bulk change to the ticked rows", async () => {
    const owner = await signUp("desk-bulk-page");
    const viewer = await addMember(owner, "viewer");
    await call("/sla/policies", {
      method: "PUT",
      token: owner.accessToken,
      body: { policies: [URGENT_30] },
    });
    const soon = await openTicket(owner, { subject: "Printer on fire", priority: "urgent" });
    const other = await openTicket(owner, { subject: "Password reset", priority: "low" });
    await age(owner, soon.id, 25);
    await runSlaCheck();

    const html = textOf(await (await page("/app/tickets", owner.accessToken)).text());
    expect(html).toMatch(/data-testid="count-breaching_soon"[^>]*>1</);
    expect(html).toMatch(/data-testid="count-overdue"[^>]*>0</);
    expect(html).toContain('data-testid="ticket-bulk-bar"');
    expect(html).toContain(`aria-label="Select ticket #${soon.number}"`);
    const view = textOf(
      await (await page("/app/tickets?view=breaching_soon", owner.accessToken)).text(),
    );
    expect(view).toContain("Printer on fire");
    expect(view).not.toContain("Password reset");

    // A viewer gets no checkboxes and no bar.
    const read = await (await page("/app/tickets", viewer.accessToken)).text();
    expect(read).not.toContain('data-testid="ticket-bulk-bar"');

    const response = await post("/app/tickets", owner.accessToken, [
      ["intent", "bulk-update"],
      ["ids", `${soon.id}:${soon.version}`],
      ["ids", `${other.id}:${other.version}`],
      ["status", ""],
      ["priority", "high"],
      ["assigneeId", owner.userId],
      ["addTag", "escalated, printers"],
      ["removeTag", ""],
    ]);
    expect(response.status).toBe(200);
    expect(textOf(await response.text())).toContain("2 tickets updated.");
    for (const id of [soon.id, other.id]) {
      const ticket = (await call<Ticket>(`/tickets/${id}`, { token: owner.accessToken })).body.data;
      expect(ticket).toMatchObject({
        priority: "high",
        assigneeId: owner.userId,
        tags: ["escalated", "printers"],
      });
    }
    // The versions the agent saw are stale now: the same form again skips both.
    const again = await post("/app/tickets", owner.accessToken, [
      ["intent", "bulk-update"],
      ["ids", `${soon.id}:${soon.version}`],
      ["ids", `${other.id}:${other.version}`],
      ["priority", "low"],
    ]);
    expect(textOf(await again.text())).toContain("0 tickets updated. 2 skipped");
    // Nothing picked: said so, nothing changes.
    const empty = await post("/app/tickets", owner.accessToken, [
      ["intent", "bulk-update"],
      ["ids", soon.id],
    ]);
    expect(textOf(await empty.text())).toContain("Choose at least one change.");
  });
});
