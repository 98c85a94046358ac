import { sql } from "drizzle-orm";
import {
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgPolicy,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { ROLES } from "../auth/permissions";

/*
 * Tenancy is enforced by Postgres: each tenant table has row-level security whose policies
 * compare org_id with the transaction-local setting `app.org_id` (see worker/db/client.ts).
 * FORCE ROW LEVEL SECURITY and the grants for the Worker's role live in a hand-written
 * migration, because drizzle-kit does not generate them.
 */
const CURRENT_ORG = "nullif(current_setting('app.org_id', true), '')::uuid";
const CURRENT_USER = "nullif(current_setting('app.user_id', true), '')::uuid";
const sameOrg = sql.raw(`org_id = ${CURRENT_ORG}`);

export function tenantIsolation() {
  return pgPolicy("tenant_isolation", { for: "all", using: sameOrg, withCheck: sameOrg });
}

/** A point in time with its time zone, to the millisecond (what JavaScript dates hold). */
export function at(name: string) {
  return timestamp(name, { withTimezone: true, precision: 3 });
}

/** A user the row points at: deleting the user deletes the row, or only forgets who it was. */
export function userColumn(name: string, onDelete: "cascade" | "set null") {
  return uuid(name).references(() => users.id, { onDelete });
}

export const timestamps = {
  createdAt: at("created_at").notNull().defaultNow(),
  updatedAt: at("updated_at").notNull().defaultNow(),
};

/** The org_id every tenant table carries; deleting an organization deletes its rows. */
export function tenantColumn() {
  return uuid("org_id")
    .notNull()
    .references(() => organizations.id, { onDelete: "cascade" });
}

export const memberRole = pgEnum("member_role", ROLES);
export const membershipStatus = pgEnum("membership_status", ["active", "deactivated"]);

export const organizations = pgTable(
  "organizations",
  {
    id: uuid("id").primaryKey(),
    name: text("name").notNull(),
    slug: text("slug").notNull(),
    /** ISO 3166 alpha-2: phone numbers typed without a country code are read in it. */
    defaultCountry: text("default_country").notNull().default("US"),
    /** IANA time zone name. */
    timeZone: text("time_zone").notNull().default("UTC"),
    /** ISO 4217: deals without a currency are in it. */
    currency: text("currency").notNull().default("USD"),
    /** Solved tickets email their requester a satisfaction survey (CSAT). */
    csatEnabled: boolean("csat_enabled").notNull().default(false),
    ...timestamps,
  },
  (table) => [
    uniqueIndex("organizations_slug_key").on(table.slug),
    // Outside a tenant transaction (sign-in), a user sees the organizations they belong to.
    pgPolicy("tenant_isolation", {
      for: "all",
      using: sql.raw(
        `id = ${CURRENT_ORG} OR (${CURRENT_ORG} IS NULL AND id IN (SELECT m.org_id FROM memberships m WHERE m.user_id = ${CURRENT_USER} AND m.status = 'active'))`,
      ),
      withCheck: sql.raw(`id = ${CURRENT_ORG}`),
    }),
  ],
).enableRLS();

/** Identity is global: one person, one login, several organizations through memberships. */
export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash").notNull(),
    lastLoginAt: at("last_login_at"),
    /** When the person opened the link sent to `email`; null: not verified yet (flagged). */
    emailVerifiedAt: at("email_verified_at"),
    ...timestamps,
  },
  (table) => [uniqueIndex("users_email_key").on(table.email)],
);

export const memberships = pgTable(
  "memberships",
  {
    id: uuid("id").primaryKey(),
    orgId: tenantColumn(),
    userId: userColumn("user_id", "cascade").notNull(),
    role: memberRole("role").notNull(),
    status: membershipStatus("status").notNull().default("active"),
    ...timestamps,
  },
  (table) => [
    uniqueIndex("memberships_org_user_key").on(table.orgId, table.userId),
    index("memberships_user_idx").on(table.userId),
    pgPolicy("tenant_isolation", {
      for: "all",
      using: sql.raw(
        `org_id = ${CURRENT_ORG} OR (${CURRENT_ORG} IS NULL AND user_id = ${CURRENT_USER})`,
      ),
      withCheck: sameOrg,
    }),
  ],
).enableRLS();

export const invitations = pgTable(
  "invitations",
  {
    id: uuid("id").primaryKey(),
    orgId: tenantColumn(),
    email: text("email").notNull(),
    role: memberRole("role").notNull(),
    tokenHash: text("token_hash").notNull(),
    invitedBy: userColumn("invited_by", "set null"),
    expiresAt: at("expires_at").notNull(),
    acceptedAt: at("accepted_at"),
    acceptedBy: userColumn("accepted_by", "set null"),
    revokedAt: at("revoked_at"),
    createdAt: at("created_at").notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("invitations_token_hash_key").on(table.tokenHash),
    index("invitations_org_email_idx").on(table.orgId, table.email),
    tenantIsolation(),
  ],
).enableRLS();

/**
 * One row per refresh token. Tokens of one sign-in share a family; rotation marks the
 * presented row used and inserts its successor, and presenting a used token revokes the family.
 */
export const sessions = pgTable(
  "sessions",
  {
    id: uuid("id").primaryKey(),
    orgId: tenantColumn(),
    userId: userColumn("user_id", "cascade").notNull(),
    familyId: uuid("family_id").notNull(),
    tokenHash: text("token_hash").notNull(),
    expiresAt: at("expires_at").notNull(),
    rotatedAt: at("rotated_at"),
    revokedAt: at("revoked_at"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    createdAt: at("created_at").notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("sessions_token_hash_key").on(table.tokenHash),
    index("sessions_family_idx").on(table.familyId),
    index("sessions_expires_idx").on(table.expiresAt),
    tenantIsolation(),
  ],
).enableRLS();

export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey(),
    orgId: tenantColumn(),
    name: text("name").notNull(),
    role: memberRole("role").notNull(),
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull(),
    createdBy: userColumn("created_by", "set null"),
    lastUsedAt: at("last_used_at"),
    revokedAt: at("revoked_at"),
    createdAt: at("created_at").notNull().defaultNow(),
  },
  (table) => [uniqueIndex("api_keys_key_hash_key").on(table.keyHash), tenantIsolation()],
).enableRLS();

export const auditLog = pgTable(
  "audit_log",
  {
    id: uuid("id").primaryKey(),
    orgId: tenantColumn(),
    actorUserId: userColumn("actor_user_id", "set null"),
    actorApiKeyId: uuid("actor_api_key_id").references(() => apiKeys.id, {
      onDelete: "set null",
    }),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: at("created_at").notNull().defaultNow(),
  },
  (table) => [
    index("audit_log_org_created_idx").on(table.orgId, table.createdAt.desc(), table.id.desc()),
    tenantIsolation(),
  ],
).enableRLS();

/**
 * Work to be sent on once the transaction that wrote it commits (worker/outbox/): queue jobs
 * today, outbound webhooks later. The row's id is the job's id: consumers run a job at most
 * once by it (`done`), and the relay re-sends rows still `pending` after a crash.
 */
export const outboxStatus = pgEnum("outbox_status", ["pending", "done", "failed", "dead"]);

export const outbox = pgTable(
  "outbox",
  {
    id: uuid("id").primaryKey(),
    orgId: tenantColumn(),
    /** "job" (a queue message); later "webhook". */
    kind: text("kind").notNull().default("job"),
    /** The job's type, e.g. `import.chunk`, for the admin's list. */
    type: text("type").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    status: outboxStatus("status").notNull().default("pending"),
    /** Runs that ended, successful or not. */
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    /** Last time the relay handed the row to the queue (after commit, by cron, or a retry). */
    sentAt: at("sent_at"),
    completedAt: at("completed_at"),
    ...timestamps,
  },
  (table) => [
    index("outbox_org_created_idx").on(table.orgId, table.createdAt.desc()),
    index("outbox_pending_idx").on(table.createdAt).where(sql`${table.status} = 'pending'`),
    tenantIsolation(),
  ],
).enableRLS();
