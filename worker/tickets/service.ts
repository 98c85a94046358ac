import { and, desc, eq, exists, ilike, inArray, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import { UNSOLVED_TICKET_STATUSES } from "../../shared/desk";
import { assertLinkedRecords } from "../crm/linked-records";
import { assertActiveMember } from "../crm/member-check";
import { assertVersion } from "../crm/records";
import { askForRatingIfSolved } from "../csat/surveys";
import { contacts, teams } from "../db/crm-schema";
import { ticketComments, tickets } from "../db/desk-schema";
import type { Config } from "../env";
import { ApiError } from "../lib/errors";
import { decodeCursor, encodeCursor } from "../lib/pagination";
import { requirePermission, type TenantScope } from "../lib/scope";
import { mentionedMembers } from "../members/mentions";
import { notify } from "../notifications/service";
import { slaContextOf } from "../sla/clocks";
import { ticketCustomValues } from "./custom-fields";
import { deliverPublicReply } from "./replies";
import type {
  AddCommentInput,
  CreateTicketInput,
  ListTicketsQuery,
  TicketView,
  UpdateTicketInput,
} from "./schemas";
import {
  contactByEmail,
  insertComment,
  insertTicket,
  loadComments,
  loadTicketView,
  publishTicket,
  selectTicketViews,
  statusChange,
  toTicketViews,
} from "./store";

/*
 * The support desk's operations, for the API and the pages: tickets (create, list with views
 * and counts, read, change, delete, merge) and their comments (public replies go to the
 * requester by email, internal notes stay inside).
 */

/** What sending a ticket's emails needs from the configuration. */
export type TicketMail = Pick<Config, "EMAIL_FROM" | "INBOUND_EMAIL_DOMAIN" | "APP_URL">;
type Mail = TicketMail;

const UNSOLVED = [...UNSOLVED_TICKET_STATUSES];

export async function createTicket(
  scope: TenantScope,
  input: CreateTicketInput,
  via: "agent" | "api",
): Promise<TicketView> {
  requirePermission(scope.actor, "tickets:write");
  await assertAssignment(scope, input);
  await assertLinkedRecords(scope, input);
  const custom = await ticketCustomValues(scope, input);
  const requesterId = input.requester ? await requesterOf(scope, input.requester) : null;
  const ticket = await insertTicket(scope, {
    subject: input.subject,
    via,
    requesterId,
    companyId: input.companyId,
    dealId: input.dealId ?? null,
    status: input.status ?? (input.assigneeId ? "open" : "new"),
    priority: input.priority,
    type: input.type ?? null,
    assigneeId: input.assigneeId ?? null,
    teamId: input.teamId ?? null,
    tags: normalizeTags(input.tags ?? []),
    custom: custom ?? {},
    dueAt: input.dueAt ? new Date(input.dueAt) : null,
  });
  await insertComment(scope.tx, scope.orgId, {
    ticketId: ticket.id,
    authorKind: "agent",
    authorId: scope.actor.userId,
    public: true,
    body: input.description,
    via,
  });
  await notifyAssignee(scope, ticket.assigneeId, ticket);
  return publishTicket(scope, ticket.id);
}

/** The member a ticket was just given to hears of it (not if they took it themselves). */
async function notifyAssignee(
  scope: TenantScope,
  assigneeId: string | null,
  ticket: { id: string; number: number; subject: string },
) {
  await notify(
    scope,
    [assigneeId],
    {
      kind: "assignment",
      title: `Ticket #${ticket.number} was assigned to you`,
      body: ticket.subject,
      link: `/app/tickets/${ticket.id}`,
    },
    scope.actor.userId,
  );
}

async function requesterOf(
  scope: TenantScope,
  requester: NonNullable<CreateTicketInput["requester"]>,
): Promise<string> {
  if (requester.contactId) {
    const [found] = await scope.tx
      .select({ id: contacts.id })
      .from(contacts)
      .where(and(eq(contacts.id, requester.contactId), isNull(contacts.deletedAt)));
    if (!found) throw ApiError.validation({ "requester.contactId": ["No such contact."] });
    return found.id;
  }
  return contactByEmail(scope, requester.email as string, requester.name ?? null);
}

export async function assertAssignment(
  scope: TenantScope,
  input: { assigneeId?: string | null; teamId?: string | null },
) {
  if (input.assigneeId) await assertActiveMember(scope, input.assigneeId, "assigneeId");
  if (input.teamId) {
    const [team] = await scope.tx
      .select({ id: teams.id })
      .from(teams)
      .where(eq(teams.id, input.teamId));
    if (!team) throw ApiError.validation({ teamId: ["No such team."] });
  }
}

export function normalizeTags(tags: string[]): string[] {
  return [...new Set(tags.map((tag) => tag.trim().toLowerCase()).filter(Boolean))];
}

/** A running SLA target is in its warning window but not yet due (stored deadlines). */
function breachingSoon(now: Date): SQL {
  return sql`${tickets.slaWarnAt} <= ${now.toISOString()}::timestamptz and ${tickets.slaDueAt} > ${now.toISOString()}::timestamptz`;
}

/** A running SLA target is past due. */
function overdue(now: Date): SQL {
  return sql`${tickets.slaDueAt} <= ${now.toISOString()}::timestamptz`;
}

function viewConditions(scope: TenantScope, view: ListTicketsQuery["view"], now: Date): SQL[] {
  switch (view) {
    case "my_open":
      return [
        inArray(tickets.status, UNSOLVED),
        eq(tickets.assigneeId, scope.actor.userId ?? "00000000-0000-0000-0000-000000000000"),
      ];
    case "unassigned":
      return [inArray(tickets.status, UNSOLVED), isNull(tickets.assigneeId)];
    case "unsolved":
      return [inArray(tickets.status, UNSOLVED)];
    case "breaching_soon":
      return [inArray(tickets.status, UNSOLVED), breachingSoon(now)];
    case "overdue":
      return [inArray(tickets.status, UNSOLVED), overdue(now)];
    default:
      return [];
  }
}

export async function listTickets(scope: TenantScope, query: ListTicketsQuery) {
  requirePermission(scope.actor, "tickets:read");
  const now = new Date();
  const conditions: SQL[] = [isNull(tickets.deletedAt), ...viewConditions(scope, query.view, now)];
  if (query.status) conditions.push(inArray(tickets.status, query.status));
  if (query.priority) conditions.push(inArray(tickets.priority, query.priority));
  if (query.assignee === "none") conditions.push(isNull(tickets.assigneeId));
  else if (query.assignee === "me") {
    conditions.push(
      eq(tickets.assigneeId, scope.actor.userId ?? "00000000-0000-0000-0000-000000000000"),
    );
  } else if (query.assignee) conditions.push(eq(tickets.assigneeId, query.assignee));
  if (query.requesterId) conditions.push(eq(tickets.requesterId, query.requesterId));
  if (query.companyId) conditions.push(eq(tickets.companyId, query.companyId));
  if (query.dealId) conditions.push(eq(tickets.dealId, query.dealId));
  if (query.tag) conditions.push(sql`${tickets.tags} @> array[${query.tag.toLowerCase()}]::text[]`);
  if (query.q) {
    const pattern = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const words = or(
      ilike(tickets.subject, pattern),
      exists(
        scope.tx
          .select({ one: sql`1` })
          .from(ticketComments)
          .where(and(eq(ticketComments.ticketId, tickets.id), ilike(ticketComments.body, pattern))),
      ),
    );
    if (words) conditions.push(words);
  }
  if (query.cursor) {
    const cursor = decodeCursor(query.cursor);
    const older = or(
      lt(tickets.updatedAt, cursor.at),
      and(eq(tickets.updatedAt, cursor.at), lt(tickets.id, cursor.id)),
    );
    if (older) conditions.push(older);
  }
  const rows = await selectTicketViews(scope.tx)
    .where(and(...conditions))
    .orderBy(desc(tickets.updatedAt), desc(tickets.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > query.limit && last ? encodeCursor(last.ticket.updatedAt, last.ticket.id) : null;
  const sla = await slaContextOf(scope.tx, scope.orgId);
  return {
    tickets: toTicketViews(page, sla),
    nextCursor,
    counts: await ticketCounts(scope, now),
  };
}

/** The views' counts, for the desk's side list. */
export async function ticketCounts(scope: TenantScope, now = new Date()) {
  const me = scope.actor.userId;
  const [row] = await scope.tx
    .select({
      myOpen: sql<number>`count(*) filter (where ${tickets.assigneeId} = ${me ?? null}::uuid)::int`,
      unassigned: sql<number>`count(*) filter (where ${tickets.assigneeId} is null)::int`,
      unsolved: sql<number>`count(*)::int`,
      breachingSoon: sql<number>`count(*) filter (where ${breachingSoon(now)})::int`,
      overdue: sql<number>`count(*) filter (where ${overdue(now)})::int`,
    })
    .from(tickets)
    .where(and(isNull(tickets.deletedAt), inArray(tickets.status, UNSOLVED)));
  return {
    myOpen: row?.myOpen ?? 0,
    unassigned: row?.unassigned ?? 0,
    unsolved: row?.unsolved ?? 0,
    breachingSoon: row?.breachingSoon ?? 0,
    overdue: row?.overdue ?? 0,
  };
}

export async function getTicket(scope: TenantScope, id: string) {
  requirePermission(scope.actor, "tickets:read");
  return loadTicketView(scope.tx, id);
}

/** The live ticket with this number (#1001...) in the caller's organization; 404 when none. */
export async function getTicketByNumber(scope: TenantScope, number: number) {
  requirePermission(scope.actor, "tickets:read");
  const [row] = await scope.tx
    .select({ id: tickets.id })
    .from(tickets)
    .where(
      and(eq(tickets.orgId, scope.orgId), eq(tickets.number, number), isNull(tickets.deletedAt)),
    );
  if (!row) throw ApiError.notFound("Ticket");
  return loadTicketView(scope.tx, row.id);
}

/** The ticket locked for a change; 404 when absent or deleted. */
async function lockTicket(scope: TenantScope, id: string) {
  const [row] = await scope.tx
    .select()
    .from(tickets)
    .where(and(eq(tickets.id, id), isNull(tickets.deletedAt)))
    .for("update");
  if (!row) throw ApiError.notFound("Ticket");
  return row;
}

/** A status change by the team: a closed ticket stays closed. */
export function statusEffects(
  status: TicketView["status"] | undefined,
  current: typeof tickets.$inferSelect,
) {
  if (status && status !== current.status && current.status === "closed") {
    throw ApiError.conflict("A closed ticket cannot change; open a new one.");
  }
  return statusChange(current, status);
}

/** Changes a ticket; one that becomes solved may ask its requester for a rating (CSAT). */
export async function updateTicket(
  scope: TenantScope,
  id: string,
  input: UpdateTicketInput,
  config: Mail,
) {
  requirePermission(scope.actor, "tickets:write");
  const current = await lockTicket(scope, id);
  assertVersion(current, input.version);
  await assertAssignment(scope, input);
  await assertLinkedRecords(scope, input);
  const custom = await ticketCustomValues(scope, input, current);
  await changeLockedTicket(scope, current, { ...input, custom }, config);
  return publishTicket(scope, id);
}

/**
 * Writes a change to a ticket the caller has locked and checked (version, assignment): the
 * status's effects, tags normalized, a `new` ticket given to someone opens, the new assignee
 * hears of it. Single edits and bulk actions both change tickets through here.
 */
export async function changeLockedTicket(
  scope: TenantScope,
  current: typeof tickets.$inferSelect,
  input: Omit<UpdateTicketInput, "version">,
  config: Mail,
) {
  const { status, dueAt, tags, ...fields } = input;
  await scope.tx
    .update(tickets)
    .set({
      ...fields,
      ...statusEffects(status, current),
      ...(tags ? { tags: normalizeTags(tags) } : {}),
      ...(dueAt !== undefined ? { dueAt: dueAt ? new Date(dueAt) : null } : {}),
      ...(fields.assigneeId && current.status === "new" && !status
        ? { status: "open" as const }
        : {}),
      version: current.version + 1,
      updatedAt: new Date(),
    })
    .where(eq(tickets.id, current.id));
  if (fields.assigneeId && fields.assigneeId !== current.assigneeId) {
    await notifyAssignee(scope, fields.assigneeId, current);
  }
  await askForRatingIfSolved(scope, current, status, config);
}

/** Deleted tickets leave every view; admins and managers only. */
export async function deleteTicket(scope: TenantScope, id: string) {
  requirePermission(scope.actor, "tickets:delete");
  await lockTicket(scope, id);
  await scope.tx
    .update(tickets)
    .set({ deletedAt: new Date(), updatedAt: new Date() })
    .where(eq(tickets.id, id));
}

export async function listComments(scope: TenantScope, id: string) {
  requirePermission(scope.actor, "tickets:read");
  await loadTicketView(scope.tx, id);
  return loadComments(scope.tx, [id]);
}

/**
 * A comment by the caller. Public: the requester gets it by email (threaded with the ticket's
 * emails), and it is the ticket's first response if none came before; a `new` ticket opens.
 */
export async function addComment(
  scope: TenantScope,
  id: string,
  input: AddCommentInput,
  config: Mail,
) {
  requirePermission(scope.actor, "tickets:write");
  const ticket = await lockTicket(scope, id);
  // Submitting as solved needs the required fields filled, as the properties form does.
  await ticketCustomValues(scope, { status: input.status }, ticket);
  const comment = await insertComment(scope.tx, scope.orgId, {
    ticketId: id,
    authorKind: "agent",
    authorId: scope.actor.userId,
    public: input.public,
    body: input.body,
    via: scope.actor.kind === "user" ? "agent" : "api",
  });
  if (!comment) throw new Error("comment insert returned no row");
  const status = input.status ?? (input.public && ticket.status === "new" ? "open" : undefined);
  await scope.tx
    .update(tickets)
    .set({
      ...statusEffects(status, ticket),
      ...(input.public && !ticket.firstResponseAt ? { firstResponseAt: new Date() } : {}),
      // A public reply answers whatever the requester was waiting on.
      ...(input.public ? { awaitingReplySince: null } : {}),
      version: ticket.version + 1,
      updatedAt: new Date(),
    })
    .where(eq(tickets.id, id));
  if (input.public) await deliverPublicReply(scope, ticket, comment, config);
  else {
    await notify(
      scope,
      await mentionedMembers(scope, input.body),
      {
        kind: "mention",
        title: `${scope.actor.name} mentioned you on ticket #${ticket.number}`,
        body: input.body,
        link: `/app/tickets/${ticket.id}`,
      },
      scope.actor.userId,
    );
  }
  await askForRatingIfSolved(scope, ticket, input.status, config);
  await publishTicket(scope, id);
  const [view] = (await loadComments(scope.tx, [id])).filter((c) => c.id === comment.id);
  if (!view) throw new Error("comment not found after insert");
  return view;
}

/**
 * Merges a ticket into another of the organization: its comments move there (with a note
 * saying so on both), and it is closed with `mergedIntoId`.
 */
export async function mergeTicket(scope: TenantScope, id: string, intoId: string) {
  requirePermission(scope.actor, "tickets:write");
  if (id === intoId) throw ApiError.validation({ intoId: ["A ticket cannot merge into itself."] });
  // Both locked in one statement, in id order: two merges crossing each other cannot deadlock.
  const locked = await scope.tx
    .select()
    .from(tickets)
    .where(and(inArray(tickets.id, [id, intoId]), isNull(tickets.deletedAt)))
    .orderBy(tickets.id)
    .for("update");
  const source = locked.find((row) => row.id === id);
  const target = locked.find((row) => row.id === intoId);
  if (!source) throw ApiError.notFound("Ticket");
  if (!target) throw ApiError.validation({ intoId: ["No such ticket."] });
  if (source.status === "closed") throw ApiError.conflict("A closed ticket cannot be merged.");
  if (target.status === "closed")
    throw ApiError.validation({ intoId: ["That ticket is closed; merge into an open one."] });
  await scope.tx
    .update(ticketComments)
    .set({ ticketId: target.id })
    .where(eq(ticketComments.ticketId, source.id));
  await insertComment(scope.tx, scope.orgId, {
    ticketId: target.id,
    authorKind: "system",
    authorId: scope.actor.userId,
    public: false,
    body: `Ticket #${source.number} (${source.subject}) was merged into this ticket.`,
    via: "agent",
  });
  await insertComment(scope.tx, scope.orgId, {
    ticketId: source.id,
    authorKind: "system",
    authorId: scope.actor.userId,
    public: false,
    body: `Merged into ticket #${target.number}.`,
    via: "agent",
  });
  const now = new Date();
  await scope.tx
    .update(tickets)
    .set({
      ...statusChange(source, "closed", now),
      mergedIntoId: target.id,
      version: source.version + 1,
      updatedAt: now,
    })
    .where(eq(tickets.id, source.id));
  await scope.tx
    .update(tickets)
    .set({
      tags: [...new Set([...target.tags, ...source.tags])],
      version: target.version + 1,
      updatedAt: now,
    })
    .where(eq(tickets.id, target.id));
  await publishTicket(scope, source.id);
  return publishTicket(scope, target.id);
}

/** A file that came with a comment of the ticket (`index` from 1), from R2. */
export async function ticketAttachment(
  scope: TenantScope,
  bucket: R2Bucket,
  ids: { ticketId: string; commentId: string; index: number },
) {
  requirePermission(scope.actor, "tickets:read");
  const [comment] = await scope.tx
    .select({ attachments: ticketComments.attachments })
    .from(ticketComments)
    .innerJoin(tickets, eq(tickets.id, ticketComments.ticketId))
    .where(
      and(
        eq(ticketComments.id, ids.commentId),
        eq(ticketComments.ticketId, ids.ticketId),
        isNull(tickets.deletedAt),
      ),
    );
  const attachment = comment?.attachments[ids.index - 1];
  if (!attachment?.key.startsWith(`${scope.orgId}/`)) throw ApiError.notFound("File");
  const object = await bucket.get(attachment.key);
  if (!object) throw ApiError.notFound("File");
  return { object, filename: attachment.filename };
}
