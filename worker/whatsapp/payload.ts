import { z } from "zod";
import type { MessageKind, MessageStatus } from "../../shared/inbox";

/*
 * Meta's WhatsApp Cloud API webhook payload (`object: "whatsapp_business_account"`), as its
 * reference documents it: entries, each with changes; a `messages` change carries the
 * number's `metadata`, the senders' `contacts` (profile name, wa_id), their `messages`, and
 * `statuses` of the messages we sent. Objects are read loosely (Meta adds fields); a message
 * or status that does not read is skipped on its own, never the whole delivery.
 */

const metadataSchema = z.looseObject({
  display_phone_number: z.string().optional(),
  phone_number_id: z.string(),
});

const senderSchema = z.looseObject({
  wa_id: z.string(),
  profile: z.looseObject({ name: z.string().optional() }).optional(),
});

const errorSchema = z.looseObject({
  code: z.number().optional(),
  title: z.string().optional(),
  message: z.string().optional(),
  error_data: z.looseObject({ details: z.string().optional() }).optional(),
});

const changeValueSchema = z.looseObject({
  messaging_product: z.string().optional(),
  metadata: metadataSchema,
  contacts: z.array(senderSchema).optional(),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
});

export const webhookPayloadSchema = z.looseObject({
  object: z.literal("whatsapp_business_account"),
  entry: z.array(
    z.looseObject({
      id: z.string(),
      changes: z.array(z.looseObject({ field: z.string(), value: z.unknown() })),
    }),
  ),
});

const mediaSchema = z.looseObject({
  id: z.string(),
  mime_type: z.string().optional(),
  sha256: z.string().optional(),
  caption: z.string().optional(),
  filename: z.string().optional(),
});

const wamidSchema = z.string().min(1).max(256);
/** Unix seconds as a string, as Meta sends them. */
const timestampSchema = z.string().regex(/^\d{1,12}$/);

const incomingSchema = z.looseObject({
  from: z.string().regex(/^\d{5,20}$/),
  id: wamidSchema,
  timestamp: timestampSchema,
  type: z.string(),
  context: z.looseObject({ id: z.string().optional(), from: z.string().optional() }).optional(),
  text: z.looseObject({ body: z.string() }).optional(),
  image: mediaSchema.optional(),
  audio: mediaSchema.optional(),
  video: mediaSchema.optional(),
  document: mediaSchema.optional(),
  sticker: mediaSchema.optional(),
  location: z
    .looseObject({
      latitude: z.number(),
      longitude: z.number(),
      name: z.string().optional(),
      address: z.string().optional(),
    })
    .optional(),
  contacts: z.array(z.looseObject({})).optional(),
  interactive: z
    .looseObject({
      type: z.string(),
      button_reply: z.looseObject({ id: z.string(), title: z.string() }).optional(),
      list_reply: z
        .looseObject({ id: z.string(), title: z.string(), description: z.string().optional() })
        .optional(),
    })
    .optional(),
  button: z.looseObject({ text: z.string(), payload: z.string().optional() }).optional(),
  reaction: z.looseObject({ message_id: z.string(), emoji: z.string().optional() }).optional(),
  errors: z.array(errorSchema).optional(),
});

const statusSchema = z.looseObject({
  id: wamidSchema,
  status: z.enum(["sent", "delivered", "read", "failed"]),
  timestamp: timestampSchema,
  recipient_id: z.string().optional(),
  errors: z.array(errorSchema).optional(),
});

/** One customer message, as stored. */
export interface IncomingMessage {
  phoneNumberId: string;
  waId: string;
  profileName: string | null;
  wamid: string;
  sentAt: Date;
  kind: MessageKind;
  body: string | null;
  content: Record<string, unknown>;
}

/** One delivery report of a message we sent. */
export interface StatusReport {
  phoneNumberId: string;
  wamid: string;
  status: Extract<MessageStatus, "sent" | "delivered" | "read" | "failed">;
  at: Date;
  error: ProviderError | null;
}

export type ProviderError = {
  code: number | null;
  title: string;
  message: string | null;
};

export interface ReadPayload {
  messages: IncomingMessage[];
  statuses: StatusReport[];
  /** Parts that did not read (logged by the caller, never stored). */
  skipped: number;
}

const MEDIA_KINDS = ["image", "audio", "video", "document", "sticker"] as const;

/** Reads one webhook delivery; null if it is not a WhatsApp Business payload at all. */
export function readWebhookPayload(raw: string): ReadPayload | null {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return null;
  }
  const payload = webhookPayloadSchema.safeParse(json);
  if (!payload.success) return null;
  const result: ReadPayload = { messages: [], statuses: [], skipped: 0 };
  for (const entry of payload.data.entry) {
    for (const change of entry.changes) {
      if (change.field !== "messages") continue;
      const value = changeValueSchema.safeParse(change.value);
      if (!value.success) {
        result.skipped += 1;
        continue;
      }
      readChange(value.data, result);
    }
  }
  return result;
}

function readChange(value: z.infer<typeof changeValueSchema>, result: ReadPayload) {
  const phoneNumberId = value.metadata.phone_number_id;
  const names = new Map(
    (value.contacts ?? []).map((sender) => [sender.wa_id, sender.profile?.name?.trim() || null]),
  );
  for (const item of value.messages ?? []) {
    const message = incomingSchema.safeParse(item);
    if (!message.success) {
      result.skipped += 1;
      continue;
    }
    result.messages.push({
      phoneNumberId,
      waId: message.data.from,
      profileName: names.get(message.data.from) ?? null,
      wamid: message.data.id,
      sentAt: fromUnixSeconds(message.data.timestamp),
      ...contentOf(message.data),
    });
  }
  for (const item of value.statuses ?? []) {
    const status = statusSchema.safeParse(item);
    if (!status.success) {
      result.skipped += 1;
      continue;
    }
    const error = status.data.errors?.[0];
    result.statuses.push({
      phoneNumberId,
      wamid: status.data.id,
      status: status.data.status,
      at: fromUnixSeconds(status.data.timestamp),
      error: error ? providerError(error) : null,
    });
  }
}

function fromUnixSeconds(value: string): Date {
  return new Date(Number(value) * 1000);
}

export function providerError(error: z.infer<typeof errorSchema>): ProviderError {
  return {
    code: error.code ?? null,
    title: error.title ?? error.message ?? "Error",
    message: error.error_data?.details ?? error.message ?? null,
  };
}

type Content = Pick<IncomingMessage, "kind" | "body" | "content">;

/** What a message says, by its type; a type we do not know is kept as `unsupported`. */
function contentOf(message: z.infer<typeof incomingSchema>): Content {
  const replyTo = message.context?.id ? { replyTo: message.context.id } : {};
  if (message.type === "text" && message.text) {
    return { kind: "text", body: message.text.body, content: { ...replyTo } };
  }
  for (const kind of MEDIA_KINDS) {
    const media = message[kind];
    if (message.type === kind && media) {
      return {
        kind,
        body: media.caption ?? null,
        content: {
          ...replyTo,
          mediaId: media.id,
          mimeType: media.mime_type ?? null,
          sha256: media.sha256 ?? null,
          filename: media.filename ?? null,
        },
      };
    }
  }
  if (message.type === "location" && message.location) {
    const { latitude, longitude, name, address } = message.location;
    const label = [name, address].filter(Boolean).join(", ");
    return {
      kind: "location",
      body: label || `${latitude}, ${longitude}`,
      content: { ...replyTo, latitude, longitude, name: name ?? null, address: address ?? null },
    };
  }
  if (message.type === "contacts" && message.contacts) {
    return {
      kind: "contacts",
      body: contactCardNames(message.contacts),
      content: { ...replyTo, contacts: message.contacts },
    };
  }
  if (message.type === "interactive" && message.interactive) {
    const reply = message.interactive.button_reply ?? message.interactive.list_reply;
    return {
      kind: "interactive",
      body: reply?.title ?? null,
      content: {
        ...replyTo,
        replyId: reply?.id ?? null,
        interactiveType: message.interactive.type,
      },
    };
  }
  if (message.type === "button" && message.button) {
    return {
      kind: "button",
      body: message.button.text,
      content: { ...replyTo, payload: message.button.payload ?? null },
    };
  }
  if (message.type === "reaction" && message.reaction) {
    return {
      kind: "reaction",
      body: message.reaction.emoji || null,
      content: { reactedTo: message.reaction.message_id, emoji: message.reaction.emoji ?? null },
    };
  }
  const error = message.errors?.[0];
  return {
    kind: "unsupported",
    body: null,
    content: { type: message.type, error: error ? providerError(error) : null },
  };
}

function contactCardNames(cards: Record<string, unknown>[]): string {
  const names = cards.map((card) => {
    const name = card.name as { formatted_name?: unknown } | undefined;
    return typeof name?.formatted_name === "string" ? name.formatted_name : "a contact";
  });
  return `Shared ${names.join(", ")}`;
}
