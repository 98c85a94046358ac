import { eq } from "drizzle-orm";
import {
  type SlaMetric,
  type SlaPause,
  slaPolicyKey,
  slaWarningMinutes,
  UNSOLVED_TICKET_STATUSES,
} from "../../shared/desk";
import type { Tx } from "../db/client";
import { teams } from "../db/crm-schema";
import { businessCalendars, slaPolicies, type tickets } from "../db/desk-schema";
import { organizations } from "../db/schema";
import {
  ALWAYS_OPEN,
  addBusinessMinutes,
  type BusinessCalendar,
  businessMinutesBetween,
  DEFAULT_WEEK,
} from "./business-hours";

/*
 * A ticket's SLA clocks, worked out from its timestamps and its policy (never
 * stored: the page and the API read them, the minute job announces warnings and breaches):
 * - first response: from creation to the team's first public reply;
 * - next response: from the requester's unanswered message to the team's next public reply;
 * - resolution: from creation to solved, stopped while the ticket is pending on the requester.
 * Each has its target, when it is due, the minutes left (negative once breached), and whether
 * it was met. A ticket's policy is the most specific one for its priority: its team's for its
 * type, its team's, its type's, then the organization-wide one (`policyFor`).
 */

export type SlaPolicy = typeof slaPolicies.$inferSelect & {
  /** The scoped team's name (null on a policy for any team). */
  teamName?: string | null;
};
type TicketRow = typeof tickets.$inferSelect;

export interface SlaTarget {
  metric: SlaMetric;
  targetMinutes: number;
  /** Null while the clock is paused. */
  dueAt: string | null;
  /** When it enters its warning window ("breaching soon"); null while paused. */
  warnAt: string | null;
  /** Minutes left (negative: overdue); null once achieved. */
  remainingMinutes: number | null;
  achievedAt: string | null;
  breached: boolean;
  paused: boolean;
}

/** Which policy applies: its priority and, on a scoped one, its team and type. */
export interface SlaPolicyRef {
  id: string;
  priority: TicketRow["priority"];
  teamId: string | null;
  teamName: string | null;
  ticketType: TicketRow["type"];
}

export interface TicketSla {
  policyId: string;
  policy: SlaPolicyRef;
  businessHours: boolean;
  targets: SlaTarget[];
}

export interface SlaContext {
  /** By `slaPolicyKey` (priority, team, type). */
  policies: Map<string, SlaPolicy>;
  calendar: BusinessCalendar;
}

const contexts = new WeakMap<Tx, Promise<SlaContext>>();

/**
 * The organization's SLA context for this unit of work: loaded once per transaction (its
 * three queries), then shared by every ticket the unit reads or writes.
 */
export function slaContextOf(tx: Tx, orgId: string): Promise<SlaContext> {
  let context = contexts.get(tx);
  if (!context) {
    context = loadSlaContext(tx, orgId);
    contexts.set(tx, context);
  }
  return context;
}

/** After the unit changed the policies or the calendar. */
export function forgetSlaContext(tx: Tx) {
  contexts.delete(tx);
}

/** The organization's policies and calendar (its own time zone and Mon-Fri 9-17 by default). */
async function loadSlaContext(tx: Tx, orgId: string): Promise<SlaContext> {
  const [policies, calendars, orgs] = await Promise.all([
    tx
      .select({ policy: slaPolicies, teamName: teams.name })
      .from(slaPolicies)
      .leftJoin(teams, eq(teams.id, slaPolicies.teamId)),
    tx.select().from(businessCalendars),
    tx.select({ timeZone: organizations.timeZone }).from(organizations),
  ]);
  const own = calendars.find((row) => row.orgId === orgId);
  const timeZone = own?.timeZone ?? orgs[0]?.timeZone ?? "UTC";
  return {
    policies: policyMap(
      policies
        .filter((row) => row.policy.orgId === orgId)
        .map((row) => ({ ...row.policy, teamName: row.teamName })),
    ),
    calendar: { timeZone, week: own?.week ?? DEFAULT_WEEK, holidays: own?.holidays ?? [] },
  };
}

export function policyMap(policies: SlaPolicy[]): Map<string, SlaPolicy> {
  return new Map(policies.map((policy) => [slaPolicyKey(policy), policy]));
}

/** The priorities that have a policy of any scope (the minute job's candidates). */
export function slaPriorities(context: SlaContext): TicketRow["priority"][] {
  return [...new Set([...context.policies.values()].map((policy) => policy.priority))];
}

/** The most specific policy for the ticket: team and type, team, type, organization-wide. */
export function policyFor(
  ticket: Pick<TicketRow, "priority" | "teamId" | "type">,
  context: SlaContext,
): SlaPolicy | null {
  const { priority, teamId, type } = ticket;
  const candidates = [
    teamId && type ? { priority, teamId, ticketType: type } : null,
    teamId ? { priority, teamId } : null,
    type ? { priority, ticketType: type } : null,
    { priority },
  ];
  for (const candidate of candidates) {
    const policy = candidate && context.policies.get(slaPolicyKey(candidate));
    if (policy) return policy;
  }
  return null;
}

interface Clock {
  add(start: Date, minutes: number): Date | null;
  between(from: Date, to: Date): number;
}

function clockOf(policy: SlaPolicy, calendar: BusinessCalendar): Clock {
  if (!policy.businessHours) return ALWAYS_OPEN;
  return {
    add: (start, minutes) => addBusinessMinutes(start, minutes, calendar),
    between: (from, to) => businessMinutesBetween(from, to, calendar),
  };
}

export function ticketSla(
  ticket: TicketRow,
  context: SlaContext,
  now = new Date(),
): TicketSla | null {
  const policy = policyFor(ticket, context);
  if (!policy) return null;
  const clock = clockOf(policy, context.calendar);
  const targets: SlaTarget[] = [];
  if (policy.firstResponseMinutes !== null) {
    targets.push(
      runningTarget(
        "first_response",
        policy.firstResponseMinutes,
        ticket.createdAt,
        ticket.firstResponseAt,
        clock,
        now,
      ),
    );
  }
  if (policy.nextResponseMinutes !== null && ticket.awaitingReplySince && !isSolved(ticket)) {
    targets.push(
      runningTarget(
        "next_response",
        policy.nextResponseMinutes,
        ticket.awaitingReplySince,
        null,
        clock,
        now,
      ),
    );
  }
  if (policy.resolutionMinutes !== null) {
    targets.push(resolutionTarget(policy.resolutionMinutes, ticket, clock, now));
  }
  return {
    policyId: policy.id,
    policy: {
      id: policy.id,
      priority: policy.priority,
      teamId: policy.teamId,
      teamName: policy.teamName ?? null,
      ticketType: policy.ticketType,
    },
    businessHours: policy.businessHours,
    targets,
  };
}

function isSolved(ticket: TicketRow): boolean {
  return !(UNSOLVED_TICKET_STATUSES as readonly string[]).includes(ticket.status);
}

function runningTarget(
  metric: SlaMetric,
  target: number,
  start: Date,
  achieved: Date | null,
  clock: Clock,
  now: Date,
): SlaTarget {
  const due = clock.add(start, target);
  const warn = achieved ? null : clock.add(start, target - slaWarningMinutes(target));
  const elapsed = clock.between(start, achieved ?? now);
  return {
    metric,
    targetMinutes: target,
    dueAt: due?.toISOString() ?? null,
    warnAt: warn?.toISOString() ?? null,
    remainingMinutes: achieved ? null : Math.round(target - elapsed),
    achievedAt: achieved?.toISOString() ?? null,
    breached: elapsed > target,
    paused: false,
  };
}

/** Working minutes spent pending (up to `end`). */
function pausedMinutes(pauses: SlaPause[], end: Date, clock: Clock): number {
  return pauses.reduce((total, pause) => {
    const from = new Date(pause.from);
    const to = pause.to ? new Date(pause.to) : end;
    return total + clock.between(from, to < end ? to : end);
  }, 0);
}

function resolutionTarget(target: number, ticket: TicketRow, clock: Clock, now: Date): SlaTarget {
  const end = ticket.solvedAt ?? now;
  const paused = pausedMinutes(ticket.slaPauses, end, clock);
  const elapsed = clock.between(ticket.createdAt, end) - paused;
  const isPaused = !ticket.solvedAt && ticket.slaPauses.at(-1)?.to === null;
  const due = isPaused ? null : clock.add(ticket.createdAt, target + paused);
  const warn =
    isPaused || ticket.solvedAt
      ? null
      : clock.add(ticket.createdAt, target + paused - slaWarningMinutes(target));
  return {
    metric: "resolution",
    targetMinutes: target,
    dueAt: due?.toISOString() ?? null,
    warnAt: warn?.toISOString() ?? null,
    remainingMinutes: ticket.solvedAt ? null : Math.round(target - elapsed),
    achievedAt: ticket.solvedAt?.toISOString() ?? null,
    breached: elapsed > target,
    paused: isPaused,
  };
}

/**
 * What the ticket stores for the views: the earliest due time and warning time of its running
 * targets (not met, not paused, the ticket unsolved); null when none runs.
 */
export function slaDeadlines(
  ticket: TicketRow,
  context: SlaContext,
): { slaDueAt: Date | null; slaWarnAt: Date | null } {
  const sla = isSolved(ticket) ? null : ticketSla(ticket, context);
  let due: string | null = null;
  let warn: string | null = null;
  for (const target of sla?.targets ?? []) {
    if (target.achievedAt || target.paused || !target.dueAt) continue;
    if (due === null || target.dueAt < due) due = target.dueAt;
    if (target.warnAt && (warn === null || target.warnAt < warn)) warn = target.warnAt;
  }
  return { slaDueAt: due ? new Date(due) : null, slaWarnAt: warn ? new Date(warn) : null };
}
