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
  subject: string;
  template: string;
  status: "pending" | "sent" | "failed";
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
    subject: row.content.subject,
    template: row.template,
    status: row.status,
    text: row.content.text,
    html: row.content.html,
    createdAt: new Date(row.created_at).toISOString(),
    sentAt: row.sent_at ? new Date(row.sent_at).toISOString() : null,
  }));
}
