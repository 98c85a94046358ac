import { sql } from "drizzle-orm";
import PostalMime, { type Email } from "postal-mime";
import type { TicketAttachment } from "../../shared/desk";
import { Database } from "../db/client";
import { type Env, readConfig } from "../env";
import { deliverAfterCommit } from "../lib/after-commit";
import { newId } from "../lib/crypto";
import { runUnitOfWork } from "../lib/unit-of-work";
import { limiterFor, scaled } from "../rate-limit/enforce";
import { RATE_LIMITS } from "../rate-limit/limits";
import { storeInboundEmail } from "../tickets/inbound";
import { bareMessageId, readSupportAddress } from "./addresses";

/*
 * Email in: Email Routing hands the Worker every message for `<slug>@<INBOUND_EMAIL_DOMAIN>`
 * (the organization's support address, or its own address forwarding there). The envelope
 * recipient names the organization, and a ticket's Reply-To token (`<slug>+t<token>@`) the
 * ticket. Refused before reading: unknown mailboxes, messages over the size limit, senders over
 * their hourly budget (Email Routing bounces them with our reason). Dropped without a word:
 * automatic mail (auto-replies, bounces, bulk and list mail, our own), so that two robots
 * never answer each other. The rest is parsed (postal-mime), its attachments kept in R2, and
 * stored as one unit of work (worker/tickets/inbound.ts): a new ticket, or a comment on the
 * ticket it answers.
 */

export const MAX_INBOUND_EMAIL_BYTES = 10 * 1024 * 1024;
const MAX_BODY_CHARS = 50_000;

export async function handleInboundEmail(
  message: ForwardableEmailMessage,
  env: Env,
  ctx: Pick<ExecutionContext, "waitUntil">,
) {
  const config = readConfig(env);
  const mailbox = readSupportAddress(message.to, config);
  if (!mailbox) return refuse(message, "No such mailbox here.");
  if (message.rawSize > MAX_INBOUND_EMAIL_BYTES) {
    return refuse(
      message,
      `Message too large: the limit is ${MAX_INBOUND_EMAIL_BYTES / 1024 / 1024} MB.`,
    );
  }
  const automated = automatedReason(message.headers, message.from, config.EMAIL_FROM);
  if (automated) {
    log("info", "inbound email dropped", { reason: automated, to: message.to });
    return;
  }
  const database = new Database(config.DATABASE_URL, config.NEON_LOCAL_PROXY);
  try {
    const orgId = await database.global(async (tx) => {
      const { rows } = await tx.execute<{ org_id: string | null }>(
        sql`select support_mailbox_org(${mailbox.slug}) as org_id`,
      );
      return rows[0]?.org_id ?? null;
    });
    if (!orgId) return refuse(message, "No such mailbox here.");
    const sender = message.from.trim().toLowerCase();
    const budget = await limiterFor(env, {
      limit: "inboundEmailsBySender",
      key: `${orgId}:${sender}`,
    }).consume(scaled(RATE_LIMITS.inboundEmailsBySender, config.RATE_LIMIT_MULTIPLIER));
    if (!budget.allowed) {
      return refuse(message, "Too many messages from this address; try again in an hour.");
    }
    const parsed = await PostalMime.parse(message.raw);
    const commentId = newId();
    const attachments = await keepAttachments(env.MEDIA, orgId, commentId, parsed);
    // The files are in R2 before the unit of work; a unit that fails or stores nothing (the
    // same message again) takes them back out, so no object is left without its comment.
    const dropAttachments = () =>
      attachments.length > 0 ? env.MEDIA.delete(attachments.map((a) => a.key)) : undefined;
    const stored = await runUnitOfWork(
      database,
      { orgId, userId: null },
      deliverAfterCommit(env, (promise) => ctx.waitUntil(promise)),
      (unit) =>
        storeInboundEmail(
          unit,
          {
            commentId,
            from: { address: sender, name: senderName(parsed, sender) },
            subject: parsed.subject?.trim() || "(no subject)",
            body: bodyOf(parsed),
            messageId: bareMessageId(parsed.messageId),
            thread: threadIds(parsed),
            replyToken: mailbox.replyToken,
            attachments,
            slug: mailbox.slug,
          },
          config,
        ),
    ).catch(async (error: unknown) => {
      await dropAttachments();
      throw error;
    });
    if (stored.duplicate) await dropAttachments();
    log("info", "inbound email stored", { orgId, ...stored });
  } finally {
    ctx.waitUntil(database.close());
  }
}

function refuse(message: ForwardableEmailMessage, reason: string) {
  log("info", "inbound email refused", { to: message.to, reason });
  message.setReject(reason);
}

/** Why a message is automatic (and must not open or answer anything), or null. */
export function automatedReason(headers: Headers, envelopeFrom: string, ownAddress: string) {
  const from = envelopeFrom.trim().toLowerCase();
  if (from === "" || from === "<>") return "bounce (empty sender)";
  if (/^(mailer-daemon|postmaster)@/.test(from)) return "bounce";
  if (from === ownAddress.toLowerCase()) return "our own email";
  const autoSubmitted = headers.get("auto-submitted")?.trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== "no") return `Auto-Submitted: ${autoSubmitted}`;
  const precedence = headers.get("precedence")?.trim().toLowerCase();
  if (precedence && ["bulk", "junk", "list", "auto_reply"].includes(precedence)) {
    return `Precedence: ${precedence}`;
  }
  if (headers.has("x-autoreply") || headers.has("x-autorespond")) return "auto-reply header";
  if (headers.has("list-id") || headers.has("list-unsubscribe")) return "mailing list";
  const contentType = headers.get("content-type")?.toLowerCase() ?? "";
  if (contentType.includes("multipart/report")) return "delivery report";
  return null;
}

function senderName(parsed: Email, address: string): string | null {
  const from = parsed.from;
  if (from && "address" in from && from.address?.toLowerCase() === address && from.name) {
    return from.name.trim() || null;
  }
  return null;
}

/** The text of the message: its plain part, else its HTML as text. */
function bodyOf(parsed: Email): string {
  const text = parsed.text?.trim() || htmlToText(parsed.html ?? "");
  return (text || "(no text)").slice(0, MAX_BODY_CHARS);
}

export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|head)[\s\S]*?<\/\1>/gi, "")
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/(p|div|li|tr|h[1-6])>/gi, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** The Message-IDs this message answers (In-Reply-To, then References), without brackets. */
function threadIds(parsed: Email): string[] {
  const ids =
    `${parsed.inReplyTo ?? ""} ${parsed.references ?? ""}`.match(/<[^<>\s]+>|[^<>\s]+@[^<>\s]+/g) ??
    [];
  return [...new Set(ids.map(bareMessageId).filter((id): id is string => id !== null))].slice(
    0,
    50,
  );
}

/**
 * Attachments (not inline parts) go to R2 before the unit of work (a transaction holds no
 * uploads): `<org>/tickets/<comment>/<n>-<name>`; the caller removes them if the comment is
 * not stored.
 */
async function keepAttachments(
  bucket: R2Bucket,
  orgId: string,
  commentId: string,
  parsed: Email,
): Promise<TicketAttachment[]> {
  const kept: TicketAttachment[] = [];
  for (const [index, attachment] of parsed.attachments.entries()) {
    if (attachment.disposition === "inline" && attachment.contentId) continue;
    const filename = (attachment.filename ?? `attachment-${index + 1}`)
      .replace(/[/\\\0]/g, "_")
      .slice(0, 200);
    const content =
      typeof attachment.content === "string"
        ? new TextEncoder().encode(attachment.content)
        : attachment.content;
    const key = `${orgId}/tickets/${commentId}/${index + 1}-${filename}`;
    await bucket.put(key, content, {
      httpMetadata: {
        contentType: attachment.mimeType,
        contentDisposition: `attachment; filename="${filename.replace(/"/g, "")}"`,
      },
    });
    kept.push({ key, filename, contentType: attachment.mimeType, size: content.byteLength });
  }
  return kept;
}

function log(level: "info" | "error", msg: string, fields: Record<string, unknown>) {
  console.log(JSON.stringify({ level, msg, ...fields }));
}
