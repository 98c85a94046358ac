import { call } from "./helpers";

/*
 * The local mailbox (GET /api/v1/dev/mailbox): what the product sent, for tests to read.
 */

/** An email of the local mailbox, as GET /api/v1/dev/mailbox lists it. */
export interface MailboxEmail {
  id: string;
  to: string;
  from: string;
  replyTo: string | null;
  headers: Record<string, string>;
  subject: string;
  template: string;
  status: "pending" | "sent" | "failed";
  /** The Message-ID Email Service gave it. */
  messageId: string | null;
  text: string;
  html: string;
  sentAt: string | null;
}

export async function mailbox(): Promise<MailboxEmail[]> {
  const { body } = await call<MailboxEmail[]>("/dev/mailbox?limit=500");
  return body.data;
}

/**
 * The newest email of `template` sent to `to`, once its job has handed it to Email Service;
 * `except` skips emails already seen (by id).
 */
export async function sentEmail(
  to: string,
  template: string,
  except: string[] = [],
): Promise<MailboxEmail> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = (await mailbox()).find(
      (email) =>
        email.to === to &&
        email.template === template &&
        email.status === "sent" &&
        !except.includes(email.id),
    );
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no ${template} email reached ${to}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The token of the email's link to `path` (e.g. "/reset-password"). */
export function linkToken(email: MailboxEmail, path: string): string {
  const match = new RegExp(`${path}\\?token=([A-Za-z0-9_-]+)`).exec(email.text);
  if (!match?.[1]) throw new Error(`no ${path} link in: ${email.text}`);
  return match[1];
}
