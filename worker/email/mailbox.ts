import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import type { EmailContent } from "../db/email-schema";
import type { Config } from "../env";

/*
 * The local mailbox: in development and tests, what the product sent, newest first, across
 * organizations (as a mail catcher shows it), so that a newcomer can open an invitation or a
 * password-reset link on the laptop and tests can read the links. In production it does not
 * exist (404), and there would be nothing to show: sent emails keep no content there.
 */

export function hasLocalMailbox(config: Pick<Config, "ENVIRONMENT">): boolean {
  return config.ENVIRONMENT !== "production";
}

export interface MailboxEmail {
  id: string;
  to: string;
  from: string;
  replyTo: string | null;
  headers: Record<string, string>;
  subject: string;
  template: string;
  status: "pending" | "sent" | "failed";
  /** The Message-ID Email Service gave it (what a reply's In-Reply-To names). */
  messageId: string | null;
  text: string;
  html: string;
  createdAt: string;
  sentAt: string | null;
}

export async function listLocalMailbox(database: Database, limit: number): Promise<MailboxEmail[]> {
  const { rows } = await database.global((tx) =>
    tx.execute<{
      id: string;
      to_address: string;
      template: string;
      status: MailboxEmail["status"];
      provider_message_id: string | null;
      content: EmailContent;
      created_at: string | Date;
      sent_at: string | Date | null;
    }>(sql`select * from local_mailbox(${limit})`),
  );
  return rows.map((row) => ({
    id: row.id,
    to: row.to_address,
    from: row.content.from,
    replyTo: row.content.replyTo,
    headers: row.content.headers ?? {},
    subject: row.content.subject,
    template: row.template,
    status: row.status,
    messageId: row.provider_message_id,
    text: row.content.text,
    html: row.content.html,
    createdAt: new Date(row.created_at).toISOString(),
    sentAt: row.sent_at ? new Date(row.sent_at).toISOString() : null,
  }));
}
