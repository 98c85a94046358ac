import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { toMessageView } from "../conversations/load";
import { channelSecrets, channels, messages } from "../db/inbox-schema";
import type { JobContext } from "../jobs/handlers";
import type { OrgJobMessage } from "../jobs/messages";
import { ApiError } from "../lib/errors";
import { requirePermission, type TenantScope } from "../lib/scope";
import type { UnitOfWork } from "../lib/unit-of-work";
import { SendLater } from "./send";

/*
 * Customers' files. Meta's webhook names a media id; Meta's URL for it is short-lived and needs
 * the channel's token, so the `whatsapp.media` job fetches it (`GET /{media-id}`, then the URL
 * with the token) into R2 under the organization (`<orgId>/media/<messageId>`), and the
 * message's content says it is stored. The team downloads it through the API, which checks
 * the message is in their organization. Files over MAX_MEDIA_BYTES are left at Meta's.
 */

type MediaJob = Extract<OrgJobMessage, { type: "whatsapp.media" }>;

export const MAX_MEDIA_BYTES = 25 * 1024 * 1024;

const mediaObjectSchema = z.looseObject({
  url: z.string().url(),
  mime_type: z.string().optional(),
  file_size: z.union([z.number(), z.string()]).optional(),
});

export function mediaKey(orgId: string, messageId: string) {
  return `${orgId}/media/${messageId}`;
}

export async function runWhatsAppMedia(unit: UnitOfWork, job: MediaJob, context: JobContext) {
  const [found] = await unit.tx
    .select({ message: messages, settings: channels.settings, token: channelSecrets.accessToken })
    .from(messages)
    .innerJoin(channels, eq(channels.id, messages.channelId))
    .innerJoin(channelSecrets, eq(channelSecrets.channelId, channels.id))
    .where(and(eq(messages.id, job.messageId), isNull(channels.deletedAt)));
  const mediaId = found?.message.content.mediaId;
  if (!found?.token || typeof mediaId !== "string" || found.message.content.stored) return;
  const headers = { authorization: `Bearer ${found.token}` };
  const graphUrl = context.config.WHATSAPP_GRAPH_URL;
  const described = await fetch(`${graphUrl}/${encodeURIComponent(mediaId)}`, {
    headers,
    signal: AbortSignal.timeout(15_000),
  }).catch(() => null);
  if (!described || described.status >= 500) throw new SendLater("Meta's media lookup failed");
  const object = mediaObjectSchema.safeParse(await described.json().catch(() => null));
  if (!described.ok || !object.success) {
    await markMedia(unit, found.message, {
      stored: false,
      mediaError: `Meta answered ${described.status}`,
    });
    return;
  }
  const size = Number(object.data.file_size ?? 0);
  if (size > MAX_MEDIA_BYTES) {
    await markMedia(unit, found.message, { stored: false, mediaError: "Too large to keep" });
    return;
  }
  const file = await fetch(object.data.url, { headers, signal: AbortSignal.timeout(60_000) }).catch(
    () => null,
  );
  if (!file || file.status >= 500) throw new SendLater("Meta's media download failed");
  if (!file.ok) {
    await markMedia(unit, found.message, {
      stored: false,
      mediaError: `Meta answered ${file.status}`,
    });
    return;
  }
  const bytes = await file.arrayBuffer();
  const mimeType =
    object.data.mime_type ?? file.headers.get("content-type") ?? "application/octet-stream";
  await context.env.MEDIA.put(mediaKey(unit.orgId, found.message.id), bytes, {
    httpMetadata: { contentType: mimeType },
  });
  await markMedia(unit, found.message, { stored: true, size: bytes.byteLength, mimeType });
}

async function markMedia(
  unit: UnitOfWork,
  message: typeof messages.$inferSelect,
  fields: Record<string, unknown>,
) {
  const [row] = await unit.tx
    .update(messages)
    .set({ content: { ...message.content, ...fields } })
    .where(eq(messages.id, message.id))
    .returning();
  if (row) unit.emit({ type: "message.updated", message: toMessageView(row) });
}

export async function failWhatsAppMedia(unit: UnitOfWork, job: MediaJob) {
  const [row] = await unit.tx.select().from(messages).where(eq(messages.id, job.messageId));
  if (row)
    await markMedia(unit, row, { stored: false, mediaError: "Meta did not hand the file over" });
}

export async function reopenWhatsAppMedia() {}

/** A stored file of a message of the caller's organization: its R2 object. */
export async function messageMedia(scope: TenantScope, bucket: R2Bucket, messageId: string) {
  requirePermission(scope.actor, "inbox:read");
  const [row] = await scope.tx
    .select({ id: messages.id, content: messages.content })
    .from(messages)
    .where(eq(messages.id, messageId));
  if (!row?.content.stored) throw ApiError.notFound("File");
  const object = await bucket.get(mediaKey(scope.actor.orgId, row.id));
  if (!object) throw ApiError.notFound("File");
  return {
    object,
    filename: typeof row.content.filename === "string" ? row.content.filename : null,
  };
}
