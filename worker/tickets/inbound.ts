import { and, eq, inArray, isNull, or } from "drizzle-orm";
import type { TicketAttachment } from "../../shared/desk";
import { ticketComments, tickets } from "../db/desk-schema";
import { emailMessages } from "../db/email-schema";
import type { Config } from "../env";
import type { UnitOfWork } from "../lib/unit-of-work";
import { acknowledgeNewTicket } from "./replies";
import { contactByEmail, insertComment, insertTicket, publishTicket, statusChange } from "./store";

/*
 * An email that reached an organization's support mailbox (worker/email/inbound.ts), stored in
 * its unit of work. It continues the ticket it answers: the one whose reply token its address
 * carries, else the one holding an email its In-Reply-To/References name. A reply to a solved
 * or pending ticket reopens it; one to a closed ticket opens a follow-up. Anything else opens a
 * new ticket for the sender (a contact, matched by address or created), answered once
 * automatically. The same Message-ID twice (Email Routing delivering again) stores once.
 */

export interface InboundEmail {
  commentId: string;
  from: { address: string; name: string | null };
  subject: string;
  body: string;
  messageId: string | null;
  thread: string[];
  replyToken: string | null;
  attachments: TicketAttachment[];
  slug: string;
}

type Outcome = { ticketId: string; opened: boolean; duplicate: boolean };

export async function storeInboundEmail(
  unit: UnitOfWork,
  email: InboundEmail,
  config: Pick<Config, "EMAIL_FROM" | "INBOUND_EMAIL_DOMAIN">,
): Promise<Outcome> {
  const answered = await answeredTicket(unit, email);
  const contactId = await contactByEmail(unit, email.from.address, email.from.name);
  if (answered && answered.status !== "closed") {
    const comment = await insertComment(unit.tx, unit.orgId, {
      id: email.commentId,
      ticketId: answered.id,
      authorKind: "requester",
      authorContactId: contactId,
      public: true,
      body: withoutQuote(email.body),
      via: "email",
      emailMessageId: email.messageId,
      attachments: email.attachments,
    });
    if (!comment) return { ticketId: answered.id, opened: false, duplicate: true };
    const reopens = ["pending", "solved", "on_hold"].includes(answered.status);
    await unit.tx
      .update(tickets)
      .set({
        ...statusChange(answered, reopens ? "open" : undefined),
        // The team owes an answer (the next-response clock), once it has answered at all.
        ...(answered.firstResponseAt && !answered.awaitingReplySince
          ? { awaitingReplySince: new Date() }
          : {}),
        version: answered.version + 1,
        updatedAt: new Date(),
      })
      .where(eq(tickets.id, answered.id));
    await publishTicket(unit, answered.id);
    return { ticketId: answered.id, opened: false, duplicate: false };
  }
  if (email.messageId && (await alreadyStored(unit, email.messageId))) {
    return { ticketId: "", opened: false, duplicate: true };
  }
  const ticket = await insertTicket(unit, {
    subject: answered
      ? `Follow-up: ${answered.subject}`.slice(0, 250)
      : email.subject.slice(0, 250),
    via: "email",
    requesterId: contactId,
  });
  await insertComment(unit.tx, unit.orgId, {
    id: email.commentId,
    ticketId: ticket.id,
    authorKind: "requester",
    authorContactId: contactId,
    public: true,
    body: email.body,
    via: "email",
    emailMessageId: email.messageId,
    attachments: email.attachments,
  });
  await acknowledgeNewTicket(unit, ticket, email.from, email.slug, config);
  await publishTicket(unit, ticket.id);
  return { ticketId: ticket.id, opened: true, duplicate: false };
}

/** The ticket this email answers (this organization's only: RLS), locked; null for a new one. */
async function answeredTicket(unit: UnitOfWork, email: InboundEmail) {
  if (email.replyToken) {
    const [byToken] = await unit.tx
      .select()
      .from(tickets)
      .where(and(eq(tickets.replyToken, email.replyToken), isNull(tickets.deletedAt)))
      .for("update");
    if (byToken) return followMerges(unit, byToken);
  }
  if (email.thread.length === 0) return null;
  const [byThread] = await unit.tx
    .select({ ticketId: ticketComments.ticketId })
    .from(ticketComments)
    .leftJoin(emailMessages, eq(emailMessages.id, ticketComments.emailId))
    .where(
      or(
        inArray(ticketComments.emailMessageId, email.thread),
        inArray(emailMessages.providerMessageId, email.thread),
      ),
    )
    .limit(1);
  if (!byThread) return null;
  const [ticket] = await unit.tx
    .select()
    .from(tickets)
    .where(and(eq(tickets.id, byThread.ticketId), isNull(tickets.deletedAt)))
    .for("update");
  return ticket ? followMerges(unit, ticket) : null;
}

/** A merged ticket's replies belong to the ticket it was merged into. */
async function followMerges(unit: UnitOfWork, ticket: typeof tickets.$inferSelect) {
  let current = ticket;
  for (let hops = 0; current.mergedIntoId && hops < 5; hops++) {
    const [next] = await unit.tx
      .select()
      .from(tickets)
      .where(and(eq(tickets.id, current.mergedIntoId), isNull(tickets.deletedAt)))
      .for("update");
    if (!next) break;
    current = next;
  }
  return current;
}

async function alreadyStored(unit: UnitOfWork, messageId: string): Promise<boolean> {
  const [row] = await unit.tx
    .select({ id: ticketComments.id })
    .from(ticketComments)
    .where(eq(ticketComments.emailMessageId, messageId));
  return row !== undefined;
}

/** A reply without the quoted thread below it ("On ... wrote:", "> ..." lines). */
export function withoutQuote(body: string): string {
  const lines = body.split("\n");
  const cut = lines.findIndex(
    (line, index) =>
      /^On .+wrote:\s*$/i.test(line.trim()) ||
      /^-{2,}\s*Original Message\s*-{2,}$/i.test(line.trim()) ||
      (/^From: .+/.test(line) &&
        index > 0 &&
        lines.slice(index + 1, index + 4).some((next) => /^(Sent|Date|To|Subject): /.test(next))),
  );
  let kept = cut >= 0 ? lines.slice(0, cut) : lines;
  while (kept.length > 0 && (kept.at(-1)?.startsWith(">") || kept.at(-1)?.trim() === "")) {
    kept = kept.slice(0, -1);
  }
  const text = kept.join("\n").trim();
  return text || body;
}
