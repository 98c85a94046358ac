import type { Env } from "../env";
import { handleInboundEmail } from "./inbound";

/*
 * Outside production, a form (the local mailbox page, `POST /dev/inbound-email`) delivers a
 * test email into the same `email` handler Email Routing calls: a plain-text RFC 822 message
 * with the envelope Email Routing would give, and its rejection (if any) reported back.
 * `wrangler dev`'s `/cdn-cgi/handler/email` does the same for raw messages.
 */

export interface LocalEmail {
  from: string;
  fromName?: string | undefined;
  to: string;
  subject: string;
  text: string;
  inReplyTo?: string | undefined;
}

function headerSafe(value: string): string {
  return value.replace(/[\r\n]+/g, " ").trim();
}

export function composeRawEmail(email: LocalEmail): string {
  const from = email.fromName
    ? `"${headerSafe(email.fromName).replace(/"/g, "")}" <${headerSafe(email.from)}>`
    : headerSafe(email.from);
  const lines = [
    `From: ${from}`,
    `To: ${headerSafe(email.to)}`,
    `Subject: ${headerSafe(email.subject)}`,
    `Message-ID: <${crypto.randomUUID()}@local.switchboard>`,
    `Date: ${new Date().toUTCString()}`,
    "MIME-Version: 1.0",
    ...(email.inReplyTo ? [`In-Reply-To: ${headerSafe(email.inReplyTo)}`] : []),
    "Content-Type: text/plain; charset=utf-8",
    "",
    email.text.replace(/\r?\n/g, "\r\n"),
  ];
  return lines.join("\r\n");
}

/**
 * A raw RFC 822 message as Email Routing hands it to the `email` handler (envelope, headers,
 * stream), and the rejection the handler gave it, if any. The local form and the tests both
 * deliver through it.
 */
export function emailRoutingMessage(
  raw: string,
  envelope: { from: string; to: string },
  rawSize?: number,
): { message: ForwardableEmailMessage; rejection: () => string | null } {
  const bytes = new TextEncoder().encode(raw);
  const headers = new Headers();
  for (const line of raw.split("\r\n\r\n")[0]?.split("\r\n") ?? []) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  let rejected: string | null = null;
  const message = {
    from: envelope.from,
    to: envelope.to,
    raw: new Response(bytes).body as ReadableStream<Uint8Array>,
    rawSize: rawSize ?? bytes.byteLength,
    headers,
    setReject(reason: string) {
      rejected = reason;
    },
    forward: async () => ({ messageId: "" }),
    reply: async () => ({ messageId: "" }),
  } as unknown as ForwardableEmailMessage;
  return { message, rejection: () => rejected };
}

export async function deliverLocalEmail(
  env: Env,
  ctx: Pick<ExecutionContext, "waitUntil">,
  email: LocalEmail,
): Promise<{ rejected: string | null }> {
  const { message, rejection } = emailRoutingMessage(composeRawEmail(email), email);
  await handleInboundEmail(message, env, ctx);
  return { rejected: rejection() };
}
