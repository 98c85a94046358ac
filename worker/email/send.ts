import { eq } from "drizzle-orm";
import { emailMessages } from "../db/email-schema";
import { organizations } from "../db/schema";
import type { Config } from "../env";
import type { JobContext } from "../jobs/handlers";
import type { OrgJobMessage } from "../jobs/messages";
import { newId } from "../lib/crypto";
import type { UnitOfWork } from "../lib/unit-of-work";
import { bareMessageId } from "./addresses";
import { type EmailLocale, type EmailRequest, renderEmail } from "./templates";

/*
 * Sending email. A unit of work asks for one with `queueEmail`: the email is written (rendered,
 * `pending`) with an `email.send` job in the same transaction, so it goes out only if the work
 * commits, and never inside a request. The job hands it to Cloudflare Email Service
 * (`env.EMAIL.send`) and records the provider's message id; the queue retries a failed send
 * with backoff and, out of retries, the email is `failed` with the reason.
 *
 * Once: the job runs under its outbox row's lock and skips an email that is no longer
 * `pending`, so a delivery of the job twice sends once. (The one gap: Email Service accepted
 * the email and the job's commit then failed; the retry sends it again, with the same
 * `X-Switchboard-Email-Id`.)
 *
 * What an email says is kept only until it is sent, except outside production, where the local
 * mailbox (mailbox.ts) shows it: account emails carry sign-in links.
 */

export interface EmailOrder {
  to: string;
  request: EmailRequest;
  locale?: EmailLocale;
  replyTo?: string | null;
  headers?: Record<string, string>;
}

export async function queueEmail(
  unit: UnitOfWork,
  config: Pick<Config, "EMAIL_FROM">,
  order: EmailOrder,
): Promise<string> {
  const [organization] = await unit.tx
    .select({ name: organizations.name })
    .from(organizations)
    .where(eq(organizations.id, unit.orgId));
  const organizationName = organization?.name ?? "Switchboard";
  const rendered = renderEmail(order.request, organizationName, order.locale);
  const id = newId();
  unit.enqueue({ type: "email.send", jobId: id, emailId: id });
  await unit.tx.insert(emailMessages).values({
    id,
    orgId: unit.orgId,
    toAddress: order.to,
    template: order.request.template,
    subject: rendered.subject,
    content: {
      from: senderOf(config, organizationName),
      replyTo: order.replyTo ?? null,
      ...(order.headers ? { headers: order.headers } : {}),
      ...rendered,
    },
  });
  return id;
}

/** `"Acme via Switchboard" <no-reply@...>`: the organization's name, our address. */
function senderOf(config: Pick<Config, "EMAIL_FROM">, organizationName: string): string {
  const name = `${organizationName} via Switchboard`.replace(/["\\\r\n]/g, "");
  return `"${name}" <${config.EMAIL_FROM}>`;
}

type SendJob = Extract<OrgJobMessage, { type: "email.send" }>;

export async function runEmailSend(unit: UnitOfWork, job: SendJob, context: JobContext) {
  const [email] = await unit.tx
    .select()
    .from(emailMessages)
    .where(eq(emailMessages.id, job.emailId));
  if (email?.status !== "pending" || !email.content) return;
  const { content } = email;
  const result = await context.env.EMAIL.send({
    from: parseAddress(content.from),
    to: email.toAddress,
    subject: content.subject,
    text: content.text,
    html: content.html,
    ...(content.replyTo ? { replyTo: content.replyTo } : {}),
    headers: { ...content.headers, "X-Switchboard-Email-Id": email.id },
  });
  await unit.tx
    .update(emailMessages)
    .set({
      status: "sent",
      sentAt: new Date(),
      providerMessageId: bareMessageId(result.messageId),
      error: null,
      content: context.config.ENVIRONMENT === "production" ? null : content,
    })
    .where(eq(emailMessages.id, email.id));
}

/** `"Name" <address>` as Email Service takes it: `{ name, email }`. */
function parseAddress(value: string): { name: string; email: string } | string {
  const match = /^"([^"]*)" <([^>]+)>$/.exec(value);
  return match?.[1] && match[2] ? { name: match[1], email: match[2] } : value;
}

/** Out of retries: the email failed (the last error is on the job's outbox row). */
export async function failEmailSend(unit: UnitOfWork, job: SendJob) {
  await unit.tx
    .update(emailMessages)
    .set({ status: "failed", error: "Email Service did not take the email after several attempts" })
    .where(eq(emailMessages.id, job.emailId));
}

/** An admin retries the job (Settings -> Jobs): the email is pending again. */
export async function reopenEmailSend(unit: UnitOfWork, job: SendJob) {
  await unit.tx
    .update(emailMessages)
    .set({ status: "pending", error: null })
    .where(eq(emailMessages.id, job.emailId));
}
