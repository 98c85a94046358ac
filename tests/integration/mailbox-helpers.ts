import { call } from "./helpers";

/** An email of the local mailbox, as GET /api/v1/dev/mailbox lists it. */
export interface MailboxEmail {
  id: string;
  to: string;
  from: string;
  subject: string;
  template: string;
  status: "pending" | "sent" | "failed";
  text: string;
  html: string;
  sentAt: string | null;
}

/** The newest email of `template` sent to `to`, once its job has handed it to Email Service. */
export async function sentEmail(
  to: string,
  template: string,
  after?: string,
): Promise<MailboxEmail> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { body } = await call<MailboxEmail[]>("/dev/mailbox?limit=500");
    const found = body.data.find(
      (email) =>
        email.to === to &&
        email.template === template &&
        email.status === "sent" &&
        email.id !== after,
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
