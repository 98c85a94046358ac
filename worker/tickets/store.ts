import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { TicketAttachment, TicketAuthorKind, TicketVia } from "../../shared/desk";
import { mostRecentlyWorkedOn } from "../contacts/by-number";
import { contactFromCustomer } from "../conversations/customers";
import type { Tx } from "../db/client";
import { companies, contacts, deals } from "../db/crm-schema";
import { csatSurveys, ticketComments, tickets } from "../db/desk-schema";
import { emailMessages } from "../db/email-schema";
import { newId, randomToken } from "../lib/crypto";
import { ApiError } from "../lib/errors";
import type { UnitOfWork } from "../lib/unit-of-work";
import { type SlaContext, slaContextOf, ticketSla } from "../sla/clocks";
import { storeSlaDeadlines } from "../sla/deadlines";
import type { TicketCommentView, TicketView } from "./schemas";

/*
 * Tickets and comments as rows: writing them (numbers per organization, the requester's
 * contact), reading them as the API shows them, and the `ticket.updated` event every change
 * publishes. The API's operations (service.ts) and inbound email (worker/email/inbound.ts)
 * both write through here.
 */

type TicketRow = typeof tickets.$inferSelect;
type CommentRow = typeof ticketComments.$inferSelect;

const FIRST_TICKET_NUMBER = 1001;

export interface NewTicket {
  subject: string;
  via: TicketVia;
  requesterId: string | null;
  status?: TicketRow["status"];
  priority?: TicketRow["priority"];
  type?: TicketRow["type"];
  assigneeId?: string | null;
  teamId?: string | null;
  tags?: string[];
  /** Checked already (tickets/custom-fields.ts). */
  custom?: Record<string, unknown>;
  dueAt?: Date | null;
  conversationId?: string | null;
  /** Left out: the requester's company. */
  companyId?: string | null;
  dealId?: string | null;
}

/** The company of a live contact, or null. */
async function companyOfContact(unit: UnitOfWork, contactId: string | null) {
  if (!contactId) return null;
  const [row] = await unit.tx
    .select({ companyId: contacts.companyId })
    .from(contacts)
    .where(and(eq(contacts.id, contactId), isNull(contacts.deletedAt)));
  return row?.companyId ?? null;
}

/** A new ticket, numbered after the organization's last one (one numbering at a time). */
export async function insertTicket(unit: UnitOfWork, ticket: NewTicket): Promise<TicketRow> {
  await unit.tx.execute(sql`select pg_advisory_xact_lock(hashtext('tickets:' || ${unit.orgId}))`);
  const [last] = await unit.tx
    .select({ number: sql<number>`max(${tickets.number})` })
    .from(tickets)
    .where(eq(tickets.orgId, unit.orgId));
  const [row] = await unit.tx
    .insert(tickets)
    .values({
      id: newId(),
      orgId: unit.orgId,
      number: Math.max(FIRST_TICKET_NUMBER - 1, Number(last?.number ?? 0)) + 1,
      subject: ticket.subject,
      via: ticket.via,
      requesterId: ticket.requesterId,
      status: ticket.status ?? "new",
      priority: ticket.priority ?? "normal",
      type: ticket.type ?? null,
      assigneeId: ticket.assigneeId ?? null,
      teamId: ticket.teamId ?? null,
      tags: ticket.tags ?? [],
      custom: ticket.custom ?? {},
      dueAt: ticket.dueAt ?? null,
      conversationId: ticket.conversationId ?? null,
      companyId:
        ticket.companyId !== undefined
          ? ticket.companyId
          : await companyOfContact(unit, ticket.requesterId),
      dealId: ticket.dealId ?? null,
      replyToken: randomToken(12)
        .replace(/[^A-Za-z0-9]/g, "x")
        .toLowerCase(),
    })
    .returning();
  if (!row) throw new Error("Ticket insert returned no row");
  return row;
}

export interface NewComment {
  ticketId: string;
  authorKind: TicketAuthorKind;
  authorId?: string | null;
  authorContactId?: string | null;
  public: boolean;
  body: string;
  via: TicketVia;
  emailMessageId?: string | null;
  attachments?: TicketAttachment[];
  id?: string;
}

/** A comment; null when its email (by Message-ID) is on the ticket already. */
export async function insertComment(tx: Tx, orgId: string, comment: NewComment) {
  const [row] = await tx
    .insert(ticketComments)
    .values({
      id: comment.id ?? newId(),
      orgId,
      ticketId: comment.ticketId,
      authorKind: comment.authorKind,
      authorId: comment.authorId ?? null,
      authorContactId: comment.authorContactId ?? null,
      public: comment.public,
      body: comment.body,
      via: comment.via,
      emailMessageId: comment.emailMessageId ?? null,
      attachments: comment.attachments ?? [],
    })
    .onConflictDoNothing()
    .returning();
  return row ?? null;
}

/** The contact with this address (the most recently worked on), or a new one named `name`. */
export async function contactByEmail(
  unit: UnitOfWork,
  address: string,
  name: string | null,
): Promise<string> {
  const email = address.trim().toLowerCase();
  const [found] = await unit.tx
    .select({ id: contacts.id })
    .from(contacts)
    .where(
      and(sql`${contacts.emailAddresses} @> array[${email}]::text[]`, isNull(contacts.deletedAt)),
    )
    .orderBy(...mostRecentlyWorkedOn)
    .limit(1);
  if (found) return found.id;
  const contact = contactFromCustomer(unit.orgId, null, name, email);
  await unit.tx.insert(contacts).values(contact);
  unit.emit({ type: "contact.created", id: contact.id, version: 1, actorId: null });
  return contact.id;
}

const requesterColumns = {
  id: contacts.id,
  firstName: contacts.firstName,
  lastName: contacts.lastName,
  emailAddresses: contacts.emailAddresses,
};

/** The linked company and deal, while they are live. */
const linkColumns = {
  company: { id: companies.id, name: companies.name },
  deal: { id: deals.id, title: deals.title },
};

interface TicketLinks {
  company: TicketView["company"];
  deal: TicketView["deal"];
}

/** The latest answered survey's rating, as `{ rating, comment, answeredAt }` JSON, or null. */
const latestCsat = sql<CsatJson | null>`(
  select json_build_object('rating', s.rating, 'comment', s.comment, 'answeredAt', s.answered_at)
  from ${csatSurveys} s
  where s.ticket_id = ${tickets.id} and s.answered_at is not null
  order by s.solved_at desc
  limit 1
)`;

interface CsatJson {
  rating: number;
  comment: string | null;
  answeredAt: string;
}

function toTicketView(
  row: TicketRow,
  requester: { id: string; firstName: string; lastName: string; emailAddresses: string[] } | null,
  sla: SlaContext,
  csat: CsatJson | null,
  links: TicketLinks,
): TicketView {
  return {
    id: row.id,
    number: row.number,
    subject: row.subject,
    status: row.status,
    priority: row.priority,
    type: row.type,
    requester: requester
      ? {
          id: requester.id,
          name: `${requester.firstName} ${requester.lastName}`.trim(),
          email: requester.emailAddresses[0] ?? null,
        }
      : null,
    company: links.company,
    deal: links.deal,
    assigneeId: row.assigneeId,
    teamId: row.teamId,
    tags: row.tags,
    custom: row.custom,
    dueAt: row.dueAt?.toISOString() ?? null,
    via: row.via,
    conversationId: row.conversationId,
    firstResponseAt: row.firstResponseAt?.toISOString() ?? null,
    solvedAt: row.solvedAt?.toISOString() ?? null,
    sla: ticketSla(row, sla),
    csat: csat
      ? {
          rating: csat.rating,
          comment: csat.comment,
          answeredAt: new Date(csat.answeredAt).toISOString(),
        }
      : null,
    mergedIntoId: row.mergedIntoId,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Tickets with their requesters, ready for `where`/`orderBy`. */
export function selectTicketViews(tx: Tx) {
  return tx
    .select({ ticket: tickets, requester: requesterColumns, csat: latestCsat, ...linkColumns })
    .from(tickets)
    .leftJoin(contacts, eq(contacts.id, tickets.requesterId))
    .leftJoin(companies, and(eq(companies.id, tickets.companyId), isNull(companies.deletedAt)))
    .leftJoin(deals, and(eq(deals.id, tickets.dealId), isNull(deals.deletedAt)));
}

export function toTicketViews(
  rows: ({
    ticket: TicketRow;
    requester: Parameters<typeof toTicketView>[1];
    csat: CsatJson | null;
  } & TicketLinks)[],
  sla: SlaContext,
): TicketView[] {
  return rows.map((row) => toTicketView(row.ticket, row.requester, sla, row.csat, row));
}

/** A live ticket as the API shows it; 404 when absent, deleted or another organization's. */
export async function loadTicketView(tx: Tx, id: string): Promise<TicketView> {
  const [row] = await selectTicketViews(tx).where(
    and(eq(tickets.id, id), isNull(tickets.deletedAt)),
  );
  if (!row) throw ApiError.notFound("Ticket");
  return toTicketView(
    row.ticket,
    row.requester,
    await slaContextOf(tx, row.ticket.orgId),
    row.csat,
    row,
  );
}

/**
 * After a change of the ticket: stores its SLA deadlines (what the views filter on) and tells
 * everyone looking (list, counts, the open ticket). Returns the ticket as the API shows it.
 */
export async function publishTicket(unit: UnitOfWork, id: string): Promise<TicketView> {
  const [row] = await selectTicketViews(unit.tx).where(
    and(eq(tickets.id, id), isNull(tickets.deletedAt)),
  );
  if (!row) throw ApiError.notFound("Ticket");
  const sla = await slaContextOf(unit.tx, unit.orgId);
  const [ticket] = await storeSlaDeadlines(unit.tx, [row.ticket], sla);
  const view = toTicketView(ticket ?? row.ticket, row.requester, sla, row.csat, row);
  unit.emit({ type: "ticket.updated", ticket: view });
  return view;
}

export async function loadComments(tx: Tx, ticketIds: string[]): Promise<TicketCommentView[]> {
  if (ticketIds.length === 0) return [];
  const rows = await tx
    .select({ comment: ticketComments, emailStatus: emailMessages.status })
    .from(ticketComments)
    .leftJoin(emailMessages, eq(emailMessages.id, ticketComments.emailId))
    .where(inArray(ticketComments.ticketId, ticketIds))
    .orderBy(ticketComments.createdAt, ticketComments.id);
  return rows.map(({ comment, emailStatus }) => toCommentView(comment, emailStatus));
}

function toCommentView(
  row: CommentRow,
  emailStatus: TicketCommentView["emailStatus"],
): TicketCommentView {
  return {
    id: row.id,
    ticketId: row.ticketId,
    authorKind: row.authorKind,
    authorId: row.authorId,
    authorContactId: row.authorContactId,
    public: row.public,
    body: row.body,
    via: row.via,
    attachments: row.attachments,
    emailStatus,
    createdAt: row.createdAt.toISOString(),
  };
}

/**
 * What a status change also sets: when the ticket was solved (cleared if it reopens), and the
 * spells in `pending` that stop its resolution clock.
 */
export function statusChange(
  current: Pick<TicketRow, "status" | "slaPauses">,
  status: TicketRow["status"] | undefined,
  now = new Date(),
): Partial<Pick<TicketRow, "status" | "solvedAt" | "slaPauses">> {
  if (!status || status === current.status) return {};
  const solved = status === "solved" || status === "closed";
  const wasSolved = current.status === "solved" || current.status === "closed";
  let pauses = current.slaPauses;
  if (current.status === "pending") {
    pauses = pauses.map((pause) =>
      pause.to === null ? { ...pause, to: now.toISOString() } : pause,
    );
  }
  if (status === "pending") pauses = [...pauses, { from: now.toISOString(), to: null }];
  return {
    status,
    ...(solved && !wasSolved ? { solvedAt: now } : {}),
    ...(!solved ? { solvedAt: null } : {}),
    slaPauses: pauses,
  };
}
