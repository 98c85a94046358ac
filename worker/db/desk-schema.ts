import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import {
  type SlaAlerts,
  type SlaPause,
  TICKET_AUTHOR_KINDS,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  TICKET_TYPES,
  TICKET_VIA,
  type TicketAttachment,
} from "../../shared/desk";
import type { WorkingInterval } from "../sla/business-hours";
import { companies, contacts, deals, teams } from "./crm-schema";
import { emailMessages } from "./email-schema";
import { conversations } from "./inbox-schema";
import { at, tenantColumn, tenantIsolation, timestamps, userColumn } from "./schema";

/*
 * The support desk: tickets and the comments on them (public replies, which reach the
 * requester by email, and internal notes). A ticket opened by email keeps its thread: the
 * Message-ID of every email in it (`email_message_id` of inbound comments, the provider's id of
 * the emails we sent through `email_id`), and a reply token that our Reply-To address carries.
 */

export const ticketStatus = pgEnum("ticket_status", TICKET_STATUSES);
export const ticketPriority = pgEnum("ticket_priority", TICKET_PRIORITIES);
export const ticketType = pgEnum("ticket_type", TICKET_TYPES);
export const ticketVia = pgEnum("ticket_via", TICKET_VIA);
export const ticketAuthorKind = pgEnum("ticket_author_kind", TICKET_AUTHOR_KINDS);

export const tickets = pgTable(
  "tickets",
  {
    id: uuid("id").primaryKey(),
    orgId: tenantColumn(),
    /** #1001, #1002, ... per organization. */
    number: integer("number").notNull(),
    subject: text("subject").notNull(),
    status: ticketStatus("status").notNull().default("new"),
    priority: ticketPriority("priority").notNull().default("normal"),
    type: ticketType("type"),
    requesterId: uuid("requester_id").references(() => contacts.id, { onDelete: "set null" }),
    /** The company it concerns: by default the requester's when opened. */
    companyId: uuid("company_id").references(() => companies.id, { onDelete: "set null" }),
    /** The deal it concerns, if any. */
    dealId: uuid("deal_id").references(() => deals.id, { onDelete: "set null" }),
    assigneeId: userColumn("assignee_id", "set null"),
    teamId: uuid("team_id").references(() => teams.id, { onDelete: "set null" }),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    custom: jsonb("custom").$type<Record<string, unknown>>().notNull().default({}),
    dueAt: at("due_at"),
    via: ticketVia("via").notNull(),
    /** Our Reply-To address carries it (`<slug>+t<token>@...`): a reply finds its ticket. */
    replyToken: text("reply_token").notNull(),
    firstResponseAt: at("first_response_at"),
    solvedAt: at("solved_at"),
    /** When the requester wrote and nobody has answered since (the next-response clock). */
    awaitingReplySince: at("awaiting_reply_since"),
    /** Spells in `pending` (waiting on the requester): the resolution clock stops in them. */
    slaPauses: jsonb("sla_pauses").$type<SlaPause[]>().notNull().default(sql`'[]'::jsonb`),
    /** Warnings and breaches already announced, per target, so each is announced once. */
    slaAlerts: jsonb("sla_alerts").$type<SlaAlerts>().notNull().default({}),
    /**
     * The earliest due time of the running (not met, not paused) SLA targets, and when the
     * first of them enters its warning window: what the "Breaching soon" and "Overdue" views
     * filter and count on. Kept current by every change of the ticket (`publishTicket`), the
     * minute job and a change of the policies or calendar; null without running targets.
     */
    slaDueAt: at("sla_due_at"),
    slaWarnAt: at("sla_warn_at"),
    /** The inbox conversation it was opened from, if any. */
    conversationId: uuid("conversation_id").references(() => conversations.id, {
      onDelete: "set null",
    }),
    /** Merged into another ticket (then closed). */
    mergedIntoId: uuid("merged_into_id"),
    version: integer("version").notNull().default(1),
    deletedAt: at("deleted_at"),
    ...timestamps,
  },
  (table) => [
    uniqueIndex("tickets_org_number_key").on(table.orgId, table.number),
    uniqueIndex("tickets_reply_token_key").on(table.replyToken),
    index("tickets_org_status_updated_idx").on(table.orgId, table.status, table.updatedAt.desc()),
    index("tickets_assignee_idx").on(table.orgId, table.assigneeId),
    index("tickets_requester_idx").on(table.requesterId),
    index("tickets_company_idx").on(table.orgId, table.companyId),
    index("tickets_deal_idx").on(table.orgId, table.dealId),
    index("tickets_sla_warn_idx").on(table.orgId, table.slaWarnAt),
    tenantIsolation(),
  ],
).enableRLS();

/**
 * Targets per priority (Zendesk's SLA policies): minutes to the first reply, to each next reply
 * after the requester writes, and to solving; counted in business hours (the organization's
 * calendar) or around the clock. A priority without a policy has no targets. A policy may be
 * scoped to a team and/or a ticket type: a ticket takes the most specific one that matches
 * (team and type, team, type, then the organization-wide one; `worker/sla/clocks.ts`).
 */
export const slaPolicies = pgTable(
  "sla_policies",
  {
    id: uuid("id").primaryKey(),
    orgId: tenantColumn(),
    priority: ticketPriority("priority").notNull(),
    /** Only the team's tickets (null: any team, or none). */
    teamId: uuid("team_id").references(() => teams.id, { onDelete: "cascade" }),
    /** Only tickets of this type (null: any type, or none). */
    ticketType: ticketType("ticket_type"),
    firstResponseMinutes: integer("first_response_minutes"),
    nextResponseMinutes: integer("next_response_minutes"),
    resolutionMinutes: integer("resolution_minutes"),
    businessHours: boolean("business_hours").notNull().default(true),
    ...timestamps,
  },
  (table) => [
    unique("sla_policies_scope_key")
      .on(table.orgId, table.priority, table.teamId, table.ticketType)
      .nullsNotDistinct(),
    tenantIsolation(),
  ],
).enableRLS();

/** The organization's working hours and holidays (one row; absent: Mon-Fri 9-17 in its zone). */
export const businessCalendars = pgTable(
  "business_calendars",
  {
    orgId: tenantColumn().primaryKey(),
    timeZone: text("time_zone").notNull(),
    week: jsonb("week").$type<WorkingInterval[][]>().notNull(),
    holidays: jsonb("holidays").$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    ...timestamps,
  },
  () => [tenantIsolation()],
).enableRLS();

export const ticketComments = pgTable(
  "ticket_comments",
  {
    id: uuid("id").primaryKey(),
    orgId: tenantColumn(),
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    authorKind: ticketAuthorKind("author_kind").notNull(),
    authorId: userColumn("author_id", "set null"),
    authorContactId: uuid("author_contact_id").references(() => contacts.id, {
      onDelete: "set null",
    }),
    /** Public: the requester sees it (by email). Otherwise an internal note. */
    public: boolean("public").notNull(),
    body: text("body").notNull(),
    via: ticketVia("via").notNull(),
    /** Message-ID of the email this comment came in as (inbound), without angle brackets. */
    emailMessageId: text("email_message_id"),
    /** The email that took this public reply to the requester (outbound). */
    emailId: uuid("email_id").references(() => emailMessages.id, { onDelete: "set null" }),
    attachments: jsonb("attachments")
      .$type<TicketAttachment[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    createdAt: at("created_at").notNull().defaultNow(),
  },
  (table) => [
    index("ticket_comments_ticket_created_idx").on(table.ticketId, table.createdAt),
    uniqueIndex("ticket_comments_org_email_message_key")
      .on(table.orgId, table.emailMessageId)
      .where(sql`${table.emailMessageId} is not null`),
    tenantIsolation(),
  ],
).enableRLS();

/**
 * A satisfaction survey (CSAT) emailed to a ticket's requester when it was solved: one per
 * solve (`solved_at` is the solve it asks about), answered from a public link whose token is
 * stored only as its SHA-256. Who worked on it, its team and priority are kept as they were
 * at the solve, for the report. The answer (1-5 and a comment) may change until it expires.
 */
export const csatSurveys = pgTable(
  "csat_surveys",
  {
    id: uuid("id").primaryKey(),
    orgId: tenantColumn(),
    ticketId: uuid("ticket_id")
      .notNull()
      .references(() => tickets.id, { onDelete: "cascade" }),
    solvedAt: at("solved_at").notNull(),
    tokenHash: text("token_hash").notNull(),
    assigneeId: userColumn("assignee_id", "set null"),
    teamId: uuid("team_id").references(() => teams.id, { onDelete: "set null" }),
    priority: ticketPriority("priority").notNull(),
    emailId: uuid("email_id").references(() => emailMessages.id, { onDelete: "set null" }),
    rating: integer("rating"),
    comment: text("comment"),
    answeredAt: at("answered_at"),
    expiresAt: at("expires_at").notNull(),
    createdAt: at("created_at").notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("csat_surveys_token_hash_key").on(table.tokenHash),
    uniqueIndex("csat_surveys_ticket_solve_key").on(table.ticketId, table.solvedAt),
    index("csat_surveys_org_created_idx").on(table.orgId, table.createdAt),
    check("csat_surveys_rating_check", sql`${table.rating} between 1 and 5`),
    tenantIsolation(),
  ],
).enableRLS();
