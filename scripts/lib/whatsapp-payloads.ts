import { createHmac, randomBytes } from "node:crypto";

/*
 * WhatsApp Cloud API payloads as Meta documents them, built by pure functions that the fake
 * Graph API (scripts/lib/fake-meta.ts), its tests and the benchmarks share:
 * - the `messages` webhook (developers.facebook.com/documentation/business-messaging/whatsapp/
 *   webhooks/reference/messages/{text,image,audio,video,document,sticker,location,contacts,
 *   interactive,button,reaction,unsupported,status}): one entry per WhatsApp Business Account,
 *   one change with `field: "messages"`, and a value holding `messages` (with the senders'
 *   `contacts`) or `statuses`;
 * - the webhook signature Meta sends in `X-Hub-Signature-256` (HMAC-SHA256 of the raw body
 *   keyed with the app secret, hex, prefixed "sha256=");
 * - Graph API error bodies (whatsapp/cloud-api/support/error-codes): `{ error: { message:
 *   "(#code) title", type, code, error_data: { messaging_product, details }, fbtrace_id } }`.
 */

/** Meta's `X-Hub-Signature-256` header value for a webhook body. */
export function signWebhookBody(rawBody: string, appSecret: string): string {
  return `sha256=${createHmac("sha256", appSecret).update(rawBody, "utf8").digest("hex")}`;
}

/** Unix seconds as the string Meta sends. */
export function unixSeconds(date: Date | number = Date.now()): string {
  return String(Math.floor((typeof date === "number" ? date : date.getTime()) / 1000));
}

const digitsOnly = (value: string) => value.replace(/\D/g, "");

function randomDigits(length: number): string {
  return Array.from(randomBytes(length), (byte) => String(byte % 10)).join("");
}

function randomHex(length: number): string {
  return randomBytes(Math.ceil(length / 2))
    .toString("hex")
    .slice(0, length)
    .toUpperCase();
}

/**
 * A WhatsApp message id shaped like Meta's: "wamid." and base64 of a small record holding the
 * customer's wa_id, the direction (inbound 0x12, outbound 0x11) and a random hex id (20
 * characters inbound, 18 outbound), as in Meta's examples
 * (wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=).
 */
export function newWamid(
  waId: string = randomDigits(11),
  direction: "inbound" | "outbound" = "inbound",
): string {
  const phone = Buffer.from(digitsOnly(waId) || randomDigits(11), "ascii");
  const id = Buffer.from(randomHex(direction === "inbound" ? 20 : 18), "ascii");
  const record = Buffer.concat([
    Buffer.from([0x1c, 0x18, phone.length]),
    phone,
    Buffer.from([0x15, 0x02, 0x00, direction === "inbound" ? 0x12 : 0x11, 0x18, id.length]),
    id,
    Buffer.from([0x00]),
  ]);
  return `wamid.${record.toString("base64")}`;
}

/** A Graph API trace id (Meta's are 23 URL-safe base64 characters). */
export function newFbtraceId(): string {
  return randomBytes(18).toString("base64url").slice(0, 23);
}

// ---------------------------------------------------------------------------------------------
// Incoming messages (the `messages` webhook)
// ---------------------------------------------------------------------------------------------

/** A received media object: Meta has already downloaded it; fetch it by id (media endpoints). */
export interface MediaObject {
  id: string;
  mime_type: string;
  /** Hex SHA-256 of the file's bytes. */
  sha256: string;
  caption?: string;
  /** Documents only. */
  filename?: string;
  /** Audio only: true for a voice note recorded in WhatsApp. */
  voice?: boolean;
  /** Stickers only. */
  animated?: boolean;
}

export type MediaType = "image" | "audio" | "video" | "document" | "sticker";
export const MEDIA_TYPES: readonly MediaType[] = ["image", "audio", "video", "document", "sticker"];

/** A contact card a customer shares (all properties optional but `name`, as Meta notes). */
export interface ContactCard {
  name: {
    formatted_name: string;
    first_name?: string;
    last_name?: string;
    middle_name?: string;
    suffix?: string;
    prefix?: string;
  };
  addresses?: {
    street?: string;
    city?: string;
    state?: string;
    zip?: string;
    country?: string;
    country_code?: string;
    type?: string;
  }[];
  birthday?: string;
  emails?: { email: string; type?: string }[];
  org?: { company?: string; department?: string; title?: string };
  phones?: { phone: string; wa_id?: string; type?: string }[];
  urls?: { url: string; type?: string }[];
}

export interface MetaErrorEntry {
  code: number;
  title: string;
  message: string;
  error_data: { details: string };
  href?: string;
}

/** What the customer sent, in Meta's own shape (the part after `type`). */
export type IncomingContent<Media = MediaObject> =
  | { type: "text"; text: { body: string } }
  | { type: "image"; image: Media }
  | { type: "audio"; audio: Media }
  | { type: "video"; video: Media }
  | { type: "document"; document: Media }
  | { type: "sticker"; sticker: Media }
  | {
      type: "location";
      location: { latitude: number; longitude: number; name?: string; address?: string };
    }
  | { type: "contacts"; contacts: ContactCard[] }
  | {
      type: "interactive";
      interactive:
        | { type: "button_reply"; button_reply: { id: string; title: string } }
        | {
            type: "list_reply";
            list_reply: { id: string; title: string; description?: string };
          };
    }
  /** A tap on a template's quick-reply button. */
  | { type: "button"; button: { text: string; payload: string } }
  /** `emoji` empty when the customer removes a reaction. */
  | { type: "reaction"; reaction: { message_id: string; emoji: string } }
  /** What Cloud API cannot show (a poll, a view-once photo…): `errors` is filled in. */
  | { type: "unsupported"; unsupported?: { type: string }; errors?: MetaErrorEntry[] };

/** Where a message is a reply: `from` is the business's display number unless given. */
export interface MessageContext {
  id: string;
  from?: string;
}

/** One message in a `messages` webhook, from one customer. */
export type IncomingMessageSpec<Media = MediaObject> = IncomingContent<Media> & {
  /** The customer's phone number (E.164, with or without "+"); wa_id is its digits. */
  from: string;
  /** The customer's WhatsApp profile name (contacts[].profile.name). */
  name?: string;
  /** A wamid (one is generated if absent). */
  id?: string;
  /** Unix seconds, or a Date (now if absent). */
  timestamp?: string | number | Date;
  context?: MessageContext;
};

export interface BusinessNumberRef {
  wabaId: string;
  phoneNumberId: string;
  /** As Meta shows it in metadata: digits, e.g. "15550783881". */
  displayPhoneNumber: string;
}

export interface WebhookPayload {
  object: "whatsapp_business_account";
  entry: {
    id: string;
    changes: { field: "messages"; value: Record<string, unknown> }[];
  }[];
}

const UNSUPPORTED_ERROR: MetaErrorEntry = {
  code: 131051,
  title: "Message type unknown",
  message: "Message type unknown",
  error_data: { details: "Message type is currently not supported." },
};

function timestampOf(value: IncomingMessageSpec["timestamp"]): string {
  if (value === undefined) return unixSeconds();
  if (value instanceof Date) return unixSeconds(value);
  return String(value);
}

/** The Meta message object for one spec (from, id, timestamp, context?, type and its content). */
export function incomingMessage(
  spec: IncomingMessageSpec,
  displayPhoneNumber: string,
): Record<string, unknown> {
  const { from, name: _name, id, timestamp, context, ...content } = spec;
  const waId = digitsOnly(from);
  const message: Record<string, unknown> = {};
  if (context) message.context = { from: context.from ?? displayPhoneNumber, id: context.id };
  message.from = waId;
  message.id = id ?? newWamid(waId, "inbound");
  message.timestamp = timestampOf(timestamp);
  if (content.type === "unsupported") {
    message.errors = content.errors ?? [UNSUPPORTED_ERROR];
    message.type = "unsupported";
    message.unsupported = content.unsupported ?? { type: "poll_creation" };
    return message;
  }
  const { type, ...body } = content;
  message.type = type;
  Object.assign(message, body);
  return message;
}

/** Meta's `messages` webhook for messages from one or more customers to one business number. */
export function incomingMessagePayload(
  options: BusinessNumberRef & { messages: IncomingMessageSpec[] },
): WebhookPayload {
  const contacts = new Map<string, string>();
  for (const spec of options.messages) {
    const waId = digitsOnly(spec.from);
    if (!contacts.has(waId) || spec.name) contacts.set(waId, spec.name ?? contacts.get(waId) ?? "");
  }
  return webhookEnvelope(options, {
    contacts: [...contacts].map(([waId, name]) => ({ profile: { name }, wa_id: waId })),
    messages: options.messages.map((spec) => incomingMessage(spec, options.displayPhoneNumber)),
  });
}

function webhookEnvelope(
  number: BusinessNumberRef,
  value: Record<string, unknown>,
): WebhookPayload {
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: number.wabaId,
        changes: [
          {
            value: {
              messaging_product: "whatsapp",
              metadata: {
                display_phone_number: number.displayPhoneNumber,
                phone_number_id: number.phoneNumberId,
              },
              ...value,
            },
            field: "messages",
          },
        ],
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Statuses of sent messages (the `messages` webhook, `statuses` array)
// ---------------------------------------------------------------------------------------------

export type MessageStatus = "sent" | "delivered" | "read" | "failed";
/** Pricing categories: free-form replies are "service"; templates take their category. */
export type PricingCategory = "service" | "utility" | "marketing" | "authentication";

export interface StatusSpec {
  /** The wamid the send answered. */
  id: string;
  status: MessageStatus;
  /** The customer's wa_id (or phone number: its digits are used). */
  recipientId: string;
  timestamp?: string | number | Date;
  /** Default "service" (a reply within the customer service window: free). */
  category?: PricingCategory;
  /** Keep it stable across one message's statuses (a 32-hex id is made if absent). */
  conversationId?: string;
  /** Unix seconds the conversation window closes (sent status only; 24 h after if absent). */
  conversationExpiresAt?: string;
  /** Echoed when the send carried `biz_opaque_callback_data`. */
  bizOpaqueCallbackData?: string;
  /** For "failed": Meta codes (the catalogue fills title, message and details when absent). */
  errors?: { code: number; title?: string; message?: string; details?: string }[];
}

/** A conversation id as Meta sends it (32 hex characters). */
export function newConversationId(): string {
  return randomBytes(16).toString("hex");
}

/**
 * One status object. As documented for the Graph API versions before v24.0: `conversation`
 * and `pricing` ride on "sent" and "delivered" (the sent one with the window's expiry),
 * "read" carries neither, "failed" carries `errors`. Pricing is per message ("PMP"):
 * "service" replies are `free_customer_service` and not billable, templates are `regular`.
 */
export function statusObject(spec: StatusSpec): Record<string, unknown> {
  const timestamp = timestampOf(spec.timestamp);
  const status: Record<string, unknown> = {
    id: spec.id,
    status: spec.status,
    timestamp,
    recipient_id: digitsOnly(spec.recipientId),
  };
  if (spec.bizOpaqueCallbackData !== undefined) {
    status.biz_opaque_callback_data = spec.bizOpaqueCallbackData;
  }
  if (spec.status === "sent" || spec.status === "delivered") {
    const category = spec.category ?? "service";
    const conversation: Record<string, unknown> = {
      id: spec.conversationId ?? newConversationId(),
    };
    if (spec.status === "sent") {
      conversation.expiration_timestamp =
        spec.conversationExpiresAt ?? String(Number(timestamp) + 24 * 60 * 60);
    }
    conversation.origin = { type: category };
    status.conversation = conversation;
    status.pricing = {
      billable: category !== "service",
      pricing_model: "PMP",
      type: category === "service" ? "free_customer_service" : "regular",
      category,
    };
  }
  if (spec.status === "failed") {
    const errors = spec.errors?.length ? spec.errors : [{ code: 131026 }];
    status.errors = errors.map((error) => webhookError(error.code, error));
  }
  return status;
}

/** Meta's `messages` webhook carrying statuses of messages a business number sent. */
export function statusPayload(
  options: BusinessNumberRef & { statuses: StatusSpec[] },
): WebhookPayload {
  return webhookEnvelope(options, { statuses: options.statuses.map(statusObject) });
}

// ---------------------------------------------------------------------------------------------
// Errors (Graph API responses and webhook `errors` entries)
// ---------------------------------------------------------------------------------------------

export interface MetaErrorInfo {
  /** The HTTP status Meta's error-code table lists for the code. */
  httpStatus: number;
  title: string;
  details: string;
}

/** The codes the fake answers with, as Meta's error-code reference describes them. */
export const META_ERRORS: Record<number, MetaErrorInfo> = {
  100: {
    httpStatus: 400,
    title: "Invalid parameter",
    details: "The request included one or more unsupported or misspelled parameters.",
  },
  190: {
    httpStatus: 401,
    title: "Access token has expired",
    details: "The access token is invalid or has expired.",
  },
  130429: {
    httpStatus: 400,
    title: "Rate limit hit",
    details:
      "Message failed to send because there were too many messages sent from this phone number in a short period of time",
  },
  131000: {
    httpStatus: 500,
    title: "Something went wrong",
    details: "Message failed to send due to an unknown error.",
  },
  131008: {
    httpStatus: 400,
    title: "Required parameter is missing",
    details: "The request is missing a required parameter.",
  },
  131009: {
    httpStatus: 400,
    title: "Parameter value is not valid",
    details: "One or more parameter values are invalid.",
  },
  131016: {
    httpStatus: 503,
    title: "Service unavailable",
    details: "A service is temporarily unavailable. Please try again later.",
  },
  131026: {
    httpStatus: 400,
    title: "Message undeliverable",
    details:
      "Unable to deliver message. The recipient may not be a WhatsApp user, may not have accepted the latest terms, or may use an old WhatsApp version.",
  },
  131047: {
    httpStatus: 400,
    title: "Re-engagement message",
    details:
      "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
  },
  131051: {
    httpStatus: 400,
    title: "Message type unknown",
    details: "Message type is currently not supported.",
  },
  131053: {
    httpStatus: 400,
    title: "Media upload error",
    details: "Unable to upload the media used in the message.",
  },
  131056: {
    httpStatus: 400,
    title: "(Business Account, Consumer Account) pair rate limit hit",
    details:
      "Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.",
  },
  132000: {
    httpStatus: 400,
    title: "Number of parameters does not match the expected number of params",
    details: "The number of parameters provided does not match the template's.",
  },
  132001: {
    httpStatus: 404,
    title: "Template name does not exist in the translation",
    details: "The template does not exist in the specified language or has not been approved.",
  },
};

/** Generic server errors: the fake's `failNext(…, 500 | 503)` answers these Meta codes. */
export const HTTP_FAILURE_CODES: Record<number, number> = { 500: 131000, 503: 131016 };

const ERROR_CODES_HREF =
  "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/";

function errorInfo(code: number): MetaErrorInfo {
  return (
    META_ERRORS[code] ?? { httpStatus: 400, title: "Unknown error", details: `Error ${code}.` }
  );
}

/** An entry of a webhook `errors` array (failed statuses, unsupported messages). */
export function webhookError(
  code: number,
  override: { title?: string; message?: string; details?: string } = {},
): MetaErrorEntry {
  const info = errorInfo(code);
  const title = override.title ?? info.title;
  return {
    code,
    title,
    message: override.message ?? title,
    error_data: { details: override.details ?? info.details },
    href: ERROR_CODES_HREF,
  };
}

export interface GraphErrorBody {
  error: {
    message: string;
    type: string;
    code: number;
    error_data?: { messaging_product: "whatsapp"; details: string };
    error_subcode?: number;
    fbtrace_id: string;
  };
}

/**
 * A Graph API error response: the HTTP status from Meta's table and the body, whose message
 * is "(#code) title". Options override the details, the whole message, the type (Graph's
 * "GraphMethodException" for unknown objects), add a subcode, or leave out `error_data`
 * (Graph's own errors, such as an invalid token, carry none).
 */
export function graphError(
  code: number,
  options: {
    details?: string;
    message?: string;
    type?: string;
    subcode?: number;
    httpStatus?: number;
    withErrorData?: boolean;
  } = {},
): { status: number; body: GraphErrorBody } {
  const info = errorInfo(code);
  const error: GraphErrorBody["error"] = {
    message: options.message ?? `(#${code}) ${info.title}`,
    type: options.type ?? "OAuthException",
    code,
    ...(options.withErrorData === false
      ? {}
      : {
          error_data: { messaging_product: "whatsapp", details: options.details ?? info.details },
        }),
    ...(options.subcode === undefined ? {} : { error_subcode: options.subcode }),
    fbtrace_id: newFbtraceId(),
  };
  return { status: options.httpStatus ?? info.httpStatus, body: { error } };
}
