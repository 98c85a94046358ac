import { and, eq, inArray, sql } from "drizzle-orm";
import { MESSAGE_STATUS_RANK, type MessageStatus } from "../../shared/inbox";
import { toMessageView } from "../conversations/load";
import type { Tx } from "../db/client";
import { messages, pendingMessageStatuses } from "../db/inbox-schema";
import type { UnitOfWork } from "../lib/unit-of-work";
import type { ProviderError, StatusReport } from "./payload";

/*
 * Meta's delivery reports for the messages we sent. A status only moves a message forward
 * (sent < delivered < read; failed ends it): Meta may report out of order, and a late
 * `delivered` never takes back `read` (the enum's order in PostgreSQL is the rank, see
 * MESSAGE_STATUS_RANK). A report for a message not stored yet (the send's transaction has not
 * committed when Meta calls back) waits in `pending_message_statuses` until it is.
 */

type Report = StatusReport & { channelId: string };

/** The furthest status per message among `reports`. */
function furthest(reports: Report[]): Report[] {
  const best = new Map<string, Report>();
  for (const report of reports) {
    const key = `${report.channelId} ${report.wamid}`;
    const current = best.get(key);
    if (!current || MESSAGE_STATUS_RANK[report.status] > MESSAGE_STATUS_RANK[current.status]) {
      best.set(key, report);
    }
  }
  return [...best.values()];
}

export async function applyStatuses(unit: UnitOfWork, reports: Report[]) {
  const result = { applied: 0, pending: 0, conversationIds: [] as string[] };
  if (reports.length === 0) return result;
  const latest = furthest(reports);
  const { rows } = await unit.tx.execute<{ channel_id: string; external_id: string }>(sql`
    select m.channel_id, m.external_id from ${messages} m
    join unnest(${sql.param(latest.map((r) => r.channelId))}::uuid[], ${sql.param(latest.map((r) => r.wamid))}::text[])
      as k(channel_id, external_id)
      on m.channel_id = k.channel_id and m.external_id = k.external_id`);
  const known = new Set(rows.map((row) => `${row.channel_id} ${row.external_id}`));
  const stored = latest.filter((r) => known.has(`${r.channelId} ${r.wamid}`));
  const waiting = latest.filter((r) => !known.has(`${r.channelId} ${r.wamid}`));

  if (stored.length > 0) {
    const { rows: changed } = await unit.tx.execute<{ id: string }>(sql`
      update ${messages} m set
        status = v.status::message_status,
        status_at = v.at,
        error = coalesce(v.error::jsonb, m.error)
      from unnest(
        ${sql.param(stored.map((r) => r.channelId))}::uuid[],
        ${sql.param(stored.map((r) => r.wamid))}::text[],
        ${sql.param(stored.map((r) => r.status))}::text[],
        ${sql.param(stored.map((r) => r.at.toISOString()))}::timestamptz[],
        ${sql.param(stored.map((r) => (r.error ? JSON.stringify(r.error) : null)))}::text[]
      ) as v(channel_id, external_id, status, at, error)
      where m.channel_id = v.channel_id and m.external_id = v.external_id
        and m.direction = 'outgoing' and m.status < v.status::message_status
      returning m.id`);
    const updated =
      changed.length === 0
        ? []
        : await unit.tx
            .select()
            .from(messages)
            .where(
              inArray(
                messages.id,
                changed.map((row) => row.id),
              ),
            );
    result.applied = updated.length;
    for (const row of updated) unit.emit({ type: "message.updated", message: toMessageView(row) });
  }
  if (waiting.length > 0) {
    await unit.tx
      .insert(pendingMessageStatuses)
      .values(
        waiting.map((r) => ({
          orgId: unit.orgId,
          channelId: r.channelId,
          externalId: r.wamid,
          status: r.status,
          occurredAt: r.at,
          error: r.error as Record<string, unknown> | null,
        })),
      )
      .onConflictDoNothing();
    result.pending = waiting.length;
  }
  return result;
}

/**
 * The statuses that arrived before the message `wamid` was stored, taken (deleted): the
 * furthest one, for the caller to apply. Null if none waited.
 */
export async function takeWaitingStatus(
  tx: Tx,
  channelId: string,
  wamid: string,
): Promise<{ status: MessageStatus; at: Date; error: ProviderError | null } | null> {
  const taken = await tx
    .delete(pendingMessageStatuses)
    .where(
      and(
        eq(pendingMessageStatuses.channelId, channelId),
        eq(pendingMessageStatuses.externalId, wamid),
      ),
    )
    .returning();
  let best: (typeof taken)[number] | undefined;
  for (const row of taken) {
    if (!best || MESSAGE_STATUS_RANK[row.status] > MESSAGE_STATUS_RANK[best.status]) best = row;
  }
  return best
    ? { status: best.status, at: best.occurredAt, error: best.error as ProviderError | null }
    : null;
}
