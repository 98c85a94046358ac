import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import {
  AGENT_STATUSES,
  CALL_DIRECTIONS,
  CALL_OUTCOMES,
  CALL_STATUSES,
  DEFAULT_WRAP_UP_SECONDS,
  type WrapUpStatus,
} from "../../shared/telephony";
import { contacts } from "./crm-schema";
import { at, tenantColumn, tenantIsolation, timestamps, userColumn } from "./schema";

/*
 * Telephony: the organization's PBX bridge credentials, agents (extension + status), call
 * queues, and calls with the bridge events that built them. Tenant-scoped under RLS like
 * every other table (FORCE in a hand-written migration).
 */

export const callDirection = pgEnum("call_direction", CALL_DIRECTIONS);
export const callStatus = pgEnum("call_status", CALL_STATUSES);
export const callOutcome = pgEnum("call_outcome", CALL_OUTCOMES);
export const agentStatus = pgEnum("agent_status", AGENT_STATUSES);

export interface WrapUpDraft {
  notes: string | null;
  disposition: string | null;
}

/** Bridge tokens: the credential a pbx-bridge presents; only the hash is kept. */
export const pbxBridgeTokens = pgTable(
  "pbx_bridge_tokens",
  {
    id: uuid("id").primaryKey(),
    orgId: tenantColumn(),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull(),
    createdBy: userColumn("created_by", "set null"),
    createdAt: at("created_at").notNull().defaultNow(),
    lastUsedAt: at("last_used_at"),
    revokedAt: at("revoked_at"),
  },
  (table) => [
    uniqueIndex("pbx_bridge_tokens_hash_key").on(table.tokenHash),
    index("pbx_bridge_tokens_org_idx").on(table.orgId),
    tenantIsolation(),
  ],
).enableRLS();

/** A member who takes calls: their extension and the status they set. */
export const callAgents = pgTable(
  "call_agents",
  {
    orgId: tenantColumn(),
    userId: userColumn("user_id", "cascade").notNull(),
    extension: text("extension").notNull(),
    status: agentStatus("status").notNull().default("away"),
    statusChangedAt: at("status_changed_at").notNull().defaultNow(),
    ...timestamps,
  },
  (table) => [
    primaryKey({ columns: [table.orgId, table.userId] }),
    uniqueIndex("call_agents_org_extension_key").on(table.orgId, table.extension),
    tenantIsolation(),
  ],
).enableRLS();

export const callQueues = pgTable(
  "call_queues",
  {
    id: uuid("id").primaryKey(),
    orgId: tenantColumn(),
    name: text("name").notNull(),
    ringTimeoutSeconds: integer("ring_timeout_seconds").notNull().default(20),
    /** After a call, its agent gets no queue call for this long (Asterisk's `wrapuptime`). */
    wrapUpSeconds: integer("wrapup_seconds").notNull().default(DEFAULT_WRAP_UP_SECONDS),
    ...timestamps,
  },
  (table) => [
    uniqueIndex("call_queues_org_name_key").on(table.orgId, table.name),
    check("call_queues_wrapup_seconds_check", sql`${table.wrapUpSeconds} between 0 and 3600`),
    tenantIsolation(),
  ],
).enableRLS();

export const callQueueMembers = pgTable(
  "call_queue_members",
  {
    orgId: tenantColumn(),
    queueId: uuid("queue_id")
      .notNull()
      .references(() => callQueues.id, { onDelete: "cascade" }),
    userId: userColumn("user_id", "cascade").notNull(),
    position: integer("position").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.queueId, table.userId] }),
    index("call_queue_members_user_idx").on(table.orgId, table.userId),
    tenantIsolation(),
  ],
).enableRLS();

export const calls = pgTable(
  "calls",
  {
    id: uuid("id").primaryKey(),
    orgId: tenantColumn(),
    direction: callDirection("direction").notNull(),
    status: callStatus("status").notNull(),
    fromNumber: text("from_number").notNull(),
    fromName: text("from_name"),
    toNumber: text("to_number").notNull(),
    /** The outside party in E.164 (null for internal calls): what contacts are matched by. */
    customerNumber: text("customer_number"),
    contactId: uuid("contact_id").references(() => contacts.id, { onDelete: "set null" }),
    /** The agent being rung, then the one who answered (or placed the call). */
    agentId: userColumn("agent_id", "set null"),
    extension: text("extension"),
    queue: text("queue"),
    startedAt: at("started_at").notNull(),
    answeredAt: at("answered_at"),
    endedAt: at("ended_at"),
    durationSeconds: integer("duration_seconds"),
    hangupCause: integer("hangup_cause"),
    hangupCauseText: text("hangup_cause_text"),
    hangupBy: text("hangup_by"),
    outcome: callOutcome("outcome"),
    recordingName: text("recording_name"),
    recordingUrl: text("recording_url"),
    disposition: text("disposition"),
    notes: text("notes"),
    /**
     * The agent's wrap-up of a finished call: `pending` until they complete or skip it (or it
     * closes itself at `wrapup_due_at` with the draft); null when the call needs none.
     */
    wrapUpStatus: text("wrapup_status").$type<WrapUpStatus>(),
    /** What the agent typed so far (kept across reloads). */
    wrapUpDraft: jsonb("wrapup_draft").$type<WrapUpDraft>(),
    wrapUpDueAt: at("wrapup_due_at"),
    /** The activity this call put on its contact's timeline. */
    activityId: uuid("activity_id"),
    version: integer("version").notNull().default(1),
    ...timestamps,
  },
  (table) => [
    index("calls_org_started_idx").on(table.orgId, table.startedAt.desc(), table.id.desc()),
    index("calls_agent_started_idx").on(
      table.orgId,
      table.agentId,
      table.startedAt.desc(),
      table.id.desc(),
    ),
    index("calls_contact_idx").on(table.contactId, table.startedAt.desc()),
    index("calls_live_idx").on(table.orgId, table.startedAt).where(sql`${table.endedAt} is null`),
    index("calls_wrapup_pending_idx")
      .on(table.orgId, table.agentId, table.endedAt)
      .where(sql`${table.wrapUpStatus} = 'pending'`),
    check(
      "calls_wrapup_status_check",
      sql`${table.wrapUpStatus} in ('pending', 'done', 'skipped')`,
    ),
    tenantIsolation(),
  ],
).enableRLS();

/** Every bridge event as received: the idempotency key and the call's history. */
export const callEvents = pgTable(
  "call_events",
  {
    orgId: tenantColumn(),
    eventId: uuid("event_id").notNull(),
    callId: uuid("call_id")
      .notNull()
      .references(() => calls.id, { onDelete: "cascade" }),
    seq: bigint("seq", { mode: "number" }).notNull(),
    type: text("type").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    occurredAt: at("occurred_at").notNull(),
    /** When the edge stored it (per row, to the microsecond: the order of arrival). */
    receivedAt: timestamp("received_at", { withTimezone: true, precision: 6 })
      .notNull()
      .default(sql`clock_timestamp()`),
  },
  (table) => [
    primaryKey({ columns: [table.orgId, table.eventId] }),
    index("call_events_call_idx").on(table.callId, table.seq),
    tenantIsolation(),
  ],
).enableRLS();
