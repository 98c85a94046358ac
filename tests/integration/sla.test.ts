import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { tickets } from "../../worker/db/desk-schema";
import worker from "../../worker/index";
import {
  addBusinessMinutes,
  type BusinessCalendar,
  businessMinutesBetween,
  DEFAULT_WEEK,
} from "../../worker/sla/business-hours";
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
 * SLA: targets per priority counted in business hours (time zones, holidays, daylight saving)
 * or around the clock, the clock stopping while a ticket is pending on the requester, and the
 * minute job announcing "breaching soon" and breaches once each, live and in the audit log.
 */

const london: BusinessCalendar = { timeZone: "Europe/London", week: DEFAULT_WEEK, holidays: [] };

describe("business hours", () => {
  it("carries a target over the weekend and past holidays, in the calendar's time zone", () => {
    // Friday 2026-12-04 16:00 in London (GMT) + 2 working hours = Monday 10:00.
    const friday = new Date("2026-12-04T16:00:00Z");
    expect(addBusinessMinutes(friday, 120, london)?.toISOString()).toBe("2026-12-07T10:00:00.000Z");
    // The same with Monday a holiday: Tuesday 10:00.
    const withHoliday = { ...london, holidays: ["2026-12-07"] };
    expect(addBusinessMinutes(friday, 120, withHoliday)?.toISOString()).toBe(
      "2026-12-08T10:00:00.000Z",
    );
    // Arriving on Saturday: counted from Monday 09:00.
    expect(addBusinessMinutes(new Date("2026-12-05T12:00:00Z"), 30, london)?.toISOString()).toBe(
      "2026-12-07T09:30:00.000Z",
    );
    expect(businessMinutesBetween(friday, new Date("2026-12-07T10:00:00Z"), london)).toBe(120);
  });

  it("follows daylight saving: 09:00 in New York is 14:00 UTC in winter and 13:00 in summer", () => {
    const newYork: BusinessCalendar = {
      timeZone: "America/New_York",
      week: DEFAULT_WEEK,
      holidays: [],
    };
    // Friday 2027-03-12 16:00 EST (21:00 UTC); clocks go forward on Sunday 14 March.
    const start = new Date("2027-03-12T21:00:00Z");
    expect(addBusinessMinutes(start, 90, newYork)?.toISOString()).toBe("2027-03-15T13:30:00.000Z");
  });

  it("a calendar without working hours never comes due", () => {
    const closed = { ...london, week: [[], [], [], [], [], [], []] };
    expect(addBusinessMinutes(new Date(), 60, closed)).toBeNull();
  });
});

interface TicketSla {
  targets: {
    metric: string;
    targetMinutes: number;
    dueAt: string | null;
    remainingMinutes: number | null;
    achievedAt: string | null;
    breached: boolean;
    paused: boolean;
  }[];
}

interface Ticket {
  id: string;
  number: number;
  createdAt: string;
  sla: TicketSla | null;
}

const AROUND_THE_CLOCK = {
  priority: "urgent",
  firstResponseMinutes: 30,
  nextResponseMinutes: 60,
  resolutionMinutes: 240,
  businessHours: false,
};

async function setPolicies(session: Session, policies: unknown[]) {
  const response = await call("/sla/policies", {
    method: "PUT",
    token: session.accessToken,
    body: { policies },
  });
  expect(response.status).toBe(200);
  return response.body.data;
}

async function ticket(session: Session, id: string): Promise<Ticket> {
  const response = await call<Ticket>(`/tickets/${id}`, { token: session.accessToken });
  expect(response.status).toBe(200);
  return response.body.data;
}

function target(t: Ticket, metric: string) {
  const found = t.sla?.targets.find((candidate) => candidate.metric === metric);
  if (!found) throw new Error(`no ${metric} target`);
  return found;
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

async function slaAudits(session: Session, ticketId: string) {
  const response = await call<{ action: string; targetId: string; metadata: { metric: string } }[]>(
    "/audit-logs?limit=100",
    { token: session.accessToken },
  );
  return response.body.data
    .filter((entry) => entry.targetId === ticketId && entry.action.startsWith("ticket.sla_"))
    .map((entry) => `${entry.action}:${entry.metadata.metric}`)
    .sort();
}

describe("SLA policies and clocks", () => {
  it("admins set policies and the calendar; others read them; bad input is a 422", async () => {
    const owner = await signUp("sla-admin");
    const agent = await addMember(owner, "agent");
    const saved = await setPolicies(owner, [
      AROUND_THE_CLOCK,
      {
        priority: "normal",
        firstResponseMinutes: 480,
        nextResponseMinutes: null,
        resolutionMinutes: null,
        businessHours: true,
      },
    ]);
    expect(saved).toHaveLength(2);
    const listed = await call<unknown[]>("/sla/policies", { token: agent.accessToken });
    expect(listed.body.data).toEqual(saved);
    expectErrorEnvelope(
      await call("/sla/policies", {
        method: "PUT",
        token: agent.accessToken,
        body: { policies: [] },
      }),
      403,
    );
    expectErrorEnvelope(
      await call("/sla/policies", {
        method: "PUT",
        token: owner.accessToken,
        body: { policies: [AROUND_THE_CLOCK, AROUND_THE_CLOCK] },
      }),
      422,
    );
    const week = [
      [],
      [
        { start: "08:00", end: "12:00" },
        { start: "13:00", end: "18:00" },
      ],
      [],
      [],
      [],
      [],
      [],
    ];
    const calendar = await call<{ timeZone: string; week: unknown[] }>("/sla/calendar", {
      method: "PUT",
      token: owner.accessToken,
      body: { timeZone: "Europe/Madrid", week, holidays: ["2026-12-25"] },
    });
    expect(calendar.status).toBe(200);
    expect(calendar.body.data).toMatchObject({ timeZone: "Europe/Madrid", week });
    expectErrorEnvelope(
      await call("/sla/calendar", {
        method: "PUT",
        token: owner.accessToken,
        body: { timeZone: "Mars/Olympus", week, holidays: [] },
      }),
      422,
    );
    expectErrorEnvelope(
      await call("/sla/calendar", {
        method: "PUT",
        token: owner.accessToken,
        body: {
          timeZone: "UTC",
          week: [[{ start: "18:00", end: "09:00" }], [], [], [], [], [], []],
          holidays: [],
        },
      }),
      422,
    );
  });

  it("a ticket carries its targets: first response met by the reply, resolution paused while pending", async () => {
    const owner = await signUp("sla-clock");
    await setPolicies(owner, [AROUND_THE_CLOCK]);
    const created = await call<Ticket>("/tickets", {
      method: "POST",
      token: owner.accessToken,
      body: { subject: "Site down", description: "Nothing loads.", priority: "urgent" },
    });
    const fresh = created.body.data;
    const first = target(fresh, "first_response");
    expect(first.targetMinutes).toBe(30);
    expect(first.remainingMinutes).toBe(30);
    expect(new Date(first.dueAt as string).getTime() - new Date(fresh.createdAt).getTime()).toBe(
      30 * 60_000,
    );
    expect(target(fresh, "resolution")).toMatchObject({ paused: false, breached: false });
    const normal = await call<Ticket>("/tickets", {
      method: "POST",
      token: owner.accessToken,
      body: { subject: "No policy", description: "Normal priority." },
    });
    expect(normal.body.data.sla).toBeNull();

    await call(`/tickets/${fresh.id}/comments`, {
      method: "POST",
      token: owner.accessToken,
      body: { body: "Looking into it.", status: "pending" },
    });
    const pending = await ticket(owner, fresh.id);
    expect(target(pending, "first_response")).toMatchObject({
      breached: false,
      remainingMinutes: null,
    });
    expect(target(pending, "first_response").achievedAt).not.toBeNull();
    expect(target(pending, "resolution")).toMatchObject({ paused: true, dueAt: null });

    const reopened = await call<Ticket>(`/tickets/${fresh.id}`, {
      method: "PATCH",
      token: owner.accessToken,
      body: { status: "open" },
    });
    expect(target(reopened.body.data, "resolution")).toMatchObject({ paused: false });
    expect(target(reopened.body.data, "resolution").dueAt).not.toBeNull();
  });

  it("the minute job announces breaching soon and breached once each, live and audited", async () => {
    const owner = await signUp("sla-job");
    const agent = await addMember(owner, "agent");
    await setPolicies(owner, [AROUND_THE_CLOCK]);
    const socket = await connectSocket({ authorization: `Bearer ${owner.accessToken}` });
    const open = async (subject: string, assigneeId?: string) =>
      (
        await call<Ticket>("/tickets", {
          method: "POST",
          token: owner.accessToken,
          body: { subject, description: "Help.", priority: "urgent", assigneeId },
        })
      ).body.data;
    const late = await open("Late one", agent.userId);
    const soon = await open("Soon one");
    await age(owner, late.id, 45);
    await age(owner, soon.id, 25);

    await runSlaCheck();
    await socket.waitFor(
      (event) =>
        event.type === "ticket.updated" &&
        event.ticket.id === late.id &&
        event.ticket.sla?.targets.some((t) => t.metric === "first_response" && t.breached) === true,
    );
    expect(target(await ticket(owner, late.id), "first_response")).toMatchObject({
      breached: true,
      remainingMinutes: -15,
    });
    expect(await slaAudits(owner, late.id)).toEqual(["ticket.sla_breached:first_response"]);
    expect(await slaAudits(owner, soon.id)).toEqual(["ticket.sla_warning:first_response"]);
    // The assignee hears of the breach in their bell.
    const bell = await call<{ kind: string; title: string }[]>("/notifications", {
      token: agent.accessToken,
    });
    expect(bell.body.data.map((n) => n.kind).sort()).toEqual(["assignment", "sla_breach"]);
    expect(bell.body.data.find((n) => n.kind === "sla_breach")?.title).toBe(
      `Ticket #${late.number} breached its first response target`,
    );

    // Once each: running again announces nothing new.
    await runSlaCheck();
    expect(await slaAudits(owner, late.id)).toEqual(["ticket.sla_breached:first_response"]);
    expect(await slaAudits(owner, soon.id)).toEqual(["ticket.sla_warning:first_response"]);
    socket.socket.close();

    // The compliance report: the soon one answered in time, the late one breached.
    await call(`/tickets/${soon.id}/comments`, {
      method: "POST",
      token: owner.accessToken,
      body: { body: "On it." },
    });
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const report = await call<{ priority: string; tickets: number; firstResponse: unknown }[]>(
      `/reports/sla?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
      { token: owner.accessToken },
    );
    expect(report.status).toBe(200);
    expect(report.body.data).toEqual([
      expect.objectContaining({
        priority: "urgent",
        tickets: 2,
        firstResponse: { met: 1, breached: 1, running: 0, compliance: 50 },
      }),
    ]);
    expectErrorEnvelope(
      await call(`/reports/sla?from=${encodeURIComponent(to)}&to=${encodeURIComponent(from)}`, {
        token: owner.accessToken,
      }),
      422,
    );
  });
});

describe("business hours over months", () => {
  it("counts a ticket months old as the wall clock does, with holidays and daylight saving", () => {
    const berlin: BusinessCalendar = {
      timeZone: "Europe/Berlin",
      week: DEFAULT_WEEK,
      holidays: ["2027-01-01", "2027-04-02", "2027-04-05", "2027-05-01"],
    };
    // Monday 2026-11-02 09:00 CET to Monday 2027-05-03 09:00 CEST: 26 weeks of 40 hours,
    // minus three weekday holidays (1 May 2027 is a Saturday), across the March change.
    const from = new Date("2026-11-02T08:00:00Z");
    const to = new Date("2027-05-03T07:00:00Z");
    expect(businessMinutesBetween(from, to, berlin)).toBe((26 * 40 - 3 * 8) * 60);
    // Around the clock every day, business minutes are the minutes elapsed (one hour fewer
    // on the night clocks go forward, one more when they go back).
    const always: BusinessCalendar = {
      timeZone: "America/New_York",
      week: Array.from({ length: 7 }, () => [{ start: "00:00", end: "24:00" }]),
      holidays: [],
    };
    const start = new Date("2026-01-15T17:23:00Z");
    const end = new Date("2027-02-03T04:11:00Z");
    expect(businessMinutesBetween(start, end, always)).toBe(
      (end.getTime() - start.getTime()) / 60_000,
    );
    // Part days at both ends: Friday 16:30 to the next-but-one Tuesday 10:15 (Berlin, winter).
    expect(
      businessMinutesBetween(
        new Date("2026-11-13T15:30:00Z"),
        new Date("2026-11-24T09:15:00Z"),
        berlin,
      ),
    ).toBe(30 + 5 * 8 * 60 + 8 * 60 + 75);
  });
});
