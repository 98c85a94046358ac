import { and, eq, isNull } from "drizzle-orm";
import { loadConversationViews, toMessageView } from "../conversations/load";
import {
  channelSecrets,
  channels,
  conversations,
  messages,
  type WhatsAppChannelSettings,
} from "../db/inbox-schema";
import type { JobContext } from "../jobs/handlers";
import type { OrgJobMessage } from "../jobs/messages";
import type { UnitOfWork } from "../lib/unit-of-work";
import { limiterFor, scaled } from "../rate-limit/enforce";
import { RATE_LIMITS } from "../rate-limit/limits";
import { graphSendMessage, graphUploadMedia, type OutgoingContent } from "./graph";
import { mediaKey } from "./media";
import type { ProviderError } from "./payload";
import { takeWaitingStatus } from "./statuses";

/*
 * The `whatsapp.send` job: hands one outgoing message to Meta's Graph API with its channel's
 * token (a file the team sent is uploaded to Meta first, then sent by its media id), within the channel's sending rate (RateLimiter `whatsappSendsByChannel`). Meta's
 * answer: a wamid (the message is `accepted`; delivery reports that overtook it are applied
 * now), a reason it will never go (the message is `failed` with Meta's words), or throttling
 * and Meta's own trouble, which throw so the queue retries with backoff; out of retries the
 * message is `failed` too (`failWhatsAppSend`).
 */

type SendJob = Extract<OrgJobMessage, { type: "whatsapp.send" }>;

/** A send that should be tried again later (throttled, or Meta unavailable). */
export class SendLater extends Error {}

export async function runWhatsAppSend(unit: UnitOfWork, job: SendJob, context: JobContext) {
  const [found] = await unit.tx
    .select({ message: messages, externalId: conversations.externalId })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(eq(messages.id, job.messageId));
  if (found?.message.status !== "pending") return;
  const { message } = found;
  const [channel] = await unit.tx
    .select({ settings: channels.settings, accessToken: channelSecrets.accessToken })
    .from(channels)
    .innerJoin(channelSecrets, eq(channelSecrets.channelId, channels.id))
    .where(and(eq(channels.id, message.channelId), isNull(channels.deletedAt)));
  if (!channel?.accessToken) {
    await markFailed(unit, job.messageId, {
      code: null,
      title: "The WhatsApp channel was removed or has no access token",
      message: null,
    });
    return;
  }
  const decision = await limiterFor(context.env, {
    limit: "whatsappSendsByChannel",
    key: message.channelId,
  }).consume(scaled(RATE_LIMITS.whatsappSendsByChannel, context.config.RATE_LIMIT_MULTIPLIER));
  if (!decision.allowed) {
    throw new SendLater(`channel ${message.channelId} is at its sending rate`);
  }
  const settings = channel.settings as WhatsAppChannelSettings;
  const graph = {
    url: context.config.WHATSAPP_GRAPH_URL,
    token: channel.accessToken,
    phoneNumberId: settings.phoneNumberId,
  };
  const content = await contentOf(unit, message, graph, context.env.MEDIA);
  if (!content.ok) {
    if (content.retryable) throw new SendLater(`${content.error.code}: ${content.error.title}`);
    await markFailed(unit, job.messageId, content.error);
    return;
  }
  const result = await graphSendMessage(
    graph.url,
    graph.token,
    graph.phoneNumberId,
    found.externalId,
    content.content,
  );
  if (!result.ok) {
    if (result.retryable) throw new SendLater(`${result.error.code}: ${result.error.title}`);
    await markFailed(unit, job.messageId, result.error);
    return;
  }
  const waiting = await takeWaitingStatus(unit.tx, message.channelId, result.wamid);
  const [row] = await unit.tx
    .update(messages)
    .set({
      externalId: result.wamid,
      status: waiting?.status ?? "accepted",
      statusAt: waiting?.at ?? new Date(),
      error: waiting?.error ?? null,
    })
    .where(eq(messages.id, job.messageId))
    .returning();
  if (row) unit.emit({ type: "message.updated", message: toMessageView(row) });
}

const MEDIA_KINDS = new Set(["image", "document", "audio", "video"]);

/**
 * What goes to Meta for the message. A file the team sent is uploaded from R2 first (each
 * attempt uploads again: a retry after throttling is rare, and Meta's id is not worth keeping
 * in a transaction that rolls back with the retry).
 */
async function contentOf(
  unit: UnitOfWork,
  message: typeof messages.$inferSelect,
  graph: { url: string; token: string; phoneNumberId: string },
  bucket: R2Bucket,
): Promise<
  { ok: true; content: OutgoingContent } | { ok: false; retryable: boolean; error: ProviderError }
> {
  const template = message.content.template as
    | { name: string; language: string; parameters: string[] }
    | undefined;
  if (message.kind === "template" && template) {
    return { ok: true, content: { type: "template", ...template } };
  }
  if (!MEDIA_KINDS.has(message.kind) || message.content.stored !== true) {
    return { ok: true, content: { type: "text", body: message.body ?? "" } };
  }
  const object = await bucket.get(mediaKey(unit.orgId, message.id));
  if (!object) {
    return {
      ok: false,
      retryable: false,
      error: { code: null, title: "The file is no longer in storage", message: null },
    };
  }
  const mimeType =
    typeof message.content.mimeType === "string"
      ? message.content.mimeType
      : (object.httpMetadata?.contentType ?? "application/octet-stream");
  const filename = typeof message.content.filename === "string" ? message.content.filename : null;
  const uploaded = await graphUploadMedia(graph.url, graph.token, graph.phoneNumberId, {
    bytes: await object.arrayBuffer(),
    mimeType,
    filename: filename ?? "file",
  });
  if (!uploaded.ok) return uploaded;
  return {
    ok: true,
    content: {
      type: "media",
      kind: message.kind as "image" | "document" | "audio" | "video",
      mediaId: uploaded.mediaId,
      caption: message.body,
      filename,
    },
  };
}

async function markFailed(unit: UnitOfWork, messageId: string, error: ProviderError) {
  const [row] = await unit.tx
    .update(messages)
    .set({ status: "failed", statusAt: new Date(), error: { ...error } })
    .where(eq(messages.id, messageId))
    .returning();
  if (!row) return;
  unit.emit({ type: "message.updated", message: toMessageView(row) });
  for (const conversation of await loadConversationViews(unit.tx, [row.conversationId])) {
    unit.emit({ type: "conversation.updated", conversation });
  }
}

/** Out of retries: the message failed, saying why. */
export async function failWhatsAppSend(unit: UnitOfWork, job: SendJob) {
  await markFailed(unit, job.messageId, {
    code: null,
    title: "Meta did not take the message after several attempts",
    message: "WhatsApp was throttling or unavailable; send it again later.",
  });
}

/** An admin retries the job (Settings -> Jobs): the failed message is pending again. */
export async function reopenWhatsAppSend(unit: UnitOfWork, job: SendJob) {
  const [row] = await unit.tx
    .update(messages)
    .set({ status: "pending", statusAt: new Date(), error: null })
    .where(and(eq(messages.id, job.messageId), eq(messages.status, "failed")))
    .returning();
  if (row) unit.emit({ type: "message.updated", message: toMessageView(row) });
}
