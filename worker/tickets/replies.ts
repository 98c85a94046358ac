import { and, desc, eq, isNotNull, or } from "drizzle-orm";
import { sendMessage } from "../conversations/service";
import { contacts } from "../db/crm-schema";
import { ticketComments, type tickets } from "../db/desk-schema";
import { emailMessages } from "../db/email-schema";
import { organizations } from "../db/schema";
import { ticketReplyAddress } from "../email/addresses";
import { queueEmail } from "../email/send";
import type { Config } from "../env";
import { ApiError } from "../lib/errors";
import type { TenantScope } from "../lib/scope";
import type { UnitOfWork } from "../lib/unit-of-work";

/*
 * A ticket's email thread, outbound: a public reply goes to the requester from the
 * organization (via Switchboard), with the ticket's Reply-To address (its token finds the
 * ticket when they answer) and In-Reply-To/References naming the thread's earlier emails, so
 * their mail client keeps one conversation.
 */

type Mail = Pick<Config, "EMAIL_FROM" | "INBOUND_EMAIL_DOMAIN">;

/**
 * A public reply goes back the way the request came: on the inbox conversation a ticket was
 * opened from (WhatsApp, website chat), else by email. When the conversation cannot take it
 * (WhatsApp's 24-hour window closed, merged, not allowed to the caller) it goes by email; with
 * no email address either, the reply is refused with the conversation's reason rather than
 * stored for nobody.
 */
export async function deliverPublicReply(
  scope: TenantScope,
  ticket: typeof tickets.$inferSelect,
  comment: typeof ticketComments.$inferSelect,
  config: Mail,
) {
  if (ticket.conversationId) {
    try {
      await sendMessage(scope, ticket.conversationId, { body: comment.body });
      return;
    } catch (error) {
      if (!(error instanceof ApiError) || error.status >= 500) throw error;
      if (!(await requesterAddress(scope, ticket.requesterId))) {
        throw ApiError.validation(
          { body: [`${error.message} The requester has no email address to write to instead.`] },
          error.message,
        );
      }
    }
  }
  await emailPublicReply(scope, ticket, comment, config);
}

export async function emailPublicReply(
  unit: UnitOfWork & { actor?: { name: string } },
  ticket: typeof tickets.$inferSelect,
  comment: typeof ticketComments.$inferSelect,
  config: Mail,
) {
  const to = await requesterAddress(unit, ticket.requesterId);
  if (!to) return;
  const [organization] = await unit.tx
    .select({ slug: organizations.slug, name: organizations.name })
    .from(organizations)
    .where(eq(organizations.id, unit.orgId));
  if (!organization) return;
  const emailId = await queueEmail(unit, config, {
    to,
    replyTo: ticketReplyAddress(organization.slug, ticket.replyToken, config),
    headers: await threadHeaders(unit, ticket.id),
    request: {
      template: "ticket_reply",
      data: {
        number: ticket.number,
        subject: ticket.subject,
        body: comment.body,
        authorName: unit.actor?.name ?? organization.name,
      },
    },
  });
  await unit.tx.update(ticketComments).set({ emailId }).where(eq(ticketComments.id, comment.id));
}

/** The automatic answer to an email that opened a ticket (marked so that robots do not answer it). */
export async function acknowledgeNewTicket(
  unit: UnitOfWork,
  ticket: typeof tickets.$inferSelect,
  requester: { address: string; name: string | null },
  slug: string,
  config: Mail,
) {
  await queueEmail(unit, config, {
    to: requester.address,
    replyTo: ticketReplyAddress(slug, ticket.replyToken, config),
    headers: { ...(await threadHeaders(unit, ticket.id)), "Auto-Submitted": "auto-replied" },
    request: {
      template: "ticket_received",
      data: {
        number: ticket.number,
        subject: ticket.subject,
        name: requester.name ?? requester.address,
      },
    },
  });
}

/** The requester's first address, unless they asked not to be contacted. */
export async function requesterAddress(unit: UnitOfWork, contactId: string | null) {
  if (!contactId) return null;
  const [contact] = await unit.tx
    .select({ addresses: contacts.emailAddresses, doNotContact: contacts.doNotContact })
    .from(contacts)
    .where(eq(contacts.id, contactId));
  if (!contact || contact.doNotContact) return null;
  return contact.addresses[0] ?? null;
}

/** In-Reply-To: the thread's latest email; References: its emails, oldest first (at most 20). */
async function threadHeaders(unit: UnitOfWork, ticketId: string): Promise<Record<string, string>> {
  const rows = await unit.tx
    .select({
      inbound: ticketComments.emailMessageId,
      outbound: emailMessages.providerMessageId,
    })
    .from(ticketComments)
    .leftJoin(emailMessages, eq(emailMessages.id, ticketComments.emailId))
    .where(
      and(
        eq(ticketComments.ticketId, ticketId),
        or(isNotNull(ticketComments.emailMessageId), isNotNull(emailMessages.providerMessageId)),
      ),
    )
    .orderBy(desc(ticketComments.createdAt))
    .limit(20);
  const ids = rows
    .map((row) => row.inbound ?? row.outbound)
    .filter((id): id is string => Boolean(id))
    .reverse()
    .map((id) => `<${id}>`);
  const latest = ids.at(-1);
  if (!latest) return {};
  return { "In-Reply-To": latest, References: ids.join(" ") };
}
