import { z } from "zod";
import {
  CHANNEL_TYPES,
  CONVERSATION_PRIORITIES,
  CONVERSATION_STATUSES,
  MESSAGE_DIRECTIONS,
  MESSAGE_KINDS,
  MESSAGE_STATUSES,
  WHATSAPP_WINDOW_MS,
} from "../../shared/inbox";

/**
 * What the API and the realtime events (`conversation.updated`, `message.created`,
 * `message.updated`) say about conversations and messages. Plain zod, because the browser
 * reads realtime frames with the same shapes.
 */
export const conversationViewSchema = z.object({
  id: z.string(),
  channel: z.object({ id: z.string(), type: z.enum(CHANNEL_TYPES), name: z.string() }),
  contact: z.object({ id: z.string(), name: z.string(), phone: z.string().nullable() }).nullable(),
  /** Who writes: their WhatsApp id, or the website visitor's id. */
  externalId: z.string(),
  status: z.enum(CONVERSATION_STATUSES),
  priority: z.enum(CONVERSATION_PRIORITIES),
  assigneeId: z.string().nullable(),
  teamId: z.string().nullable(),
  labels: z.array(z.string()),
  snoozedUntil: z.string().nullable(),
  lastMessageAt: z.string(),
  lastMessagePreview: z.string().nullable(),
  lastIncomingAt: z.string().nullable(),
  /**
   * WhatsApp: until when a free-form reply may go out (24 hours after the customer's last
   * message); null when the window is closed or the channel has none.
   */
  replyWindowEndsAt: z.string().nullable(),
  unreadCount: z.number().int(),
  messageCount: z.number().int(),
  firstResponseAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  mergedIntoId: z.string().nullable(),
  createdAt: z.string(),
  version: z.number().int(),
});
export type ConversationView = z.infer<typeof conversationViewSchema>;

export const messageViewSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  direction: z.enum(MESSAGE_DIRECTIONS),
  kind: z.enum(MESSAGE_KINDS),
  /** A private note: the team's only. */
  private: z.boolean(),
  body: z.string().nullable(),
  content: z.record(z.string(), z.unknown()),
  status: z.enum(MESSAGE_STATUSES),
  /** Why sending failed, in the provider's words. */
  error: z
    .object({ code: z.number().nullable(), title: z.string(), message: z.string().nullable() })
    .nullable(),
  authorId: z.string().nullable(),
  mentions: z.array(z.string()),
  externalId: z.string().nullable(),
  sentAt: z.string(),
  statusAt: z.string().nullable(),
});
export type MessageView = z.infer<typeof messageViewSchema>;

export function replyWindowEndsAt(
  channelType: ConversationView["channel"]["type"],
  lastIncomingAt: Date | null,
  now = Date.now(),
): Date | null {
  if (channelType !== "whatsapp" || !lastIncomingAt) return null;
  const ends = lastIncomingAt.getTime() + WHATSAPP_WINDOW_MS;
  return ends > now ? new Date(ends) : null;
}

/** A one-line preview of a message for the conversation list. */
export function messagePreview(kind: MessageView["kind"], body: string | null): string {
  const text = body?.replace(/\s+/g, " ").trim();
  const labels: Partial<Record<MessageView["kind"], string>> = {
    image: "Photo",
    audio: "Voice message",
    video: "Video",
    document: "Document",
    sticker: "Sticker",
    location: "Location",
    contacts: "Contact card",
    reaction: "Reaction",
    unsupported: "Message type not supported",
  };
  const label = labels[kind];
  const preview = label && text ? `${label}: ${text}` : (text ?? label ?? "");
  return preview.length > 140 ? `${preview.slice(0, 139)}…` : preview;
}
