import { inArray, sql } from "drizzle-orm";
import type { CountryCode } from "libphonenumber-js";
import { z } from "zod";
import type { CallEvent, Routing } from "../../pbx-bridge/src/edge-protocol";
import { loadAgentViews } from "../call-center/agents-query";
import { routingOf } from "../call-center/routing";
import { holdsNumber, mostRecentlyWorkedOn } from "../contacts/by-number";
import { DEFAULT_PHONE_COUNTRY, toE164 } from "../contacts/phones";
import type { Database, Tx } from "../db/client";
import { activities, contacts } from "../db/crm-schema";
import { organizations } from "../db/schema";
import { callAgents, callEvents, callQueues, calls } from "../db/telephony-schema";
import { newId } from "../lib/crypto";
import { type AfterCommit, runUnitOfWork } from "../lib/unit-of-work";
import { loadCallViews } from "./load";
import { notifyMissedCalls } from "./missed";
import { callActivitySubject } from "./summary";
import { applyTransition, type CallRow, type TransitionContext } from "./transitions";

export { statusOfOutcome } from "./transitions";

/*
 * Turns the bridge's call events into call rows. Each event is stored once by its id (a
 * replay after an outage is acknowledged and changes nothing) and applied in the order the
 * bridge numbered them.
 *
 * A batch costs the same few statements whatever its size (docs/decisions/025): one read of
 * the organization's agents, queues and default country; one insert of the calls its
 * `call.ringing` events start (contact matched in the same statement); one insert of the
 * events (idempotent by id, in arrival order) that also says which were new and which calls
 * exist; one read of the touched calls under a row lock; the events folded over those rows in
 * memory (transitions.ts); one update of the changed calls; then the views to announce.
 */

export interface IngestResult {
  acked: string[];
  rejected: { eventId: string; reason: string }[];
  /** An agent went on or off a call: the bridge's new routing data, as committed. */
  routing: Routing | null;
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
  return runUnitOfWork(database, { orgId, userId: null }, afterCommit, async (unit) => {
    const { tx, emit } = unit;
    const context = await loadBatchContext(tx, orgId);
    const created = await createCalls(tx, orgId, context, events);
    const verdicts = await storeEvents(tx, orgId, events, created);

    const result: IngestResult = { acked: [], rejected: [], routing: null };
    const toApply: CallEvent[] = [];
    for (const [index, event] of events.entries()) {
      const verdict = verdicts[index];
      if (verdict === "stored") toApply.push(event);
      if (verdict === "stored" || verdict === "duplicate") result.acked.push(event.id);
      else
        result.rejected.push({
          eventId: event.id,
          reason: `No call ${event.callId}: its call.ringing never arrived.`,
        });
    }

    const locked = await lockCalls(tx, toApply);
    const rows = new Map(locked);
    const changed = new Set<string>();
    const missed = new Set<string>();
    const agentsTouched = new Set<string>();
    const timeline: TimelineActivity[] = [];
    for (const event of toApply) {
      const before = rows.get(event.callId);
      if (!before) throw new Error(`call ${event.callId} vanished while its event was stored`);
      let after = applyTransition(context, before, event) ?? before;
      if ((event.type === "call.answered" || event.type === "call.ended") && after.agentId) {
        agentsTouched.add(after.agentId);
      }
      const activity = event.type === "call.ended" ? timelineActivity(orgId, after) : null;
      if (activity) {
        timeline.push(activity);
        after = { ...after, activityId: activity.id };
      }
      if (
        after.status === "missed" &&
        before.status !== "missed" &&
        after.direction === "inbound"
      ) {
        missed.add(after.id);
      }
      if (after !== before) {
        rows.set(event.callId, after);
        changed.add(event.callId);
      }
    }
    if (timeline.length > 0) await tx.insert(activities).values(timeline);
    await writeCalls(
      tx,
      [...changed].flatMap((id) => {
        const row = rows.get(id);
        const base = locked.get(id);
        return row && base ? [{ row, baseVersion: base.version }] : [];
      }),
    );
    for (const activity of timeline) {
      emit({ type: "activity.created", id: activity.id, version: 1, actorId: null });
    }

    const applied = [...new Set(toApply.map((event) => event.callId))];
    const views = await loadCallViews(tx, applied);
    for (const call of views) emit({ type: "call.updated", call });
    await notifyMissedCalls(
      unit,
      views.filter((call) => missed.has(call.id)),
    );
    if (agentsTouched.size > 0) {
      for (const agent of await loadAgentViews(tx, [...agentsTouched])) {
        emit({ type: "agent.status", agent });
      }
      result.routing = await routingOf(tx);
    }
    return result;
  });
}

interface BatchContext extends TransitionContext {
  /** The organization's default country, for numbers the PBX presents without a country code. */
  country: CountryCode;
}

const contextRowSchema = z.object({
  country: z.string().nullable(),
  agents: z.array(z.object({ extension: z.string(), userId: z.string() })),
  queues: z.array(z.object({ name: z.string(), wrapUpSeconds: z.number() })),
});

/** Agents by extension, queues' wrap-up times and the default country: one statement. */
async function loadBatchContext(tx: Tx, orgId: string): Promise<BatchContext> {
  const { rows } = await tx.execute(sql`
    select
      (select ${organizations.defaultCountry} from ${organizations} where ${organizations.id} = ${orgId}) as country,
      coalesce((select json_agg(json_build_object('extension', ${callAgents.extension}, 'userId', ${callAgents.userId})) from ${callAgents}), '[]'::json) as agents,
      coalesce((select json_agg(json_build_object('name', ${callQueues.name}, 'wrapUpSeconds', ${callQueues.wrapUpSeconds})) from ${callQueues}), '[]'::json) as queues`);
  const row = contextRowSchema.parse(rows[0]);
  return {
    country: (row.country as CountryCode | null) ?? DEFAULT_PHONE_COUNTRY,
    agentsByExtension: new Map(row.agents.map((agent) => [agent.extension, agent.userId])),
    wrapUpSecondsByQueue: new Map(row.queues.map((queue) => [queue.name, queue.wrapUpSeconds])),
  };
}

type RingingEvent = Extract<CallEvent, { type: "call.ringing" }>;

/**
 * The first `call.ringing` of a call creates its row (click-to-call made it already), with
 * the contact that holds the customer's number. Returns the calls this batch created.
 */
async function createCalls(
  tx: Tx,
  orgId: string,
  context: BatchContext,
  events: CallEvent[],
): Promise<Set<string>> {
  const first = new Map<string, RingingEvent>();
  for (const event of events) {
    if (event.type === "call.ringing" && !first.has(event.callId)) first.set(event.callId, event);
  }
  if (first.size === 0) return new Set();
  const rows = [...first.values()].map((event, ord) => ({
    ord,
    id: event.callId,
    direction: event.direction,
    from_number: event.from,
    from_name: event.fromName,
    to_number: event.to,
    customer_number: customerNumberOf(context.country, event),
    agent_id: event.extension ? (context.agentsByExtension.get(event.extension) ?? null) : null,
    extension: event.extension,
    queue: event.queue,
    started_at: event.occurredAt,
  }));
  // The contact is matched in the same statement, by by-number.ts's rule.
  const contact = tx
    .select({ id: contacts.id })
    .from(contacts)
    .where(holdsNumber(sql`v.customer_number`))
    .orderBy(...mostRecentlyWorkedOn)
    .limit(1);
  const { rows: inserted } = await tx.execute(sql`
    insert into ${calls} (id, org_id, direction, status, from_number, from_name, to_number,
      customer_number, contact_id, agent_id, extension, queue, started_at)
    select v.id, ${orgId}, v.direction::call_direction, 'ringing', v.from_number, v.from_name,
      v.to_number, v.customer_number,
      case when v.customer_number is not null then (${contact}) end,
      v.agent_id, v.extension, v.queue, v.started_at
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(
      ord int, id uuid, direction text, from_number text, from_name text, to_number text,
      customer_number text, agent_id uuid, extension text, queue text, started_at timestamptz)
    order by v.ord
    on conflict (id) do nothing
    returning id`);
  return new Set(inserted.map((row) => z.object({ id: z.string() }).parse(row).id));
}

/** The customer's number in E.164, a national one read in the organization's default country. */
function customerNumberOf(country: CountryCode, event: RingingEvent) {
  const outside = { inbound: event.from, outbound: event.to, internal: null }[event.direction];
  if (!outside) return null;
  return toE164(outside, country) ?? outside;
}

type Verdict = "stored" | "duplicate" | "no call";

const storedRowSchema = z.object({
  ord: z.coerce.number(),
  stored: z.boolean(),
  call_exists: z.boolean(),
});

/**
 * Stores the batch's events in arrival order, each once by id and only when its call exists
 * (one statement), and says what became of each. An event of a call this batch created that
 * comes before the call's `call.ringing` is refused, as it was when events were stored one by
 * one; so is a second copy of an id within the batch beyond the first's verdict.
 */
async function storeEvents(
  tx: Tx,
  orgId: string,
  events: CallEvent[],
  created: Set<string>,
): Promise<Verdict[]> {
  const verdicts: (Verdict | undefined)[] = new Array(events.length);
  const firstIndex = new Map<string, number>();
  const rang = new Set<string>();
  const input: { ord: number; row: Record<string, unknown> }[] = [];
  for (const [index, event] of events.entries()) {
    if (event.type === "call.ringing") rang.add(event.callId);
    if (firstIndex.has(event.id)) continue;
    firstIndex.set(event.id, index);
    if (created.has(event.callId) && !rang.has(event.callId)) {
      verdicts[index] = "no call";
      continue;
    }
    const { id, seq, callId, occurredAt, type, ...payload } = event;
    input.push({ ord: index, row: { ord: index, id, seq, callId, occurredAt, type, payload } });
  }
  if (input.length > 0) {
    const { rows } = await tx.execute(sql`
      with input as (
        select * from jsonb_to_recordset(${JSON.stringify(input.map((item) => item.row))}::jsonb)
          as e(ord int, id uuid, seq bigint, "callId" uuid, "occurredAt" timestamptz, type text, payload jsonb)
      ),
      stored as (
        insert into ${callEvents} (org_id, event_id, call_id, seq, type, payload, occurred_at)
        select ${orgId}, e.id, e."callId", e.seq, e.type, e.payload, e."occurredAt"
        from input e
        where exists (select 1 from ${calls} where ${calls.id} = e."callId")
        order by e.ord
        on conflict do nothing
        returning event_id
      )
      select e.ord,
        exists (select 1 from stored where stored.event_id = e.id) as stored,
        exists (select 1 from ${calls} where ${calls.id} = e."callId") as call_exists
      from input e`);
    for (const row of rows) {
      const { ord, stored, call_exists } = storedRowSchema.parse(row);
      verdicts[ord] = stored ? "stored" : call_exists ? "duplicate" : "no call";
    }
  }
  return events.map((event, index) => {
    const verdict = verdicts[index] ?? verdicts[firstIndex.get(event.id) ?? index];
    if (!verdict) throw new Error(`event ${event.id} got no verdict`);
    // A repeated id is never applied twice: acked if the first copy was, refused if not.
    if (firstIndex.get(event.id) !== index) return verdict === "no call" ? "no call" : "duplicate";
    return verdict;
  });
}

/** The calls the stored events belong to, locked until commit. */
async function lockCalls(tx: Tx, events: CallEvent[]): Promise<Map<string, CallRow>> {
  const ids = [...new Set(events.map((event) => event.callId))];
  if (ids.length === 0) return new Map();
  const rows = await tx.select().from(calls).where(inArray(calls.id, ids)).for("update");
  return new Map(rows.map((row) => [row.id, row]));
}

/**
 * Writes each changed call once (one statement). The rows were locked when read, so the
 * version check only guards this code: a row that does not match fails the batch.
 */
async function writeCalls(tx: Tx, rows: { row: CallRow; baseVersion: number }[]) {
  if (rows.length === 0) return;
  const values = rows.map(({ row, baseVersion }) => ({
    id: row.id,
    base_version: baseVersion,
    version: row.version,
    status: row.status,
    outcome: row.outcome,
    answered_at: row.answeredAt?.toISOString() ?? null,
    ended_at: row.endedAt?.toISOString() ?? null,
    duration_seconds: row.durationSeconds,
    hangup_cause: row.hangupCause,
    hangup_cause_text: row.hangupCauseText,
    hangup_by: row.hangupBy,
    extension: row.extension,
    agent_id: row.agentId,
    recording_name: row.recordingName,
    recording_url: row.recordingUrl,
    wrapup_status: row.wrapUpStatus,
    wrapup_due_at: row.wrapUpDueAt?.toISOString() ?? null,
    activity_id: row.activityId,
  }));
  const { rows: updated } = await tx.execute(sql`
    update ${calls} as c set
      status = v.status::call_status,
      outcome = v.outcome::call_outcome,
      answered_at = v.answered_at,
      ended_at = v.ended_at,
      duration_seconds = v.duration_seconds,
      hangup_cause = v.hangup_cause,
      hangup_cause_text = v.hangup_cause_text,
      hangup_by = v.hangup_by,
      extension = v.extension,
      agent_id = v.agent_id,
      recording_name = v.recording_name,
      recording_url = v.recording_url,
      wrapup_status = v.wrapup_status,
      wrapup_due_at = v.wrapup_due_at,
      activity_id = v.activity_id,
      version = v.version,
      updated_at = now()
    from jsonb_to_recordset(${JSON.stringify(values)}::jsonb) as v(
      id uuid, base_version int, version int, status text, outcome text, answered_at timestamptz,
      ended_at timestamptz, duration_seconds int, hangup_cause int, hangup_cause_text text,
      hangup_by text, extension text, agent_id uuid, recording_name text, recording_url text,
      wrapup_status text, wrapup_due_at timestamptz, activity_id uuid)
    where c.id = v.id and c.version = v.base_version
    returning c.id`);
  if (updated.length !== rows.length) {
    throw new Error(
      `wrote ${updated.length} of ${rows.length} calls: a row changed under its lock`,
    );
  }
}

/**
 * The `call` activity an ended call with a known contact puts on the contact's timeline
 * (once: linking a contact later logs it then), or null.
 */
type TimelineActivity = typeof activities.$inferInsert & { id: string };

function timelineActivity(orgId: string, call: CallRow): TimelineActivity | null {
  if (!call.contactId || !call.endedAt || call.activityId) return null;
  return {
    id: newId(),
    orgId,
    type: "call" as const,
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
  };
}

/**
 * An ended call with a known contact becomes a `call` activity on the contact's timeline
 * (once: linking a contact later logs it then). Returns the new activity's id.
 */
export async function logOnTimeline(tx: Tx, orgId: string, call: CallRow): Promise<string | null> {
  const activity = timelineActivity(orgId, call);
  if (!activity) return null;
  await tx.insert(activities).values(activity);
  await tx.update(calls).set({ activityId: activity.id }).where(sql`${calls.id} = ${call.id}`);
  return activity.id;
}
