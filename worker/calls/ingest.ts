import { and, eq, isNull, sql } from "drizzle-orm";
import type { CountryCode } from "libphonenumber-js";
import {
  type CallEvent,
  type CallOutcome,
  DEFAULT_WRAP_UP_SECONDS,
} from "../../pbx-bridge/src/edge-protocol";
import type { CallStatus, WrapUpStatus } from "../../shared/telephony";
import { loadAgentViews } from "../call-center/agents-query";
import { contactIdByNumber } from "../contacts/by-number";
import { toE164 } from "../contacts/phones";
import type { Database, Tx } from "../db/client";
import { activities } from "../db/crm-schema";
import { callAgents, callEvents, callQueues, calls } from "../db/telephony-schema";
import { newId } from "../lib/crypto";
import { type AfterCommit, runUnitOfWork } from "../lib/unit-of-work";
import { defaultsOf } from "../organization/service";
import { loadCallViews } from "./load";
import { callActivitySubject } from "./summary";

/*
 * Turns the bridge's call events into call rows. Each event is stored once by its id (a
 * replay after an outage is acknowledged and changes nothing) and applied in the order the
 * bridge numbered them.
 */

export interface IngestResult {
  acked: string[];
  rejected: { eventId: string; reason: string }[];
  /** An agent went on or off a call: the bridge's routing data changed. */
  routingChanged: boolean;
}

/**
 * Stores a batch of the bridge's events as one unit of work of the organization; the calls
 * and agents it changed are announced after commit (`afterCommit`).
 */
export async function ingestCallEvents(
  database: Database,
  orgId: string,
  events: CallEvent[],
  afterCommit: AfterCommit,
): Promise<IngestResult> {
  return runUnitOfWork(database, { orgId, userId: null }, afterCommit, async ({ tx, emit }) => {
    const result: IngestResult = { acked: [], rejected: [], routingChanged: false };
    let country: Promise<CountryCode> | undefined;
    const context: BatchContext = {
      tx,
      orgId,
      agentsByExtension: await agentsByExtension(tx),
      // Read once per batch, and only when a new call needs a number read.
      phoneCountry: () => {
        country ??= defaultsOf(tx, orgId).then((defaults) => defaults.country);
        return country;
      },
    };
    const changedCalls = new Set<string>();
    const agentsTouched = new Set<string>();
    for (const event of events) {
      const applied = await applyEvent(context, event);
      if (applied === "duplicate") {
        result.acked.push(event.id);
        continue;
      }
      if ("rejected" in applied) {
        result.rejected.push({ eventId: event.id, reason: applied.rejected });
        continue;
      }
      result.acked.push(event.id);
      changedCalls.add(event.callId);
      if (changesAgentStatus(event) && applied.agentId) {
        result.routingChanged = true;
        agentsTouched.add(applied.agentId);
      }
      const activityId =
        event.type === "call.ended" ? await logOnTimeline(tx, orgId, applied) : null;
      if (activityId) {
        emit({
          type: "activity.created",
          id: activityId,
          version: 1,
          actorId: null,
        });
      }
    }
    for (const call of await loadCallViews(tx, [...changedCalls])) {
      emit({ type: "call.updated", call });
    }
    for (const agent of await loadAgentViews(tx, [...agentsTouched])) {
      emit({ type: "agent.status", agent });
    }
    return result;
  });
}

function changesAgentStatus(event: CallEvent): boolean {
  return event.type === "call.answered" || event.type === "call.ended";
}

interface BatchContext {
  tx: Tx;
  orgId: string;
  /** Extension -> user id, loaded once per batch. */
  agentsByExtension: Map<string, string>;
  /** The organization's default country, for numbers the PBX presents without a country code. */
  phoneCountry(): Promise<CountryCode>;
}

type CallRow = typeof calls.$inferSelect;
/** The call as the event left it, or why the event was not applied. */
type Applied = CallRow | "duplicate" | { rejected: string };

async function agentsByExtension(tx: Tx): Promise<Map<string, string>> {
  const rows = await tx
    .select({ extension: callAgents.extension, userId: callAgents.userId })
    .from(callAgents);
  return new Map(rows.map((row) => [row.extension, row.userId]));
}

function agentOf(context: BatchContext, extension: string | null): string | null {
  return extension ? (context.agentsByExtension.get(extension) ?? null) : null;
}

async function applyEvent(context: BatchContext, event: CallEvent): Promise<Applied> {
  if (event.type === "call.ringing") await createCallOnce(context, event);
  if (!(await storeEventOnce(context, event))) {
    return (await callExists(context.tx, event.callId))
      ? "duplicate"
      : { rejected: `No call ${event.callId}: its call.ringing never arrived.` };
  }
  const [changed] = await applyToCall(context, event);
  const call = changed ?? (await loadCall(context.tx, event.callId));
  if (!call) throw new Error(`call ${event.callId} vanished while its event was stored`);
  return call;
}

async function callExists(tx: Tx, callId: string): Promise<boolean> {
  return (await loadCall(tx, callId)) !== undefined;
}

async function loadCall(tx: Tx, callId: string): Promise<CallRow | undefined> {
  const [row] = await tx.select().from(calls).where(eq(calls.id, callId));
  return row;
}

/** Stores the event unless it was stored before or its call is unknown (one statement). */
async function storeEventOnce({ tx, orgId }: BatchContext, event: CallEvent): Promise<boolean> {
  const { id, seq, callId, occurredAt, type, ...payload } = event;
  const inserted = await tx.execute(sql`
    insert into ${callEvents} (org_id, event_id, call_id, seq, type, payload, occurred_at)
    select ${orgId}, ${id}, ${callId}, ${seq}, ${type}, ${JSON.stringify(payload)}::jsonb, ${occurredAt}::timestamptz
    where exists (select 1 from ${calls} where ${calls.id} = ${callId})
    on conflict do nothing
    returning event_id`);
  return inserted.rows.length > 0;
}

type RingingEvent = Extract<CallEvent, { type: "call.ringing" }>;

/** The first `call.ringing` creates the row (click-to-call made it already). */
async function createCallOnce(context: BatchContext, event: RingingEvent) {
  const customerNumber = await customerNumberOf(context, event);
  await context.tx
    .insert(calls)
    .values({
      id: event.callId,
      orgId: context.orgId,
      direction: event.direction,
      status: "ringing",
      fromNumber: event.from,
      fromName: event.fromName,
      toNumber: event.to,
      customerNumber,
      contactId: customerNumber ? await contactIdByNumber(context.tx, customerNumber) : null,
      agentId: agentOf(context, event.extension),
      extension: event.extension,
      queue: event.queue,
      startedAt: new Date(event.occurredAt),
    })
    .onConflictDoNothing({ target: calls.id });
}

/** The customer's number in E.164, a national one read in the organization's default country. */
async function customerNumberOf(context: BatchContext, event: RingingEvent) {
  const outside = { inbound: event.from, outbound: event.to, internal: null }[event.direction];
  if (!outside) return null;
  return toE164(outside, await context.phoneCountry()) ?? outside;
}

const touch = { updatedAt: sql`now()`, version: sql`${calls.version} + 1` };

/** Applies the event to its call; returns the changed row (none when nothing changed). */
function applyToCall(context: BatchContext, event: CallEvent): Promise<CallRow[]> {
  const { tx } = context;
  const thisCall = eq(calls.id, event.callId);
  const live = and(thisCall, isNull(calls.endedAt));
  switch (event.type) {
    case "call.ringing":
      return tx
        .update(calls)
        .set({
          extension: event.extension,
          agentId: sql`coalesce(${agentOf(context, event.extension)}::uuid, ${calls.agentId})`,
          ...touch,
        })
        .where(
          and(
            live,
            eq(calls.status, "ringing"),
            sql`${calls.extension} is distinct from ${event.extension}`,
            sql`${event.extension}::text is not null`,
          ),
        )
        .returning();
    case "call.answered":
      return tx
        .update(calls)
        .set({
          status: "answered",
          answeredAt: sql`coalesce(${calls.answeredAt}, ${new Date(event.occurredAt)})`,
          extension: sql`coalesce(${event.extension}, ${calls.extension})`,
          agentId: sql`coalesce(${agentOf(context, event.extension)}::uuid, ${calls.agentId})`,
          ...touch,
        })
        .where(live)
        .returning();
    case "call.held":
      return setStatus(tx, event.callId, "answered", "held");
    case "call.resumed":
      return setStatus(tx, event.callId, "held", "answered");
    case "call.transferred":
      return tx.update(calls).set(touch).where(live).returning();
    case "call.ended":
      return tx
        .update(calls)
        .set({
          status: statusOfOutcome(event.outcome),
          outcome: event.outcome,
          endedAt: new Date(event.occurredAt),
          durationSeconds: event.durationSeconds,
          hangupCause: event.hangupCause,
          hangupCauseText: event.hangupCauseText,
          hangupBy: event.hangupBy,
          ...wrapUpOnEnd(new Date(event.occurredAt)),
          ...touch,
        })
        .where(live)
        .returning();
    case "call.recording_ready":
      return tx
        .update(calls)
        .set({ recordingName: event.recordingName, recordingUrl: event.url, ...touch })
        .where(thisCall)
        .returning();
    default:
      return event satisfies never;
  }
}

/**
 * A call its agent talked on (or placed) waits for their wrap-up, which closes itself after
 * its queue's wrap-up time (the default for calls that named no queue).
 */
function wrapUpOnEnd(endedAt: Date) {
  const needsWrapUp = sql`${calls.agentId} is not null and (${calls.answeredAt} is not null or ${calls.direction} <> 'inbound')`;
  const seconds = sql`coalesce((select ${callQueues.wrapUpSeconds} from ${callQueues} where ${callQueues.name} = ${calls.queue}), ${DEFAULT_WRAP_UP_SECONDS})`;
  return {
    wrapUpStatus: sql<WrapUpStatus | null>`case when ${needsWrapUp} then 'pending' end`,
    wrapUpDueAt: sql<Date | null>`case when ${needsWrapUp} then ${endedAt.toISOString()}::timestamptz + make_interval(secs => ${seconds}) end`,
  };
}

function setStatus(tx: Tx, callId: string, from: CallStatus, to: CallStatus) {
  return tx
    .update(calls)
    .set({ status: to, ...touch })
    .where(and(eq(calls.id, callId), eq(calls.status, from)))
    .returning();
}

export function statusOfOutcome(outcome: CallOutcome): CallStatus {
  switch (outcome) {
    case "answered":
      return "ended";
    case "missed":
    case "abandoned":
    case "no_answer":
      return "missed";
    case "busy":
      return "busy";
    case "failed":
      return "failed";
    default:
      return outcome satisfies never;
  }
}

/**
 * An ended call with a known contact becomes a `call` activity on the contact's timeline
 * (once: linking a contact later logs it then). Returns the new activity's id.
 */
export async function logOnTimeline(tx: Tx, orgId: string, call: CallRow): Promise<string | null> {
  if (!call.contactId || !call.endedAt || call.activityId) return null;
  const activityId = newId();
  await tx.insert(activities).values({
    id: activityId,
    orgId,
    type: "call",
    subject: callActivitySubject(call),
    body: call.notes,
    occurredAt: call.startedAt,
    doneAt: call.endedAt,
    assigneeId: call.agentId,
    contactId: call.contactId,
    metadata: {
      callId: call.id,
      direction: call.direction,
      outcome: call.outcome,
      durationSeconds: call.durationSeconds,
    },
  });
  await tx.update(calls).set({ activityId }).where(eq(calls.id, call.id));
  return activityId;
}
