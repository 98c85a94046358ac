import { sql } from "drizzle-orm";
import { index, jsonb, pgEnum, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { at, tenantColumn, tenantIsolation, userColumn } from "./schema";

/*
 * Email: what the product sends (one row per email, written by the unit of work that asks for
 * it and sent by the `email.send` job) and the single-use links account emails carry.
 */

export const accountTokenPurpose = pgEnum("account_token_purpose", [
  "verify_email",
  "reset_password",
  "change_email",
]);

/**
 * A link sent to a person's address: verify it, set a new password, or make it the account's
 * new sign-in address (`change_email`: `email` is the new address). Global like `users`
 * (a person, not an organization, owns it). Only the token's SHA-256 is kept; a token is used
 * once (`used_at`), and asking again supersedes the earlier ones of the same purpose.
 */
export const accountTokens = pgTable(
  "account_tokens",
  {
    id: uuid("id").primaryKey(),
    userId: userColumn("user_id", "cascade").notNull(),
    purpose: accountTokenPurpose("purpose").notNull(),
    tokenHash: text("token_hash").notNull(),
    /** The address the link went to (verification proves this address). */
    email: text("email").notNull(),
    expiresAt: at("expires_at").notNull(),
    usedAt: at("used_at"),
    createdAt: at("created_at").notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("account_tokens_token_hash_key").on(table.tokenHash),
    index("account_tokens_user_purpose_idx").on(table.userId, table.purpose),
  ],
);

export const emailStatus = pgEnum("email_status", ["pending", "sent", "failed"]);

/** What an email says, kept until it is sent (and afterwards only outside production). */
export interface EmailContent {
  from: string;
  replyTo: string | null;
  /** Extra headers: threading (In-Reply-To, References), Auto-Submitted. */
  headers?: Record<string, string>;
  subject: string;
  text: string;
  html: string;
}

/**
 * Every email the product sends, in the organization it was sent for. `id` is also the
 * `email.send` job's: the job sends a row once (`pending` -> `sent` with the provider's
 * message id, or `failed` with the reason once out of retries).
 */
export const emailMessages = pgTable(
  "email_messages",
  {
    id: uuid("id").primaryKey(),
    orgId: tenantColumn(),
    toAddress: text("to_address").notNull(),
    /** The template it was made from, e.g. `password_reset`. */
    template: text("template").notNull(),
    subject: text("subject").notNull(),
    status: emailStatus("status").notNull().default("pending"),
    providerMessageId: text("provider_message_id"),
    error: text("error"),
    content: jsonb("content").$type<EmailContent>(),
    createdAt: at("created_at").notNull().defaultNow(),
    sentAt: at("sent_at"),
  },
  (table) => [
    index("email_messages_org_created_idx").on(table.orgId, table.createdAt.desc()),
    index("email_messages_with_content_idx")
      .on(table.createdAt.desc())
      .where(sql`${table.content} is not null`),
    tenantIsolation(),
  ],
).enableRLS();
