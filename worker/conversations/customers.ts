import { sql } from "drizzle-orm";
import type { ContactPhone } from "../../shared/crm";
import { activities, type contacts } from "../db/crm-schema";
import { conversations } from "../db/inbox-schema";
import { newId } from "../lib/crypto";
import type { UnitOfWork } from "../lib/unit-of-work";

/*
 * Customers writing in: the contact a new customer becomes, and the conversation each of their
 * messages joins. One rule for every channel (WhatsApp's ingest, the website chat).
 */

/** A contact for someone who wrote in, named as their channel shows them (else by number). */
export function contactFromCustomer(
  orgId: string,
  e164: string | null,
  name: string | null,
): typeof contacts.$inferInsert & { id: string } {
  const words = (name ?? "").trim().split(/\s+/).filter(Boolean);
  const phones: ContactPhone[] = e164
    ? [{ raw: e164, e164, primary: true, label: "WhatsApp" }]
    : [];
  return {
    id: newId(),
    orgId,
    firstName: words[0] ?? e164 ?? "Website visitor",
    lastName: words.slice(1).join(" "),
    phones,
    phoneNumbers: e164 ? [e164] : [],
  };
}

export interface CustomerEntry {
  channelId: string;
  /** Who writes on that channel: a WhatsApp id, a website visitor's id. */
  externalId: string;
  contactId: string | null;
  startedAt: Date;
  /** How the contact's timeline names a new conversation: "WhatsApp", "Website chat". */
  channelLabel: string;
}

const live = sql`status <> 'resolved' and merged_into_id is null`;

/**
 * The open conversation of each (channel, customer), started where there is none (a resolved
 * conversation stays closed; the next message starts a new one). Two statements whatever the
 * number of customers; a new conversation shows on its contact's timeline.
 */
export interface CustomerConversations {
  /** The open conversation of a customer on a channel. */
  conversationOf(channelId: string, externalId: string): string;
  /** The conversations this call started. */
  created: { id: string; channelId: string }[];
}

export async function customerConversations(
  unit: UnitOfWork,
  entries: CustomerEntry[],
): Promise<CustomerConversations> {
  const unique = new Map<string, CustomerEntry>();
  for (const entry of entries) {
    const key = `${entry.channelId} ${entry.externalId}`;
    if (!unique.has(key)) unique.set(key, entry);
  }
  const wanted = [...unique.values()];
  const created = await unit.tx
    .insert(conversations)
    .values(
      wanted.map((entry) => ({
        id: newId(),
        orgId: unit.orgId,
        channelId: entry.channelId,
        contactId: entry.contactId,
        externalId: entry.externalId,
        lastMessageAt: entry.startedAt,
      })),
    )
    .onConflictDoNothing({
      target: [conversations.channelId, conversations.externalId],
      where: live,
    })
    .returning({
      id: conversations.id,
      channelId: conversations.channelId,
      externalId: conversations.externalId,
      contactId: conversations.contactId,
    });
  const { rows } = await unit.tx.execute<{ id: string; channel_id: string; external_id: string }>(
    sql`select c.id, c.channel_id, c.external_id from ${conversations} c
      join unnest(${sql.param(wanted.map((e) => e.channelId))}::uuid[], ${sql.param(wanted.map((e) => e.externalId))}::text[])
        as k(channel_id, external_id)
        on c.channel_id = k.channel_id and c.external_id = k.external_id
      where c.status <> 'resolved' and c.merged_into_id is null`,
  );
  const ids = new Map(rows.map((row) => [`${row.channel_id} ${row.external_id}`, row.id]));

  const timeline = created.flatMap((conversation) => {
    const entry = unique.get(`${conversation.channelId} ${conversation.externalId}`);
    if (!conversation.contactId || !entry) return [];
    return [
      {
        id: newId(),
        orgId: unit.orgId,
        type: "message" as const,
        subject: `${entry.channelLabel} conversation`,
        occurredAt: entry.startedAt,
        contactId: conversation.contactId,
        metadata: { conversationId: conversation.id, channelId: conversation.channelId },
      },
    ];
  });
  if (timeline.length > 0) {
    await unit.tx.insert(activities).values(timeline);
    for (const activity of timeline) {
      unit.emit({ type: "activity.created", id: activity.id, version: 1, actorId: null });
    }
  }
  return {
    conversationOf: (channelId, externalId) => {
      const id = ids.get(`${channelId} ${externalId}`);
      if (!id) throw new Error(`no open conversation for ${channelId} ${externalId}`);
      return id;
    },
    created: created.map(({ id, channelId }) => ({ id, channelId })),
  };
}
