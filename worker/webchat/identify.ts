import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { recordAudit } from "../audit/service";
import { loadConversationViews } from "../conversations/load";
import { moveConversationInto } from "../conversations/service";
import type { Database } from "../db/client";
import { conversations } from "../db/inbox-schema";
import type { RequestMeta } from "../lib/request-meta";
import { type AfterCommit, runUnitOfWork } from "../lib/unit-of-work";
import type { WebchatChannel } from "./channel";
import { knownVisitorContact, lockVisitor } from "./service";
import type { VisitorClaims } from "./visitor-token";

/*
 * An anonymous visitor the site then identifies (they signed in there: a valid identity hash
 * with their visitor token) keeps what they wrote, as in Chatwoot: their anonymous
 * conversations on this chat become the identified visitor's. They join the identified
 * visitor's contact when one is known (an earlier conversation, or their e-mail on a contact);
 * otherwise the anonymous contact simply becomes theirs. If both had an open conversation, the
 * anonymous one merges into the identified one, so the visitor sees one thread. The anonymous
 * contact is kept (it may hold the name and e-mail they typed; an agent can merge or delete
 * it). Never the other way round: an identified visitor's token shown without identity starts
 * afresh (routes.ts).
 */

export interface Identification {
  channel: WebchatChannel;
  /** The anonymous visitor's claims (`visitor:<id>`), from their verified token. */
  anonymous: VisitorClaims;
  /** The identified visitor's claims (`user:<id>`), after the hash was checked. */
  identified: VisitorClaims;
}

/** Moves the anonymous visitor's conversations to the identified one; how many moved. */
export async function claimAnonymousConversations(
  database: Database,
  afterCommit: AfterCommit,
  { channel, anonymous, identified }: Identification,
  meta: RequestMeta,
): Promise<number> {
  return runUnitOfWork(
    database,
    { orgId: channel.orgId, userId: null },
    afterCommit,
    async (unit) => {
      // Both visitors' writes wait (in one order, so two claims cannot deadlock).
      for (const sub of [anonymous.sub, identified.sub].sort()) {
        await lockVisitor(unit, channel.id, sub);
      }
      const theirs = await unit.tx
        .select({ id: conversations.id, contactId: conversations.contactId })
        .from(conversations)
        .where(
          and(
            eq(conversations.channelId, channel.id),
            eq(conversations.externalId, anonymous.sub),
            isNull(conversations.mergedIntoId),
          ),
        );
      if (theirs.length === 0) return 0;
      const ids = theirs.map((row) => row.id);
      const contactId =
        (await knownVisitorContact(unit, { channel, claims: identified })) ??
        theirs.find((row) => row.contactId)?.contactId ??
        null;
      // One open thread: the identified visitor's own open conversation takes the anonymous
      // one's messages (merged first: a chat holds one open conversation per visitor).
      const [target] = await unit.tx
        .select({ id: conversations.id })
        .from(conversations)
        .where(
          and(
            eq(conversations.channelId, channel.id),
            eq(conversations.externalId, identified.sub),
            sql`${conversations.status} <> 'resolved'`,
            isNull(conversations.mergedIntoId),
          ),
        );
      const merged: string[] = [];
      if (target) {
        const sources = (await loadConversationViews(unit.tx, ids)).filter(
          (view) => view.status !== "resolved",
        );
        for (const source of sources) {
          await moveConversationInto(unit, source, target.id);
          merged.push(source.id);
        }
      }
      await unit.tx
        .update(conversations)
        .set({
          externalId: identified.sub,
          ...(contactId ? { contactId } : {}),
          version: sql`${conversations.version} + 1`,
          updatedAt: new Date(),
        })
        .where(inArray(conversations.id, ids));
      for (const conversation of await loadConversationViews(unit.tx, ids)) {
        unit.emit({ type: "conversation.updated", conversation });
      }
      await recordAudit(
        unit.tx,
        {
          orgId: channel.orgId,
          actor: { userId: null, apiKeyId: null },
          action: "webchat.visitor_identified",
          target: { type: "channel", id: channel.id },
          metadata: {
            conversations: ids,
            mergedInto: merged.length > 0 ? (target?.id ?? null) : null,
            contactId,
          },
        },
        meta,
      );
      return ids.length;
    },
  );
}
