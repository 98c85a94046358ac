import { eq, inArray, sql } from "drizzle-orm";
import type { Tx } from "../db/client";
import { contacts } from "../db/crm-schema";
import { users } from "../db/schema";
import { calls } from "../db/telephony-schema";
import type { CallView } from "./call-view";

/** The columns a call view needs: the call, its contact's name and its agent's name. */
export const callViewColumns = {
  call: calls,
  contactName: sql<
    string | null
  >`nullif(trim(${contacts.firstName} || ' ' || ${contacts.lastName}), '')`,
  agentName: users.name,
};

export type CallViewRow = {
  call: typeof calls.$inferSelect;
  contactName: string | null;
  agentName: string | null;
};

export function selectCallViews(tx: Tx) {
  return tx
    .select(callViewColumns)
    .from(calls)
    .leftJoin(contacts, eq(contacts.id, calls.contactId))
    .leftJoin(users, eq(users.id, calls.agentId));
}

export function toCallView({ call, contactName, agentName }: CallViewRow): CallView {
  return {
    id: call.id,
    direction: call.direction,
    status: call.status,
    fromNumber: call.fromNumber,
    fromName: call.fromName,
    toNumber: call.toNumber,
    customerNumber: call.customerNumber,
    contact: call.contactId ? { id: call.contactId, name: contactName ?? "Unnamed contact" } : null,
    agent: call.agentId ? { id: call.agentId, name: agentName ?? "Former member" } : null,
    extension: call.extension,
    queue: call.queue,
    startedAt: call.startedAt.toISOString(),
    answeredAt: call.answeredAt?.toISOString() ?? null,
    endedAt: call.endedAt?.toISOString() ?? null,
    durationSeconds: call.durationSeconds,
    hangupCause: call.hangupCause,
    hangupCauseText: call.hangupCauseText,
    hangupBy: call.hangupBy,
    outcome: call.outcome,
    recordingUrl: call.recordingUrl,
    disposition: call.disposition,
    notes: call.notes,
    wrapUp: call.wrapUpStatus
      ? {
          status: call.wrapUpStatus,
          draft: call.wrapUpDraft ?? { notes: null, disposition: null },
          dueAt: call.wrapUpDueAt?.toISOString() ?? null,
        }
      : null,
    version: call.version,
  };
}

export async function loadCallViews(tx: Tx, ids: string[]): Promise<CallView[]> {
  if (ids.length === 0) return [];
  const rows = await selectCallViews(tx).where(inArray(calls.id, ids));
  return rows.map(toCallView);
}
