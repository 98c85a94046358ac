import { and, eq, isNull, sql } from "drizzle-orm";
import type { CallEvent, CallOutcome } from "../../pbx-bridge/src/edge-protocol";
import { agentIdByExtension, loadAgentViews } from "../call-center/agents-query";
import { DEFAULT_PHONE_COUNTRY, toE164 } from "../contacts/phones";
import type { Database, Tx } from "../db/client";
import { activities, contacts } from "../db/crm-schema";
import { type CallStatus, callEvents, calls } from "../db/telephony-schema";
import { newId } from "../lib/crypto";
import type { PublishedEvent } from "../realtime/events";
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
  /** Realtime events to publish once the transaction has committed. */
  published: PublishedEvent[];
  /** An agent went on or off a call: the bridge's routing data changed. */
  routingChanged: boolean;
}

type Applied = "applied" | "duplicate" | { rejected: string };

export async function ingestCallEvents(
  database: Database,
  orgId: string,
  events: CallEvent[],
): Promise<IngestResult> {
  return database.transaction({ orgId, userId: null }, async (tx) => {
    const result: IngestResult = { acked: [], rejected: [], published: [], routingChanged: false };
    const changedCalls = new Set<string>();
    const agentsTouched = new Set<string>();
    for (const event of events) {
      const applied = await applyEvent(tx, orgId, event);
      if (typeof applied === "object") {
        result.rejected.push({ eventId: event.id, reason: applied.rejected });
        continue;
      }
      result.acked.push(event.id);
      if (applied === "duplicate") continue;
      changedCalls.add(event.callId);
      if (changesAgentStatus(event)) {
        result.routingChanged = true;
        const agentId = await agentOfCall(tx, event.callId);
        if (agentId) agentsTouched.add(agentId);
      }
      const activityId =
        event.type === "call.ended" ? await logOnTimeline(tx, orgId, event.callId) : null;
      if (activityId)
        result.published.push({
          type: "activity.created",
          id: activityId,
          version: 1,
          actorId: null,
        });
    }
    for (const call of await loadCallViews(tx, [...changedCalls])) {
      result.published.push({ type: "call.updated", call });
    }
    for (const agent of await loadAgentViews(tx, [...agentsTouched])) {
      result.published.push({ type: "agent.status", agent });
    }
    return result;
  });
}

function changesAgentStatus(event: CallEvent): boolean {
  return event.type === "call.answered" || event.type === "call.ended";
}

async function applyEvent(tx: Tx, orgId: string, event: CallEvent): Promise<Applied> {
  if (event.type === "call.ringing") await createCallOnce(tx, orgId, event);
  else if (!(await callExists(tx, event.callId))) {
    return { rejected: `No call ${event.callId}: its call.ringing never arrived.` };
  }
  if (!(await storeEventOnce(tx, orgId, event))) return "duplicate";
  await applyToCall(tx, event);
  return "applied";
}

async function callExists(tx: Tx, callId: string): Promise<boolean> {
  const [row] = await tx.select({ id: calls.id }).from(calls).where(eq(calls.id, callId));
  return row !== undefined;
}

async function storeEventOnce(tx: Tx, orgId: string, event: CallEvent): Promise<boolean> {
  const { id, seq, callId, occurredAt, type, ...payload } = event;
  const inserted = await tx
    .insert(callEvents)
    .values({ orgId, eventId: id, callId, seq, type, payload, occurredAt: new Date(occurredAt) })
    .onConflictDoNothing()
    .returning({ eventId: callEvents.eventId });
  return inserted.length > 0;
}

type RingingEvent = Extract<CallEvent, { type: "call.ringing" }>;

/** The first `call.ringing` creates the row (click-to-call made it already). */
async function createCallOnce(tx: Tx, orgId: string, event: RingingEvent) {
  const customerNumber = customerNumberOf(event);
  await tx
    .insert(calls)
    .values({
      id: event.callId,
      orgId,
      direction: event.direction,
      status: "ringing",
      fromNumber: event.from,
      fromName: event.fromName,
      toNumber: event.to,
      customerNumber,
      contactId: customerNumber ? await contactIdByNumber(tx, customerNumber) : null,
      agentId: await agentIdByExtension(tx, event.extension),
      extension: event.extension,
      queue: event.queue,
      startedAt: new Date(event.occurredAt),
    })
    .onConflictDoNothing({ target: calls.id });
}

function customerNumberOf(event: RingingEvent): string | null {
  const outside = { inbound: event.from, outbound: event.to, internal: null }[event.direction];
  if (!outside) return null;
  return toE164(outside, DEFAULT_PHONE_COUNTRY) ?? outside;
}

/** One indexed lookup (GIN on contacts.phone_numbers); the most recently updated wins. */
export async function contactIdByNumber(tx: Tx, e164: string): Promise<string | null> {
  const [row] = await tx
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(sql`${contacts.phoneNumbers} @> array[${e164}]::text[]`, isNull(contacts.deletedAt)))
    .orderBy(sql`${contacts.updatedAt} desc`)
    .limit(1);
  return row?.id ?? null;
}

const touch = { updatedAt: sql`now()`, version: sql`${calls.version} + 1` };

async function applyToCall(tx: Tx, event: CallEvent) {
  const thisCall = eq(calls.id, event.callId);
  const live = and(thisCall, isNull(calls.endedAt));
  switch (event.type) {
    case "call.ringing": {
      if (!event.extension) return;
      const agentId = await agentIdByExtension(tx, event.extension);
      await tx
        .update(calls)
        .set({
          extension: event.extension,
          agentId: sql`coalesce(${agentId}::uuid, ${calls.agentId})`,
          ...touch,
        })
        .where(
          and(
            live,
            eq(calls.status, "ringing"),
            sql`${calls.extension} is distinct from ${event.extension}`,
          ),
        );
      return;
    }
    case "call.answered": {
      const agentId = await agentIdByExtension(tx, event.extension);
      await tx
        .update(calls)
        .set({
          status: "answered",
          answeredAt: sql`coalesce(${calls.answeredAt}, ${new Date(event.occurredAt)})`,
          extension: sql`coalesce(${event.extension}, ${calls.extension})`,
          agentId: sql`coalesce(${agentId}::uuid, ${calls.agentId})`,
          ...touch,
        })
        .where(live);
      return;
    }
    case "call.held":
      await setStatus(tx, event.callId, "answered", "held");
      return;
    case "call.resumed":
      await setStatus(tx, event.callId, "held", "answered");
      return;
    case "call.transferred":
      await tx.update(calls).set(touch).where(live);
      return;
    case "call.ended":
      await tx
        .update(calls)
        .set({
          status: statusOfOutcome(event.outcome),
          outcome: event.outcome,
          endedAt: new Date(event.occurredAt),
          durationSeconds: event.durationSeconds,
          hangupCause: event.hangupCause,
          hangupCauseText: event.hangupCauseText,
          hangupBy: event.hangupBy,
          ...touch,
        })
        .where(live);
      return;
    case "call.recording_ready":
      await tx
        .update(calls)
        .set({ recordingName: event.recordingName, recordingUrl: event.url, ...touch })
        .where(thisCall);
      return;
    default:
      return event satisfies never;
  }
}

async function setStatus(tx: Tx, callId: string, from: CallStatus, to: CallStatus) {
  await tx
    .update(calls)
    .set({ status: to, ...touch })
    .where(and(eq(calls.id, callId), eq(calls.status, from)));
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

async function agentOfCall(tx: Tx, callId: string): Promise<string | null> {
  const [row] = await tx.select({ agentId: calls.agentId }).from(calls).where(eq(calls.id, callId));
  return row?.agentId ?? null;
}

/**
 * An ended call with a known contact becomes a `call` activity on the contact's timeline
 * (once: linking a contact later logs it then). Returns the new activity's id.
 */
export async function logOnTimeline(tx: Tx, orgId: string, callId: string): Promise<string | null> {
  const [call] = await tx.select().from(calls).where(eq(calls.id, callId));
  if (!call?.contactId || !call.endedAt || call.activityId) return null;
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
  await tx.update(calls).set({ activityId }).where(eq(calls.id, callId));
  return activityId;
}
