import { and, arrayOverlaps, eq, inArray, isNull, sql } from "drizzle-orm";
import { mostRecentlyWorkedOn } from "../contacts/by-number";
import { assignNewConversations } from "../conversations/assignment";
import { messagePreview } from "../conversations/conversation-view";
import { applyMessageCounts } from "../conversations/counters";
import { contactFromCustomer, customerConversations } from "../conversations/customers";
import { loadConversationViews, toMessageView } from "../conversations/load";
import type { Database } from "../db/client";
import { contacts } from "../db/crm-schema";
import { channels, messages, type WhatsAppChannelSettings } from "../db/inbox-schema";
import { newOrderedId } from "../lib/crypto";
import { type AfterCommit, runUnitOfWork, type UnitOfWork } from "../lib/unit-of-work";
import { type IncomingMessage, readWebhookPayload, type StatusReport } from "./payload";
import { applyStatuses } from "./statuses";

/*
 * Stores Meta's deliveries for one organization, taken from the inbound queue in batches, as
 * one unit of work. A batch costs the same few statements whatever its size:
 * the live channels it names; which of its messages are stored already (Meta delivers again
 * when an answer is slow); the senders' contacts by number, and the ones to create; the open
 * conversations to add to (created where none is open); the messages (unique by wamid per
 * channel, so a second delivery stores nothing); the conversations' counters; the statuses.
 * After commit the inbox hears of every conversation and message the batch touched.
 *
 * A delivery counts only for the channel whose URL it came to and only for that channel's
 * number (`metadata.phone_number_id`): a payload signed with one channel's secret never
 * stores into another channel, let alone another organization's.
 */

export interface WhatsAppDelivery {
  channelId: string;
  body: string;
  receivedAt: number;
}

export interface IngestSummary {
  stored: number;
  duplicates: number;
  statuses: number;
  pendingStatuses: number;
  skipped: number;
}

export async function ingestWhatsAppDeliveries(
  database: Database,
  orgId: string,
  deliveries: WhatsAppDelivery[],
  afterCommit: AfterCommit,
  /** Who has the app open (for automatic assignment), asked only when needed. */
  online: () => Promise<Set<string>>,
): Promise<IngestSummary> {
  return runUnitOfWork(database, { orgId, userId: null }, afterCommit, async (unit) => {
    const summary: IngestSummary = {
      stored: 0,
      duplicates: 0,
      statuses: 0,
      pendingStatuses: 0,
      skipped: 0,
    };
    const live = await liveChannels(unit, [...new Set(deliveries.map((d) => d.channelId))]);
    const incoming = new Map<string, IncomingMessage & { channelId: string }>();
    const reports: (StatusReport & { channelId: string })[] = [];
    for (const delivery of deliveries) {
      const payload = readWebhookPayload(delivery.body);
      const number = live.get(delivery.channelId);
      if (!payload || !number) {
        summary.skipped += 1;
        continue;
      }
      summary.skipped += payload.skipped;
      for (const message of payload.messages) {
        if (message.phoneNumberId !== number) summary.skipped += 1;
        else
          incoming.set(`${delivery.channelId} ${message.wamid}`, {
            ...message,
            channelId: delivery.channelId,
          });
      }
      for (const report of payload.statuses) {
        if (report.phoneNumberId !== number) summary.skipped += 1;
        else reports.push({ ...report, channelId: delivery.channelId });
      }
    }

    const fresh = await unstored(unit, [...incoming.values()]);
    summary.duplicates = incoming.size - fresh.length;
    const stored = await storeIncoming(unit, fresh, online);
    summary.stored = stored.messages;
    summary.duplicates += fresh.length - stored.messages;

    const applied = await applyStatuses(unit, reports);
    summary.statuses = applied.applied;
    summary.pendingStatuses = applied.pending;

    const touched = new Set([...stored.conversationIds, ...applied.conversationIds]);
    for (const conversation of await loadConversationViews(unit.tx, [...touched])) {
      unit.emit({ type: "conversation.updated", conversation });
    }
    return summary;
  });
}

/** The organization's live WhatsApp channels among `ids`, with their numbers. */
async function liveChannels(unit: UnitOfWork, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await unit.tx
    .select({ id: channels.id, settings: channels.settings })
    .from(channels)
    .where(
      and(inArray(channels.id, ids), eq(channels.type, "whatsapp"), isNull(channels.deletedAt)),
    );
  return new Map(
    rows.map((row) => [row.id, (row.settings as WhatsAppChannelSettings).phoneNumberId]),
  );
}

type Fresh = IncomingMessage & { channelId: string };

/** The messages not stored by an earlier delivery. */
async function unstored(unit: UnitOfWork, candidates: Fresh[]): Promise<Fresh[]> {
  if (candidates.length === 0) return [];
  const { rows } = await unit.tx.execute<{ channel_id: string; external_id: string }>(sql`
    select m.channel_id, m.external_id from ${messages} m
    join unnest(${sql.param(candidates.map((m) => m.channelId))}::uuid[], ${sql.param(candidates.map((m) => m.wamid))}::text[])
      as k(channel_id, external_id)
      on m.channel_id = k.channel_id and m.external_id = k.external_id`);
  const known = new Set(rows.map((row) => `${row.channel_id} ${row.external_id}`));
  return candidates.filter((m) => !known.has(`${m.channelId} ${m.wamid}`));
}

/** Contacts, conversations and messages for the new messages, in their order of writing. */
async function storeIncoming(unit: UnitOfWork, fresh: Fresh[], online: () => Promise<Set<string>>) {
  if (fresh.length === 0) return { messages: 0, conversationIds: [] as string[] };
  fresh.sort((a, b) => a.sentAt.getTime() - b.sentAt.getTime());
  const contactIds = await contactsOfSenders(unit, fresh);
  const { conversationOf, created } = await customerConversations(
    unit,
    fresh.map((m) => ({
      channelId: m.channelId,
      externalId: m.waId,
      contactId: contactIds.get(m.waId) ?? null,
      startedAt: m.sentAt,
      channelLabel: "WhatsApp",
    })),
  );
  await assignNewConversations(unit, created, online);
  const inserted = await unit.tx
    .insert(messages)
    .values(
      fresh.map((m) => ({
        id: newOrderedId(),
        orgId: unit.orgId,
        conversationId: conversationOf(m.channelId, m.waId),
        channelId: m.channelId,
        direction: "incoming" as const,
        kind: m.kind,
        body: m.body,
        content: m.content,
        externalId: m.wamid,
        status: "received" as const,
        sentAt: m.sentAt,
      })),
    )
    .onConflictDoNothing({
      target: [messages.channelId, messages.externalId],
      where: sql`external_id is not null`,
    })
    .returning();
  await applyMessageCounts(
    unit,
    inserted.map((row) => ({
      conversationId: row.conversationId,
      direction: "incoming",
      at: row.sentAt,
      preview: messagePreview(row.kind, row.body),
    })),
  );
  for (const row of inserted) {
    unit.emit({ type: "message.created", message: toMessageView(row) });
    if (typeof row.content.mediaId === "string") {
      unit.enqueue({ type: "whatsapp.media", jobId: row.id, messageId: row.id });
    }
  }
  return {
    messages: inserted.length,
    conversationIds: [...new Set(inserted.map((row) => row.conversationId))],
  };
}

/**
 * The contact of each sender, matched by number (E.164 of the WhatsApp id: the rule the phone
 * screen-pop uses), or created with their WhatsApp profile name.
 */
async function contactsOfSenders(unit: UnitOfWork, fresh: Fresh[]): Promise<Map<string, string>> {
  const senders = new Map<string, string | null>();
  for (const m of fresh) senders.set(m.waId, m.profileName ?? senders.get(m.waId) ?? null);
  const numbers = [...senders.keys()].map((waId) => `+${waId}`);
  const found = await unit.tx
    .select({ id: contacts.id, phoneNumbers: contacts.phoneNumbers })
    .from(contacts)
    .where(and(arrayOverlaps(contacts.phoneNumbers, numbers), isNull(contacts.deletedAt)))
    .orderBy(...mostRecentlyWorkedOn);
  const byWaId = new Map<string, string>();
  for (const row of found) {
    for (const number of row.phoneNumbers) {
      const waId = number.slice(1);
      if (senders.has(waId) && !byWaId.has(waId)) byWaId.set(waId, row.id);
    }
  }
  const missing = [...senders].filter(([waId]) => !byWaId.has(waId));
  if (missing.length > 0) {
    const created = missing.map(([waId, name]) =>
      contactFromCustomer(unit.orgId, `+${waId}`, name),
    );
    await unit.tx.insert(contacts).values(created);
    for (const [index, [waId]] of missing.entries()) {
      const contact = created[index];
      if (!contact) continue;
      byWaId.set(waId, contact.id);
      unit.emit({ type: "contact.created", id: contact.id, version: 1, actorId: null });
    }
  }
  return byWaId;
}
