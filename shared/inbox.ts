/*
 * The inbox's vocabulary, shared by the Worker and the app as plain constants.
 */

/** Where conversations come from. */
export const CHANNEL_TYPES = ["whatsapp", "webchat"] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

/** Where a conversation stands; a new message on a resolved one opens a new conversation. */
export const CONVERSATION_STATUSES = ["open", "pending", "snoozed", "resolved"] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

export const CONVERSATION_PRIORITIES = ["none", "low", "medium", "high", "urgent"] as const;
export type ConversationPriority = (typeof CONVERSATION_PRIORITIES)[number];

/** From the customer (incoming) or from the team (outgoing, and private notes). */
export const MESSAGE_DIRECTIONS = ["incoming", "outgoing"] as const;
export type MessageDirection = (typeof MESSAGE_DIRECTIONS)[number];

/** What a message carries; WhatsApp's message types, a template we sent, or something unknown. */
export const MESSAGE_KINDS = [
  "text",
  "image",
  "audio",
  "video",
  "document",
  "sticker",
  "location",
  "contacts",
  "interactive",
  "button",
  "reaction",
  "template",
  "unsupported",
] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/**
 * A message's delivery: `received` (incoming), or an outgoing one's progress: `pending` (our
 * job has not handed it over), `accepted` (the provider took it), then Meta's `sent`,
 * `delivered`, `read`, or `failed`.
 */
export const MESSAGE_STATUSES = [
  "received",
  "pending",
  "accepted",
  "sent",
  "delivered",
  "read",
  "failed",
] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/**
 * How far along a status is: a status only ever replaces a lower one, so a late `delivered`
 * never takes back `read`. `failed` ends an outgoing message wherever it was.
 */
export const MESSAGE_STATUS_RANK: Record<MessageStatus, number> = {
  received: 0,
  pending: 0,
  accepted: 1,
  sent: 2,
  delivered: 3,
  read: 4,
  failed: 5,
};

/** WhatsApp's customer-service window: free-form replies only this long after the customer wrote. */
export const WHATSAPP_WINDOW_MS = 24 * 60 * 60 * 1000;
