import { sql } from "drizzle-orm";
import type { MessageDirection } from "../../shared/inbox";
import { conversations } from "../db/inbox-schema";
import type { UnitOfWork } from "../lib/unit-of-work";

/*
 * A conversation's counters follow its messages (private notes do not count): how many, how
 * many the team has not read, the last one (time and preview, for the list's order), the
 * customer's last one (WhatsApp's reply window runs from it) and the team's first answer.
 * The customer writing again wakes a snoozed conversation and one pending on them; the team
 * answering means it has read what came before. One statement for any number of conversations.
 */

export interface CountedMessage {
  conversationId: string;
  direction: MessageDirection;
  at: Date;
  preview: string;
}

interface Tally {
  total: number;
  incoming: number;
  lastAt: Date;
  preview: string;
  lastIncomingAt: Date | null;
  firstOutgoingAt: Date | null;
}

export async function applyMessageCounts(unit: UnitOfWork, counted: CountedMessage[]) {
  if (counted.length === 0) return;
  const tallies = new Map<string, Tally>();
  for (const message of counted) {
    const tally = tallies.get(message.conversationId) ?? {
      total: 0,
      incoming: 0,
      lastAt: message.at,
      preview: message.preview,
      lastIncomingAt: null,
      firstOutgoingAt: null,
    };
    tally.total += 1;
    if (message.at >= tally.lastAt) {
      tally.lastAt = message.at;
      tally.preview = message.preview;
    }
    if (message.direction === "incoming") {
      tally.incoming += 1;
      if (!tally.lastIncomingAt || message.at > tally.lastIncomingAt) {
        tally.lastIncomingAt = message.at;
      }
    } else if (!tally.firstOutgoingAt || message.at < tally.firstOutgoingAt) {
      tally.firstOutgoingAt = message.at;
    }
    tallies.set(message.conversationId, tally);
  }
  const list = [...tallies];
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  await unit.tx.execute(sql`
    update ${conversations} c set
      message_count = c.message_count + a.total,
      unread_count = case when a.total > a.incoming then 0 else c.unread_count + a.incoming end,
      last_message_preview = case when a.last_at >= c.last_message_at then a.preview
        else c.last_message_preview end,
      last_message_at = greatest(c.last_message_at, a.last_at),
      last_incoming_at = case when a.last_incoming_at is null then c.last_incoming_at
        else greatest(c.last_incoming_at, a.last_incoming_at) end,
      first_response_at = coalesce(c.first_response_at, a.first_outgoing_at),
      status = case when a.incoming > 0 and c.status in ('snoozed', 'pending')
        then 'open'::conversation_status else c.status end,
      snoozed_until = case when a.incoming > 0 then null else c.snoozed_until end,
      updated_at = now(),
      version = c.version + 1
    from unnest(
      ${sql.param(list.map(([id]) => id))}::uuid[],
      ${sql.param(list.map(([, t]) => t.total))}::int[],
      ${sql.param(list.map(([, t]) => t.incoming))}::int[],
      ${sql.param(list.map(([, t]) => t.lastAt.toISOString()))}::timestamptz[],
      ${sql.param(list.map(([, t]) => t.preview))}::text[],
      ${sql.param(list.map(([, t]) => iso(t.lastIncomingAt)))}::timestamptz[],
      ${sql.param(list.map(([, t]) => iso(t.firstOutgoingAt)))}::timestamptz[]
    ) as a(id, total, incoming, last_at, preview, last_incoming_at, first_outgoing_at)
    where c.id = a.id`);
}
