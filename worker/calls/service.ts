import { and, asc, desc, eq, gte, inArray, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import type { Command } from "../../pbx-bridge/src/edge-protocol";
import type { WrapUpStatus } from "../../shared/telephony";
import { noExtensionError } from "../call-center/agents-query";
import { toE164, UNREADABLE_PHONE } from "../contacts/phones";
import { activities, contacts } from "../db/crm-schema";
import { callAgents, callEvents, calls } from "../db/telephony-schema";
import { newId } from "../lib/crypto";
import { ApiError } from "../lib/errors";
import { decodeCursor, encodeCursor } from "../lib/pagination";
import { requirePermission, type TenantScope } from "../lib/scope";
import { organizationDefaults } from "../organization/service";
import type { CallView } from "./call-view";

type CallRow = typeof calls.$inferSelect;

import { contactIdByNumber } from "../contacts/by-number";
import { logOnTimeline } from "./ingest";
import { loadCallViews, selectCallViews, toCallView } from "./load";
import type { ListCallsQuery, UpdateCallBody } from "./schemas";

function listConditions(query: ListCallsQuery): SQL[] {
  const conditions: (SQL | undefined)[] = [
    query.direction ? eq(calls.direction, query.direction) : undefined,
    query.status ? inArray(calls.status, query.status) : undefined,
    query.outcome ? inArray(calls.outcome, query.outcome) : undefined,
    query.agentId ? eq(calls.agentId, query.agentId) : undefined,
    query.contactId ? eq(calls.contactId, query.contactId) : undefined,
    query.from ? gte(calls.startedAt, new Date(query.from)) : undefined,
    query.to ? lt(calls.startedAt, new Date(query.to)) : undefined,
    query.number
      ? or(
          sql`${calls.fromNumber} like ${`%${query.number}%`}`,
          sql`${calls.toNumber} like ${`%${query.number}%`}`,
        )
      : undefined,
  ];
  if (query.cursor) {
    const cursor = decodeCursor(query.cursor);
    conditions.push(
      sql`(${calls.startedAt}, ${calls.id}) < (${cursor.at.toISOString()}::timestamptz, ${cursor.id}::uuid)`,
    );
  }
  return conditions.filter((condition): condition is SQL => condition !== undefined);
}

/** The call log, newest first, with keyset pagination. */
export async function listCalls(scope: TenantScope, query: ListCallsQuery) {
  requirePermission(scope.actor, "calls:read");
  const rows = await selectCallViews(scope.tx)
    .where(and(...listConditions(query)))
    .orderBy(desc(calls.startedAt), desc(calls.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > query.limit && last ? encodeCursor(last.call.startedAt, last.call.id) : null;
  return { calls: page.map(toCallView), nextCursor };
}

/** Calls in progress, oldest first (the live panel and the queue view). */
export async function listLiveCalls(scope: TenantScope): Promise<CallView[]> {
  requirePermission(scope.actor, "calls:read");
  const rows = await selectCallViews(scope.tx)
    .where(isNull(calls.endedAt))
    .orderBy(asc(calls.startedAt));
  return rows.map(toCallView);
}

export async function getCall(scope: TenantScope, id: string) {
  requirePermission(scope.actor, "calls:read");
  const [call] = await loadCallViews(scope.tx, [id]);
  if (!call) throw ApiError.notFound("Call");
  const events = await scope.tx
    .select()
    .from(callEvents)
    .where(eq(callEvents.callId, id))
    .orderBy(asc(callEvents.seq));
  return {
    ...call,
    events: events.map((event) => ({
      id: event.eventId,
      type: event.type,
      occurredAt: event.occurredAt.toISOString(),
      data: event.payload,
    })),
  };
}

async function extensionOf(scope: TenantScope): Promise<string> {
  const userId = scope.actor.userId;
  if (!userId)
    throw ApiError.forbidden("Only a signed-in member with an extension can place calls.");
  const [agent] = await scope.tx
    .select({ extension: callAgents.extension })
    .from(callAgents)
    .where(eq(callAgents.userId, userId));
  if (!agent) {
    throw noExtensionError();
  }
  return agent.extension;
}

async function assertContactExists(scope: TenantScope, contactId: string) {
  const [row] = await scope.tx
    .select({ id: contacts.id })
    .from(contacts)
    .where(and(eq(contacts.id, contactId), isNull(contacts.deletedAt)));
  if (!row) throw ApiError.validation({ contactId: ["No such contact."] });
}

/**
 * Click-to-call, step one: the call row (ringing) exists before the bridge is asked to dial,
 * so the bridge's events land on it. Returns the command that dials it.
 */
export async function createOutboundCall(
  scope: TenantScope,
  input: { to: string; contactId?: string | null },
): Promise<{ call: CallView; command: Command }> {
  requirePermission(scope.actor, "calls:write");
  const to = toE164(input.to, (await organizationDefaults(scope)).country);
  if (!to) throw ApiError.validation({ to: [UNREADABLE_PHONE] });
  if (input.contactId) await assertContactExists(scope, input.contactId);
  const extension = await extensionOf(scope);
  const id = newId();
  await scope.tx.insert(calls).values({
    id,
    orgId: scope.actor.orgId,
    direction: "outbound",
    status: "ringing",
    fromNumber: extension,
    toNumber: to,
    customerNumber: to,
    contactId: input.contactId ?? (await contactIdByNumber(scope.tx, to)),
    agentId: scope.actor.userId,
    extension,
    startedAt: new Date(),
  });
  const call = await emitCall(scope, id);
  return { call, command: { action: "originate", callId: id, extension, to, callerId: null } };
}

/** Click-to-call, when the bridge could not dial: the call ends as failed. */
export async function failOutboundCall(scope: TenantScope, id: string, reason: string) {
  await scope.tx
    .update(calls)
    .set({
      status: "failed",
      outcome: "failed",
      endedAt: new Date(),
      durationSeconds: 0,
      hangupCause: 0,
      hangupCauseText: reason.slice(0, 200),
      hangupBy: "system",
      version: sql`${calls.version} + 1`,
      updatedAt: new Date(),
    })
    .where(and(eq(calls.id, id), isNull(calls.endedAt)));
  await emitCall(scope, id);
}

export async function emitCall(scope: TenantScope, id: string): Promise<CallView> {
  const [call] = await loadCallViews(scope.tx, [id]);
  if (!call) throw ApiError.notFound("Call");
  scope.emit({ type: "call.updated", call });
  return call;
}

/** Agents act on their own calls; supervisors on anyone's. */
export async function loadActionableCall(scope: TenantScope, id: string) {
  requirePermission(scope.actor, "calls:write");
  const [call] = await scope.tx.select().from(calls).where(eq(calls.id, id));
  if (!call) throw ApiError.notFound("Call");
  if (call.agentId !== scope.actor.userId) requirePermission(scope.actor, "calls:supervise");
  return call;
}

/** Checks the caller may send `command` for this live call; the route then sends it. */
export async function authorizeCallCommand(
  scope: TenantScope,
  id: string,
  command: Command,
): Promise<Command> {
  const call = await loadActionableCall(scope, id);
  if (call.endedAt) throw ApiError.conflict("This call has already ended.");
  return command;
}

export async function updateCall(scope: TenantScope, id: string, body: UpdateCallBody) {
  const call = await loadActionableCall(scope, id);
  if (call.version !== body.version) {
    throw ApiError.conflict("Someone changed this call meanwhile; reload and try again.");
  }
  if (body.contactId) await assertContactExists(scope, body.contactId);
  return writeCall(scope, call, body);
}

/**
 * Writes a person's changes to a call (notes follow it onto its timeline activity; a contact
 * linked now logs it on their timeline) and tells the team.
 */
export async function writeCall(
  scope: TenantScope,
  call: CallRow,
  changes: {
    notes?: string | null;
    disposition?: string | null;
    contactId?: string | null;
    wrapUpStatus?: WrapUpStatus;
  },
) {
  const [updated] = await scope.tx
    .update(calls)
    .set({
      disposition: changes.disposition === undefined ? call.disposition : changes.disposition,
      notes: changes.notes === undefined ? call.notes : changes.notes,
      contactId: changes.contactId === undefined ? call.contactId : changes.contactId,
      wrapUpStatus: changes.wrapUpStatus ?? call.wrapUpStatus,
      version: sql`${calls.version} + 1`,
      updatedAt: new Date(),
    })
    .where(eq(calls.id, call.id))
    .returning();
  if (call.activityId && changes.notes !== undefined) {
    const [activity] = await scope.tx
      .update(activities)
      .set({ body: changes.notes, updatedAt: new Date(), version: sql`${activities.version} + 1` })
      .where(eq(activities.id, call.activityId))
      .returning({ version: activities.version });
    if (activity) {
      scope.emit({
        type: "activity.updated",
        id: call.activityId,
        version: activity.version,
        actorId: scope.actor.userId,
      });
    }
  }
  const activityId = updated ? await logOnTimeline(scope.tx, scope.actor.orgId, updated) : null;
  if (activityId) {
    scope.emit({
      type: "activity.created",
      id: activityId,
      version: 1,
      actorId: scope.actor.userId,
    });
  }
  return emitCall(scope, call.id);
}
