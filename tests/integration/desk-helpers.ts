import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { emailRoutingMessage } from "../../worker/email/local-delivery";
import worker from "../../worker/index";

/*
 * Helpers for the support desk's tests: email delivered to the Worker's `email` handler as
 * Email Routing delivers it (envelope, raw RFC 822 bytes, headers, setReject).
 */

export const INBOUND_DOMAIN = "support.switchboard.localhost";

export interface RawEmail {
  from: string;
  fromName?: string;
  to: string;
  subject?: string;
  text?: string;
  html?: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string;
  headers?: Record<string, string>;
  attachment?: { filename: string; contentType: string; content: string };
}

let counter = 0;
export function newMessageId(): string {
  counter += 1;
  return `<${Date.now().toString(36)}.${counter}.${Math.random().toString(36).slice(2)}@mail.example.com>`;
}

/** An RFC 822 message: plain, HTML, or multipart with an attachment. */
export function rawEmail(mail: RawEmail): string {
  const lines = [
    `From: ${mail.fromName ? `${mail.fromName} <${mail.from}>` : mail.from}`,
    `To: ${mail.to}`,
    `Subject: ${mail.subject ?? "Hello"}`,
    `Message-ID: ${mail.messageId ?? newMessageId()}`,
    `Date: ${new Date().toUTCString()}`,
    "MIME-Version: 1.0",
  ];
  if (mail.inReplyTo) lines.push(`In-Reply-To: ${mail.inReplyTo}`);
  if (mail.references) lines.push(`References: ${mail.references}`);
  for (const [name, value] of Object.entries(mail.headers ?? {})) lines.push(`${name}: ${value}`);
  if (mail.attachment) {
    const boundary = "sb-boundary-42";
    lines.push(`Content-Type: multipart/mixed; boundary="${boundary}"`, "");
    lines.push(`--${boundary}`, "Content-Type: text/plain; charset=utf-8", "", mail.text ?? "");
    lines.push(
      `--${boundary}`,
      `Content-Type: ${mail.attachment.contentType}; name="${mail.attachment.filename}"`,
      `Content-Disposition: attachment; filename="${mail.attachment.filename}"`,
      "Content-Transfer-Encoding: base64",
      "",
      btoa(mail.attachment.content),
      `--${boundary}--`,
      "",
    );
  } else if (mail.html !== undefined) {
    lines.push("Content-Type: text/html; charset=utf-8", "", mail.html);
  } else {
    lines.push("Content-Type: text/plain; charset=utf-8", "", mail.text ?? "");
  }
  return lines.join("\r\n");
}

/** Delivers a message to the Worker's `email` handler; returns the reason it was refused, if so. */
export async function deliverEmail(
  raw: string,
  envelope: { from: string; to: string },
  rawSize?: number,
): Promise<{ rejected: string | null }> {
  const { message, rejection } = emailRoutingMessage(raw, envelope, rawSize);
  const ctx = createExecutionContext();
  await worker.email?.(message, env, ctx);
  await waitOnExecutionContext(ctx);
  return { rejected: rejection() };
}

export function supportAddressOf(slug: string): string {
  return `${slug}@${INBOUND_DOMAIN}`;
}
