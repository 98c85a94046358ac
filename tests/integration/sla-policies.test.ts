import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { tickets } from "../../worker/db/desk-schema";
import {
  addMember,
  call,
  expectErrorEnvelope,
  type Session,
  signUp,
  workerDatabase,
} from "./helpers";
import { page, post, textOf } from "./page-helpers";

/*
 * SLA policies scoped to a team and/or a ticket type: a ticket takes the most specific one
 * (team and type, team, type, organization-wide), a change of its team or type moves its
 * stored deadlines, and Settings -> SLA edits the policies and the business calendar.
 */

interface Ticket {
  id: string;
  version: number;
  sla: {
    policy: {
      priority: string;
      teamId: string | null;
      teamName: string | null;
      ticketType: string | null;
    };
    targets: { metric: string; targetMinutes: number }[];
  } | null;
}

interface Policy {
  priority: string;
  firstResponseMinutes: number | null;
  nextResponseMinutes: number | null;
  resolutionMinutes: number | null;
  businessHours: boolean;
  teamId?: string | null;
  ticketType?: string | null;
}

/** An around-the-clock policy whose first response target is `first` minutes. */
function policy(priority: string, first: number, scope: Partial<Policy> = {}): Policy {
  return {
    priority,
    firstResponseMinutes: first,
    nextResponseMinutes: null,
    resolutionMinutes: null,
    businessHours: false,
    ...scope,
  };
}

async function putPolicies(session: Session, policies: Policy[]) {
  return call<Policy[]>("/sla/policies", {
    method: "PUT",
    token: session.accessToken,
    body: { policies },
  });
}

async function createTeam(session: Session, name: string): Promise<string> {
  const response = await call<{ id: string }>("/teams", {
    method: "POST",
    token: session.accessToken,
    body: { name },
  });
  expect(response.status).toBe(201);
  return response.body.data.id;
}

async function openTicket(session: Session, body: Record<string, unknown>): Promise<Ticket> {
  const response = await call<Ticket>("/tickets", {
    method: "POST",
    token: session.accessToken,
    body: { subject: "Help", description: "Help, please.", priority: "urgent", ...body },
  });
  expect(response.status).toBe(201);
  return response.body.data;
}

async function patchTicket(session: Session, id: string, body: Record<string, unknown>) {
  const response = await call<Ticket>(`/tickets/${id}`, {
    method: "PATCH",
    token: session.accessToken,
    body,
  });
  expect(response.status).toBe(200);
  return response.body.data;
}

const firstTarget = (ticket: Ticket) =>
  ticket.sla?.targets.find((target) => target.metric === "first_response")?.targetMinutes;

/** What the ticket stores for the Breaching soon / Overdue views. */
async function storedDueAt(session: Session, id: string): Promise<Date | null> {
  const db = workerDatabase();
  try {
    const [row] = await db.transaction({ orgId: session.orgId, userId: null }, (tx) =>
      tx
        .select({ due: tickets.slaDueAt, created: tickets.createdAt })
        .from(tickets)
        .where(eq(tickets.id, id)),
    );
    return row?.due ?? null;
  } finally {
    await db.close();
  }
}

async function createdAt(session: Session, id: string): Promise<Date> {
  const db = workerDatabase();
  try {
    const [row] = await db.transaction({ orgId: session.orgId, userId: null }, (tx) =>
      tx.select({ created: tickets.createdAt }).from(tickets).where(eq(tickets.id, id)),
    );
    return row?.created as Date;
  } finally {
    await db.close();
  }
}

async function dueInMinutes(session: Session, id: string): Promise<number | null> {
  const due = await storedDueAt(session, id);
  if (!due) return null;
  return Math.round((due.getTime() - (await createdAt(session, id)).getTime()) / 60_000);
}

describe("SLA policies per team and ticket type", () => {
  it("a ticket takes the most specific policy: team and type, team, type, organization-wide", async () => {
    const owner = await signUp("sla-scoped");
    const billing = await createTeam(owner, "Billing");
    const support = await createTeam(owner, "Support");
    const saved = await putPolicies(owner, [
      policy("urgent", 60),
      policy("urgent", 30, { teamId: billing }),
      policy("urgent", 20, { ticketType: "incident" }),
      policy("urgent", 10, { teamId: billing, ticketType: "incident" }),
      policy("high", 240),
    ]);
    expect(saved.status).toBe(200);
    // Listed organization-wide first, each with its scope.
    expect(saved.body.data[0]).toMatchObject({ priority: "high", teamId: null, ticketType: null });
    expect(saved.body.data).toHaveLength(5);
    expect(saved.body.data).toContainEqual(
      expect.objectContaining({ priority: "urgent", teamId: billing, ticketType: "incident" }),
    );

    const both = await openTicket(owner, { teamId: billing, type: "incident" });
    expect(firstTarget(both)).toBe(10);
    expect(both.sla?.policy).toMatchObject({
      priority: "urgent",
      teamId: billing,
      teamName: "Billing",
      ticketType: "incident",
    });
    expect(firstTarget(await openTicket(owner, { teamId: billing, type: "question" }))).toBe(30);
    expect(firstTarget(await openTicket(owner, { teamId: support, type: "incident" }))).toBe(20);
    const plain = await openTicket(owner, { teamId: support });
    expect(firstTarget(plain)).toBe(60);
    expect(plain.sla?.policy).toMatchObject({ teamId: null, teamName: null, ticketType: null });
    // A scoped policy never reaches another priority.
    expect(firstTarget(await openTicket(owner, { priority: "high", teamId: billing }))).toBe(240);
    expect((await openTicket(owner, { priority: "low", teamId: billing })).sla).toBeNull();

    // The same scope twice is refused; the organization-wide contract is unchanged.
    expectErrorEnvelope(
      await putPolicies(owner, [
        policy("urgent", 30, { teamId: billing }),
        policy("urgent", 40, { teamId: billing }),
      ]),
      422,
    );
    const plainOnly = await putPolicies(owner, [policy("urgent", 45)]);
    expect(plainOnly.body.data).toEqual([
      {
        priority: "urgent",
        firstResponseMinutes: 45,
        nextResponseMinutes: null,
        resolutionMinutes: null,
        businessHours: false,
        teamId: null,
        ticketType: null,
      },
    ]);
    expect(firstTarget(await openTicket(owner, { teamId: billing, type: "incident" }))).toBe(45);
  });

  it("moving a ticket to another team or type recomputes its stored deadlines", async () => {
    const owner = await signUp("sla-move");
    const billing = await createTeam(owner, "Billing");
    await putPolicies(owner, [
      policy("urgent", 60),
      policy("urgent", 15, { teamId: billing }),
      policy("urgent", 120, { ticketType: "task" }),
    ]);
    const ticket = await openTicket(owner, {});
    expect(await dueInMinutes(owner, ticket.id)).toBe(60);

    const moved = await patchTicket(owner, ticket.id, { teamId: billing, version: ticket.version });
    expect(firstTarget(moved)).toBe(15);
    expect(await dueInMinutes(owner, ticket.id)).toBe(15);

    const retyped = await patchTicket(owner, ticket.id, { teamId: null, type: "task" });
    expect(firstTarget(retyped)).toBe(120);
    expect(await dueInMinutes(owner, ticket.id)).toBe(120);

    // Bulk changes go through the same write.
    const bulk = await call("/tickets/bulk", {
      method: "POST",
      token: owner.accessToken,
      body: { ids: [ticket.id], action: "update", changes: { teamId: billing } },
    });
    expect(bulk.status).toBe(200);
    expect(await dueInMinutes(owner, ticket.id)).toBe(15);

    // Deleting the team takes its policy along; its tickets fall back to the others.
    const deleted = await call(`/teams/${billing}`, { method: "DELETE", token: owner.accessToken });
    expect(deleted.status).toBeLessThan(300);
    expect(await dueInMinutes(owner, ticket.id)).toBe(120);
    const listed = await call<Policy[]>("/sla/policies", { token: owner.accessToken });
    expect(listed.body.data.map((p) => p.teamId ?? null)).toEqual([null, null]);
  });

  it("refuses another organization's team, bad scopes and non-admins", async () => {
    const owner = await signUp("sla-scope-owner");
    const other = await signUp("sla-scope-other");
    const theirTeam = await createTeam(other, "Theirs");
    const refused = await putPolicies(owner, [policy("urgent", 30, { teamId: theirTeam })]);
    expectErrorEnvelope(refused, 422);
    expect(JSON.stringify(refused.body)).toContain("No such team.");
    expectErrorEnvelope(
      await putPolicies(owner, [policy("urgent", 30, { teamId: "not-a-team" })]),
      422,
    );
    expectErrorEnvelope(
      await putPolicies(owner, [policy("urgent", 30, { ticketType: "complaint" })]),
      422,
    );
    expectErrorEnvelope(await putPolicies(owner, [policy("urgent", 0)]), 422);
    const manager = await addMember(owner, "manager");
    expectErrorEnvelope(await putPolicies(manager, [policy("urgent", 30)]), 403);
    // The other organization still has none.
    const theirs = await call<Policy[]>("/sla/policies", { token: other.accessToken });
    expect(theirs.body.data).toEqual([]);
    // Overlapping periods in a day are refused too.
    expectErrorEnvelope(
      await call("/sla/calendar", {
        method: "PUT",
        token: owner.accessToken,
        body: {
          timeZone: "UTC",
          week: [
            [],
            [
              { start: "09:00", end: "13:00" },
              { start: "12:00", end: "17:00" },
            ],
            [],
            [],
            [],
            [],
            [],
          ],
          holidays: [],
        },
      }),
      422,
    );
  });
});

/** The page's action answered as data (what the page's own script receives). */
const SLA_ACTION = `/app/settings/sla?_data=${encodeURIComponent("routes/app.settings.sla")}`;

describe("Settings -> SLA", () => {
  it("shows the policies, overrides and calendar; admins save them, others only read", async () => {
    const owner = await signUp("sla-page");
    const billing = await createTeam(owner, "Billing");
    await putPolicies(owner, [policy("urgent", 90), policy("high", 60, { teamId: billing })]);
    const html = await textOf(await page("/app/settings/sla", owner.accessToken));
    expect(html).toContain("Targets per priority");
    expect(html).toContain('value="1h 30m"');
    expect(html).toContain("High · Billing team");
    expect(html).toContain("First response 1h");
    expect(html).toContain("Monday");
    expect(html).toContain("Save business hours");

    // Save the organization-wide targets: the override stays.
    const saved = await post(SLA_ACTION, owner.accessToken, {
      intent: "save-policies",
      "urgent.first": "30m",
      "urgent.next": "",
      "urgent.resolution": "1h 30m",
      "urgent.businessHours": "on",
      "normal.first": "480",
    });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ ok: true, message: "SLA policies saved." });
    const policies = (await call<Policy[]>("/sla/policies", { token: owner.accessToken })).body
      .data;
    expect(policies).toEqual([
      {
        priority: "normal",
        firstResponseMinutes: 480,
        nextResponseMinutes: null,
        resolutionMinutes: null,
        businessHours: false,
        teamId: null,
        ticketType: null,
      },
      {
        priority: "urgent",
        firstResponseMinutes: 30,
        nextResponseMinutes: null,
        resolutionMinutes: 90,
        businessHours: true,
        teamId: null,
        ticketType: null,
      },
      expect.objectContaining({ priority: "high", teamId: billing, firstResponseMinutes: 60 }),
    ]);

    // A target that cannot be read is a field error, and nothing changes.
    const bad = await post(SLA_ACTION, owner.accessToken, {
      intent: "save-policies",
      "urgent.first": "soon",
    });
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({
      ok: false,
      fieldErrors: { "urgent.first": ["Use hours and minutes, e.g. 4h, 1h 30m or 45m."] },
    });

    // Add an override for a ticket type, then one without a scope (refused), then remove it.
    const added = await post(SLA_ACTION, owner.accessToken, {
      intent: "add-override",
      "new.teamId": "",
      "new.ticketType": "incident",
      "new.priority": "urgent",
      "new.first": "15m",
    });
    expect(await added.json()).toMatchObject({ ok: true, message: "Override added." });
    const unscoped = await post(SLA_ACTION, owner.accessToken, {
      intent: "add-override",
      "new.teamId": "",
      "new.ticketType": "",
      "new.priority": "urgent",
      "new.first": "15m",
    });
    expect(unscoped.status).toBe(422);
    expect(Object.keys(((await unscoped.json()) as { fieldErrors: object }).fieldErrors)).toEqual([
      "new.teamId",
    ]);
    const afterAdd = await textOf(await page("/app/settings/sla", owner.accessToken));
    expect(afterAdd).toContain("Urgent · Incident");
    const removed = await post(SLA_ACTION, owner.accessToken, {
      intent: "remove-override",
      key: "urgent||incident",
    });
    expect(await removed.json()).toMatchObject({ ok: true, message: "Override removed." });

    // The calendar: an end before its start and an unknown time zone are field errors, shown.
    const week = {
      "day.1.open": "on",
      "day.1.0.start": "18:00",
      "day.1.0.end": "09:00",
      "day.2.open": "on",
      "day.2.0.start": "9:00",
      "day.2.0.end": "17:30",
    };
    const wrong = await post("/app/settings/sla", owner.accessToken, {
      intent: "save-calendar",
      timeZone: "Mars/Olympus",
      ...week,
    });
    expect(wrong.status).toBe(422);
    const wrongPage = await textOf(wrong);
    expect(wrongPage).toContain("The end comes after the start.");
    expect(wrongPage).toContain("Choose a time zone from the list.");
    const right = await post(SLA_ACTION, owner.accessToken, {
      intent: "save-calendar",
      timeZone: "Europe/Madrid",
      ...week,
      "day.1.0.start": "08:00",
      "day.1.0.end": "12:00",
      "day.1.1.start": "13:00",
      "day.1.1.end": "18:00",
    });
    expect(right.status).toBe(200);
    const holiday = await post(SLA_ACTION, owner.accessToken, {
      intent: "add-holiday",
      holiday: "2026-12-25",
    });
    expect(holiday.status).toBe(200);
    const badHoliday = await post(SLA_ACTION, owner.accessToken, {
      intent: "add-holiday",
      holiday: "2026-02-30",
    });
    expect(badHoliday.status).toBe(422);
    const calendar = await call("/sla/calendar", { token: owner.accessToken });
    expect(calendar.body.data).toEqual({
      timeZone: "Europe/Madrid",
      week: [
        [],
        [
          { start: "08:00", end: "12:00" },
          { start: "13:00", end: "18:00" },
        ],
        [{ start: "09:00", end: "17:30" }],
        [],
        [],
        [],
        [],
      ],
      holidays: ["2026-12-25"],
    });
    expect(await textOf(await page("/app/settings/sla", owner.accessToken))).toContain(
      "Dec 25, 2026",
    );

    // An agent reads the page but cannot change anything.
    const agent = await addMember(owner, "agent");
    const readOnly = await textOf(await page("/app/settings/sla", agent.accessToken));
    expect(readOnly).toContain("Only owners and admins can change SLA policies");
    expect(readOnly).not.toContain("Save targets");
    const refused = await post(SLA_ACTION, agent.accessToken, {
      intent: "save-policies",
      "urgent.first": "1m",
    });
    expect(refused.status).toBe(403);
  });

  it("the ticket page names a scoped policy and moves the ticket between teams", async () => {
    const owner = await signUp("sla-ticket-page");
    const billing = await createTeam(owner, "Billing");
    await putPolicies(owner, [policy("urgent", 60), policy("urgent", 20, { teamId: billing })]);
    const scoped = await openTicket(owner, { teamId: billing });
    const html = await textOf(await page(`/app/tickets/${scoped.id}`, owner.accessToken));
    expect(html).toContain("Policy: Urgent · Billing team.");
    const plain = await openTicket(owner, {});
    const before = await textOf(await page(`/app/tickets/${plain.id}`, owner.accessToken));
    expect(before).toContain("Policy: Urgent.");
    expect(before).toContain('name="teamId"');
    // The properties form moves it to the team: the team's policy applies.
    const moved = await post(
      `/app/tickets/${plain.id}?_data=${encodeURIComponent("routes/app.tickets_.$id")}`,
      owner.accessToken,
      { intent: "update", version: String(plain.version), teamId: billing },
    );
    expect(moved.status).toBe(200);
    expect(await textOf(await page(`/app/tickets/${plain.id}`, owner.accessToken))).toContain(
      "Policy: Urgent · Billing team.",
    );
  });
});
