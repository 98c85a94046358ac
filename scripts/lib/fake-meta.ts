import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { MESSAGE_TEMPLATES, type MessageTemplate, sampleMedia } from "./whatsapp-fixtures";
import {
  type BusinessNumberRef,
  type GraphErrorBody,
  graphError,
  HTTP_FAILURE_CODES,
  type IncomingContent,
  incomingMessagePayload,
  MEDIA_TYPES,
  type MediaObject,
  type MediaType,
  type MessageContext,
  newConversationId,
  newWamid,
  type PricingCategory,
  type StatusSpec,
  signWebhookBody,
  statusPayload,
  unixSeconds,
  type WebhookPayload,
} from "./whatsapp-payloads";
import { checkSendBody } from "./whatsapp-send-validation";

/*
 * A local fake of Meta's WhatsApp Cloud API (the Graph API at graph.facebook.com/vNN.N), in
 * memory, for development and tests. It follows Meta's documentation: the Messages reference
 * (`POST /{phone-number-id}/messages`, its response and validation), the messages webhook
 * reference (signed statuses sent → delivered → read after each send; customers' messages),
 * the Media reference (`GET /{media-id}`, download with the token; `POST /{phone-number-id}/media`
 * uploads, multipart, with Meta's supported types and sizes, whose ids messages then name), the message templates
 * listing (`GET /{waba-id}/message_templates`) and the error-code reference (bodies and HTTP
 * statuses). Any `vNN.N` version segment is accepted. Test controls live under `/_fake/`:
 * register numbers, inject failures, deliver customers' messages, list what was sent.
 */

/** A business phone number on the fake, with what Meta and the app share for it. */
export interface FakeNumber {
  phoneNumberId: string;
  wabaId: string;
  /** Digits, as Meta puts it in webhook metadata ("15550783881"). */
  displayPhoneNumber: string;
  /** The Bearer token sends and media downloads must carry. */
  accessToken: string;
  /** Signs webhooks (X-Hub-Signature-256). */
  appSecret: string;
  /** Where statuses and customers' messages are POSTed. */
  webhookUrl: string;
  verifiedName?: string;
}

/** A message the fake accepted. */
export interface SentRecord {
  phoneNumberId: string;
  wamid: string;
  /** As the request gave it. */
  to: string;
  /** The request's JSON body. */
  body: Record<string, unknown>;
  /** ISO time of the send. */
  at: string;
}

/** A file the business uploaded (`POST /{phone-number-id}/media`). */
export interface UploadRecord {
  phoneNumberId: string;
  id: string;
  /** The form's `type` field. */
  type: string;
  /** The file part's own content type and name. */
  mime_type: string;
  filename: string;
  size: number;
  sha256: string;
  at: string;
}

/** How an injected failure shows: the send's response, or a "failed" status webhook after accepting. */
export type FailureVia = "response" | "webhook";

/** A customer's message for `deliverIncoming`: media objects may leave out id, sha256, mime_type. */
export type FakeIncomingMessage = IncomingContent<Partial<MediaObject>> & {
  id?: string;
  timestamp?: string | number | Date;
  context?: MessageContext;
};

export interface IncomingDelivery {
  phoneNumberId: string;
  /** The customer's phone number (E.164, "+" optional). */
  from: string;
  /** The customer's WhatsApp profile name. */
  name?: string;
  message: FakeIncomingMessage;
}

export interface FakeMetaOptions {
  /** 0 (default) takes a free port. */
  port?: number;
  host?: string;
  /** Milliseconds after a send at which each status webhook goes out. */
  statusDelaysMs?: Partial<{ sent: number; delivered: number; read: number }>;
  /** Send "read" after "delivered" (default true). */
  autoRead?: boolean;
  /** Attempts per status webhook Meta-style (retries on errors, doubling from 500 ms); default 3. */
  webhookAttempts?: number;
  log?: (line: string) => void;
}

export interface FakeMeta {
  /** http://127.0.0.1:PORT */
  url: string;
  /** url + "/v21.0": use as the Graph API base URL. */
  graphUrl: string;
  registerNumber(number: FakeNumber): void;
  sent(phoneNumberId?: string): SentRecord[];
  /** Signs Meta's messages webhook for a customer's message and POSTs it to the number's webhook. */
  deliverIncoming(delivery: IncomingDelivery): Promise<{ wamid: string; status: number }>;
  /** The next `count` sends from the number fail with Meta's error `code` (500/503: server errors). */
  failNext(phoneNumberId: string, code: number, count?: number, via?: FailureVia): void;
  /** The next sends from the number answer these wamids (tests that report statuses first). */
  answerWithWamids(phoneNumberId: string, wamids: string[]): void;
  stop(): Promise<void>;
}

interface StoredMedia {
  bytes: Buffer;
  mime_type: string;
  sha256: string;
  wabaId: string;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: GraphErrorBody,
  ) {
    super(body.error.message);
  }
}

const invalidParameter = (details: string) => {
  const { status, body } = graphError(100, { details });
  return new HttpError(status, body);
};

const invalidToken = () => {
  const { status, body } = graphError(190, {
    message: "Invalid OAuth access token - Cannot parse access token",
    withErrorData: false,
  });
  return new HttpError(status, body);
};

/** Graph's answer for an id that does not exist or the token may not see. */
const unknownObject = (id: string, method: "get" | "post") => {
  const { status, body } = graphError(100, {
    message: `Unsupported ${method} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
    type: "GraphMethodException",
    subcode: 33,
    withErrorData: false,
  });
  return new HttpError(status, body);
};

const VERSION = /^v\d+\.\d+$/;
/** The message types Meta's messages webhook carries that the fake delivers. */
const INCOMING_TYPES = [
  "text",
  ...MEDIA_TYPES,
  "location",
  "contacts",
  "interactive",
  "button",
  "reaction",
  "unsupported",
];
const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** An upload's body: Meta's largest file (a 100 MB document) and the form around it. */
const MAX_UPLOAD_BYTES = 101 * 1024 * 1024;

/**
 * Meta's supported media types for uploads and their size limits (Cloud API "Media"
 * reference, "Supported media types").
 */
const MB = 1024 * 1024;
const UPLOAD_LIMITS: Record<string, number> = {
  "audio/aac": 16 * MB,
  "audio/amr": 16 * MB,
  "audio/mpeg": 16 * MB,
  "audio/mp4": 16 * MB,
  "audio/ogg": 16 * MB,
  "text/plain": 100 * MB,
  "application/vnd.ms-excel": 100 * MB,
  "application/msword": 100 * MB,
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": 100 * MB,
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": 100 * MB,
  "application/vnd.ms-powerpoint": 100 * MB,
  "application/vnd.openxmlformats-officedocument.presentationml.presentation": 100 * MB,
  "application/pdf": 100 * MB,
  "image/jpeg": 5 * MB,
  "image/png": 5 * MB,
  "image/webp": 500 * 1024,
  "video/3gpp": 16 * MB,
  "video/mp4": 16 * MB,
};
const FAKE_NUMBER_FIELDS = [
  "phoneNumberId",
  "wabaId",
  "displayPhoneNumber",
  "accessToken",
  "appSecret",
  "webhookUrl",
] as const;

async function readBytes(request: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw invalidParameter("The request body is too large.");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function readBody(request: IncomingMessage): Promise<string> {
  return (await readBytes(request, MAX_BODY_BYTES)).toString("utf8");
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw invalidParameter("The request body is not valid JSON.");
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json; charset=UTF-8",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}

function bearerToken(request: IncomingMessage, url: URL): string | null {
  const header = request.headers.authorization ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1] ?? url.searchParams.get("access_token");
}

function mediaId(): string {
  return String(1_000_000_000_000_000 + (randomBytes(6).readUIntBE(0, 6) % 9_000_000_000_000_000));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

export async function startFakeMeta(options: FakeMetaOptions = {}): Promise<FakeMeta> {
  const log = options.log ?? (() => {});
  const delays = { sent: 150, delivered: 700, read: 1800, ...options.statusDelaysMs };
  const autoRead = options.autoRead ?? true;
  const webhookAttempts = Math.max(1, options.webhookAttempts ?? 3);
  const numbers = new Map<string, FakeNumber>();
  const records: SentRecord[] = [];
  const failures = new Map<string, { code: number; via: FailureVia }[]>();
  const media = new Map<string, StoredMedia>();
  const uploads: UploadRecord[] = [];
  /** Open conversations (24 h windows) per number, customer and pricing category. */
  const conversations = new Map<string, { id: string; expiresAt: number }>();
  const lifetime = new AbortController();
  const tasks = new Set<Promise<void>>();
  let baseUrl = "";

  const templatesOf = (_wabaId: string): readonly MessageTemplate[] => MESSAGE_TEMPLATES;

  function registerNumber(number: FakeNumber) {
    numbers.set(number.phoneNumberId, { ...number });
    log(
      `[fake-meta] number ${number.phoneNumberId} (${number.displayPhoneNumber}) → ${number.webhookUrl}`,
    );
  }

  /** Numbers the token belongs to. */
  function tokenNumbers(token: string | null): FakeNumber[] {
    if (!token) return [];
    return [...numbers.values()].filter((number) => number.accessToken === token);
  }

  function authenticate(request: IncomingMessage, url: URL): FakeNumber[] {
    const owned = tokenNumbers(bearerToken(request, url));
    if (owned.length === 0) throw invalidToken();
    return owned;
  }

  const chosenWamids = new Map<string, string[]>();
  function answerWithWamids(phoneNumberId: string, wamids: string[]) {
    chosenWamids.set(phoneNumberId, [...(chosenWamids.get(phoneNumberId) ?? []), ...wamids]);
  }

  function failNext(phoneNumberId: string, code: number, count = 1, via: FailureVia = "response") {
    const queue = failures.get(phoneNumberId) ?? [];
    for (let index = 0; index < count; index++) queue.push({ code, via });
    failures.set(phoneNumberId, queue);
  }

  async function postWebhook(number: FakeNumber, payload: WebhookPayload): Promise<number> {
    const raw = JSON.stringify(payload);
    const response = await fetch(number.webhookUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "facebookexternalua",
        "x-hub-signature-256": signWebhookBody(raw, number.appSecret),
      },
      body: raw,
      signal: lifetime.signal,
    });
    await response.arrayBuffer();
    return response.status;
  }

  function conversationFor(number: FakeNumber, waId: string, category: PricingCategory) {
    const key = `${number.phoneNumberId}:${waId}:${category}`;
    const now = Math.floor(Date.now() / 1000);
    const open = conversations.get(key);
    if (open && open.expiresAt > now) return open;
    const conversation = { id: newConversationId(), expiresAt: now + 24 * 60 * 60 };
    conversations.set(key, conversation);
    return conversation;
  }

  /** POSTs one status webhook, retrying like Meta on errors; false if it never got a 2xx. */
  async function postStatus(number: FakeNumber, status: StatusSpec): Promise<boolean> {
    const payload = statusPayload({ ...number, statuses: [{ ...status, timestamp: new Date() }] });
    for (let attempt = 1; attempt <= webhookAttempts; attempt++) {
      try {
        const code = await postWebhook(number, payload);
        log(`[fake-meta] status ${status.status} ${status.id} → ${code}`);
        if (code >= 200 && code < 300) return true;
      } catch (error) {
        if (lifetime.signal.aborted) return false;
        log(`[fake-meta] status ${status.status} ${status.id} → ${String(error)}`);
      }
      if (attempt < webhookAttempts) await sleep(500 * 2 ** (attempt - 1), lifetime.signal);
    }
    return false;
  }

  /** The statuses Meta would report for an accepted message, in order, after the delays. */
  async function reportStatuses(
    number: FakeNumber,
    base: Omit<StatusSpec, "status">,
    failure: { code: number } | undefined,
  ) {
    if (!number.webhookUrl) return;
    const signal = lifetime.signal;
    await sleep(delays.sent, signal);
    if (failure) {
      const code = HTTP_FAILURE_CODES[failure.code] ?? failure.code;
      await postStatus(number, { ...base, status: "failed", errors: [{ code }] });
      return;
    }
    await postStatus(number, { ...base, status: "sent" });
    await sleep(Math.max(0, delays.delivered - delays.sent), signal);
    await postStatus(number, { ...base, status: "delivered" });
    if (!autoRead) return;
    await sleep(Math.max(0, delays.read - delays.delivered), signal);
    await postStatus(number, { ...base, status: "read" });
  }

  function track(task: Promise<void>) {
    const tracked = task.catch(() => {});
    tasks.add(tracked);
    void tracked.finally(() => tasks.delete(tracked));
  }

  function takeFailure(phoneNumberId: string) {
    const queue = failures.get(phoneNumberId);
    const failure = queue?.shift();
    if (queue && queue.length === 0) failures.delete(phoneNumberId);
    return failure;
  }

  async function sendMessage(request: IncomingMessage, url: URL, phoneNumberId: string) {
    const owned = authenticate(request, url);
    const number = owned.find((candidate) => candidate.phoneNumberId === phoneNumberId);
    if (!number) throw unknownObject(phoneNumberId, "post");
    const body = parseJson(await readBody(request));
    const check = checkSendBody(body, templatesOf(number.wabaId));
    if (!check.ok) throw new HttpError(check.status, check.body);
    if (check.kind === "read") {
      log(`[fake-meta] ${phoneNumberId} marked ${check.messageId} read`);
      return { status: 200, body: { success: true } };
    }
    const object = (body as Record<string, unknown>)[check.type] as { id?: unknown } | undefined;
    if (typeof object?.id === "string" && MEDIA_TYPES.includes(check.type as MediaType)) {
      const stored = media.get(object.id);
      if (!stored || stored.wabaId !== number.wabaId) {
        const { status, body: errorBody } = graphError(131053, {
          details: `Media id ${object.id} was not uploaded by this business account.`,
        });
        throw new HttpError(status, errorBody);
      }
    }
    const failure = takeFailure(phoneNumberId);
    if (failure?.via === "response") {
      const metaCode = HTTP_FAILURE_CODES[failure.code] ?? failure.code;
      const { status, body: errorBody } = graphError(metaCode, {
        ...(HTTP_FAILURE_CODES[failure.code] ? { httpStatus: failure.code } : {}),
      });
      log(`[fake-meta] ${phoneNumberId} send to ${check.to} → injected ${metaCode} (${status})`);
      throw new HttpError(status, errorBody);
    }
    const wamid = chosenWamids.get(phoneNumberId)?.shift() ?? newWamid(check.waId, "outbound");
    records.push({
      phoneNumberId,
      wamid,
      to: check.to,
      body: body as Record<string, unknown>,
      at: new Date().toISOString(),
    });
    log(`[fake-meta] ${phoneNumberId} sent ${check.type} to ${check.to}: ${wamid}`);
    const conversation = conversationFor(number, check.waId, check.category);
    track(
      reportStatuses(
        number,
        {
          id: wamid,
          recipientId: check.waId,
          category: check.category,
          conversationId: conversation.id,
          conversationExpiresAt: String(conversation.expiresAt),
          ...(check.bizOpaqueCallbackData !== undefined
            ? { bizOpaqueCallbackData: check.bizOpaqueCallbackData }
            : {}),
        },
        failure,
      ),
    );
    return {
      status: 200,
      body: {
        messaging_product: "whatsapp",
        contacts: [{ input: check.to, wa_id: check.waId }],
        messages: [
          check.type === "template" ? { id: wamid, message_status: "accepted" } : { id: wamid },
        ],
      },
    };
  }

  /**
   * `POST /{phone-number-id}/media`: a multipart form with `messaging_product=whatsapp`, the
   * file's `type` and the `file`; answers `{ id }`, a media id messages from the number's
   * account may name.
   */
  async function uploadMedia(request: IncomingMessage, url: URL, phoneNumberId: string) {
    const owned = authenticate(request, url);
    const number = owned.find((candidate) => candidate.phoneNumberId === phoneNumberId);
    if (!number) throw unknownObject(phoneNumberId, "post");
    const contentType = request.headers["content-type"] ?? "";
    if (!/^multipart\/form-data/i.test(contentType)) {
      throw invalidParameter("Upload the file as multipart/form-data.");
    }
    const raw = await readBytes(request, MAX_UPLOAD_BYTES);
    let form: FormData;
    try {
      form = await new Response(new Uint8Array(raw), {
        headers: { "content-type": contentType },
      }).formData();
    } catch {
      throw invalidParameter("The multipart body could not be read.");
    }
    if (form.get("messaging_product") !== "whatsapp") {
      throw invalidParameter("The parameter messaging_product is required and must be whatsapp.");
    }
    const file = form.get("file");
    if (!(file instanceof File)) throw invalidParameter("The parameter file is required.");
    const type = form.get("type");
    if (typeof type !== "string" || !type)
      throw invalidParameter("The parameter type is required.");
    const mimeType = (file.type || type).split(";")[0]?.trim().toLowerCase() ?? "";
    const limit = UPLOAD_LIMITS[mimeType];
    if (!limit) {
      const { status, body } = graphError(131053, {
        details: `Param file must be a file with one of the following types: ${Object.keys(UPLOAD_LIMITS).join(", ")}. Received file of type '${mimeType}'.`,
      });
      throw new HttpError(status, body);
    }
    const bytes = Buffer.from(await file.arrayBuffer());
    if (bytes.length === 0 || bytes.length > limit) {
      const { status, body } = graphError(131053, {
        details: `The file is ${bytes.length} bytes; ${mimeType} files may be up to ${limit} bytes.`,
      });
      throw new HttpError(status, body);
    }
    const id = mediaId();
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    media.set(id, { bytes, mime_type: mimeType, sha256, wabaId: number.wabaId });
    uploads.push({
      phoneNumberId,
      id,
      type,
      mime_type: mimeType,
      filename: file.name,
      size: bytes.length,
      sha256,
      at: new Date().toISOString(),
    });
    log(`[fake-meta] ${phoneNumberId} uploaded ${mimeType} (${bytes.length} bytes): ${id}`);
    return { status: 200, body: { id } };
  }

  function listTemplates(request: IncomingMessage, url: URL, wabaId: string) {
    const owned = authenticate(request, url);
    if (!owned.some((number) => number.wabaId === wabaId)) throw unknownObject(wabaId, "get");
    const query = url.searchParams;
    const matching = templatesOf(wabaId).filter(
      (template) =>
        (!query.get("name") || template.name.includes(query.get("name") ?? "")) &&
        (!query.get("status") || template.status === query.get("status")?.toUpperCase()) &&
        (!query.get("language") || template.language === query.get("language")) &&
        (!query.get("category") || template.category === query.get("category")?.toUpperCase()),
    );
    const limit = Math.max(1, Math.min(100, Number(query.get("limit")) || 25));
    const after = query.get("after");
    const start = after ? Number(Buffer.from(after, "base64url").toString()) + 1 || 0 : 0;
    const page = matching.slice(start, start + limit);
    const cursor = (index: number) => Buffer.from(String(index)).toString("base64url");
    const result: Record<string, unknown> = {
      data: page.map(({ rejected_reason: _reason, ...template }) => template),
    };
    if (page.length > 0) {
      const paging: Record<string, unknown> = {
        cursors: { before: cursor(start), after: cursor(start + page.length - 1) },
      };
      if (start + page.length < matching.length) {
        const next = new URL(url);
        next.searchParams.set("after", cursor(start + page.length - 1));
        next.searchParams.delete("access_token");
        paging.next = `${baseUrl}${next.pathname}${next.search}`;
      }
      result.paging = paging;
    }
    return { status: 200, body: result };
  }

  /** `GET /{id}`: a media object's URL and metadata, or a phone number's profile. */
  function getObject(request: IncomingMessage, url: URL, id: string) {
    const owned = authenticate(request, url);
    const stored = media.get(id);
    if (stored && owned.some((number) => number.wabaId === stored.wabaId)) {
      const onlyFor = url.searchParams.get("phone_number_id");
      if (onlyFor && numbers.get(onlyFor)?.wabaId !== stored.wabaId) {
        throw invalidParameter("The media does not belong to this phone number.");
      }
      return {
        status: 200,
        body: {
          messaging_product: "whatsapp",
          url: `${baseUrl}/_fake/media/${id}`,
          mime_type: stored.mime_type,
          sha256: stored.sha256,
          // Meta's reference examples differ (a string in one, a number elsewhere); the API
          // answers a number of bytes.
          file_size: stored.bytes.length,
          id,
        },
      };
    }
    const number = owned.find((candidate) => candidate.phoneNumberId === id);
    if (!number) throw unknownObject(id, "get");
    return {
      status: 200,
      body: {
        verified_name: number.verifiedName ?? "Switchboard Demo",
        code_verification_status: "VERIFIED",
        display_phone_number: `+${number.displayPhoneNumber.replace(/\D/g, "")}`,
        quality_rating: "GREEN",
        platform_type: "CLOUD_API",
        throughput: { level: "STANDARD" },
        id: number.phoneNumberId,
      },
    };
  }

  function downloadMedia(request: IncomingMessage, url: URL, id: string, response: ServerResponse) {
    const stored = media.get(id);
    const owned = tokenNumbers(bearerToken(request, url));
    if (owned.length === 0) throw invalidToken();
    if (!stored || !owned.some((number) => number.wabaId === stored.wabaId)) {
      throw unknownObject(id, "get");
    }
    response.writeHead(200, {
      "content-type": stored.mime_type,
      "content-length": stored.bytes.length,
      "content-disposition": "attachment",
    });
    response.end(stored.bytes);
  }

  /** Fills a media message's object (registering a generated file) so Meta's webhook is whole. */
  function withMedia(number: FakeNumber, message: FakeIncomingMessage): IncomingContent {
    const type = message.type;
    if (!MEDIA_TYPES.includes(type as MediaType)) return message as IncomingContent;
    const mediaType = type as MediaType;
    const given = ((message as Record<string, unknown>)[mediaType] ?? {}) as Partial<MediaObject>;
    const sample = sampleMedia(mediaType, given.filename ?? given.caption ?? mediaType);
    const id = given.id ?? mediaId();
    const mime_type = given.mime_type ?? sample.mime_type;
    if (!media.has(id)) {
      media.set(id, {
        bytes: sample.bytes,
        mime_type,
        sha256: sample.sha256,
        wabaId: number.wabaId,
      });
    }
    const object: MediaObject = { ...given, id, mime_type, sha256: given.sha256 ?? sample.sha256 };
    if (mediaType === "document" && !object.filename && sample.filename) {
      object.filename = sample.filename;
    }
    if (mediaType === "audio" && object.voice === undefined) object.voice = true;
    if (mediaType === "sticker" && object.animated === undefined) object.animated = false;
    return { ...message, [mediaType]: object } as IncomingContent;
  }

  async function deliverIncoming(delivery: IncomingDelivery) {
    const number = numbers.get(delivery.phoneNumberId);
    if (!number) throw new Error(`No fake WhatsApp number ${delivery.phoneNumberId}`);
    if (!number.webhookUrl) throw new Error(`Number ${number.phoneNumberId} has no webhook URL`);
    const wamid = delivery.message.id ?? newWamid(delivery.from, "inbound");
    const ref: BusinessNumberRef = number;
    const payload = incomingMessagePayload({
      ...ref,
      messages: [
        {
          ...withMedia(number, delivery.message),
          from: delivery.from,
          ...(delivery.name !== undefined ? { name: delivery.name } : {}),
          id: wamid,
          timestamp: delivery.message.timestamp ?? unixSeconds(),
          ...(delivery.message.context ? { context: delivery.message.context } : {}),
        },
      ],
    });
    const status = await postWebhook(number, payload);
    log(
      `[fake-meta] ${delivery.from} → ${number.phoneNumberId} ${delivery.message.type} ${wamid}: ${status}`,
    );
    return { wamid, status };
  }

  function sent(phoneNumberId?: string) {
    return records
      .filter((record) => !phoneNumberId || record.phoneNumberId === phoneNumberId)
      .map((record) => ({ ...record }));
  }

  function asFakeNumber(body: unknown): FakeNumber {
    const value = (typeof body === "object" && body !== null ? body : {}) as Record<
      string,
      unknown
    >;
    for (const field of FAKE_NUMBER_FIELDS) {
      if (typeof value[field] !== "string")
        throw invalidParameter(`The parameter ${field} is required.`);
    }
    return value as unknown as FakeNumber;
  }

  /** The fake's own controls. */
  async function control(request: IncomingMessage, url: URL, response: ServerResponse) {
    const [, , action, id] = url.pathname.split("/");
    const method = request.method ?? "GET";
    if (method === "GET" && action === "media" && id)
      return downloadMedia(request, url, id, response);
    if (method === "GET" && action === "uploads") {
      const only = url.searchParams.get("phoneNumberId");
      return sendJson(
        response,
        200,
        uploads.filter((upload) => !only || upload.phoneNumberId === only),
      );
    }
    if (method === "GET" && action === "sent") {
      return sendJson(response, 200, sent(url.searchParams.get("phoneNumberId") ?? undefined));
    }
    if (method !== "POST")
      throw invalidParameter(`Unknown fake control: ${method} ${url.pathname}`);
    const body = parseJson(await readBody(request)) as Record<string, unknown> | null;
    if (action === "numbers") {
      registerNumber(asFakeNumber(body));
      return sendJson(response, 201, { success: true });
    }
    if (action === "media") {
      // A customer's file as Meta would hold it: { phoneNumberId, message: { type, [type]? } }
      // answers the media object a webhook would carry (tests deliver the webhook themselves).
      const number = numbers.get(String(body?.phoneNumberId));
      const message = body?.message as FakeIncomingMessage | undefined;
      if (!number || !message || !MEDIA_TYPES.includes(message.type as MediaType)) {
        throw invalidParameter(
          "Expected { phoneNumberId, message: { type: image | audio | ... } }.",
        );
      }
      const filled = withMedia(number, message) as Record<string, unknown>;
      return sendJson(response, 201, filled[message.type]);
    }
    if (action === "wamids") {
      const wamids = body?.wamids;
      if (
        typeof body?.phoneNumberId !== "string" ||
        !Array.isArray(wamids) ||
        !wamids.every((wamid) => typeof wamid === "string")
      ) {
        throw invalidParameter("Expected { phoneNumberId, wamids: string[] }.");
      }
      answerWithWamids(body.phoneNumberId, wamids as string[]);
      return sendJson(response, 200, { success: true });
    }
    if (action === "failures") {
      const code = Number(body?.code);
      if (typeof body?.phoneNumberId !== "string" || !Number.isInteger(code)) {
        throw invalidParameter("Expected { phoneNumberId, code, count?, via? }.");
      }
      const via = body.via === "webhook" ? "webhook" : "response";
      failNext(body.phoneNumberId, code, Number(body.count ?? 1) || 1, via);
      return sendJson(response, 200, { success: true });
    }
    if (action === "incoming") {
      const message = body?.message as FakeIncomingMessage | undefined;
      if (
        typeof body?.phoneNumberId !== "string" ||
        typeof body.from !== "string" ||
        !INCOMING_TYPES.includes(String(message?.type)) ||
        !message
      ) {
        throw invalidParameter(
          `Expected { phoneNumberId, from, name?, message: { type: ${INCOMING_TYPES.join(" | ")}, … } }.`,
        );
      }
      if (!numbers.has(body.phoneNumberId)) throw unknownObject(body.phoneNumberId, "post");
      try {
        const result = await deliverIncoming({
          phoneNumberId: body.phoneNumberId,
          from: body.from,
          ...(typeof body.name === "string" ? { name: body.name } : {}),
          message,
        });
        return sendJson(response, 200, result);
      } catch (error) {
        return sendJson(response, 502, {
          error: { message: `Webhook unreachable: ${String(error)}` },
        });
      }
    }
    throw invalidParameter(`Unknown fake control: POST ${url.pathname}`);
  }

  async function route(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? "/", baseUrl);
    const parts = url.pathname.split("/").filter(Boolean);
    const method = request.method ?? "GET";
    if (parts[0] === "_fake") return control(request, url, response);
    if (!parts[0] || !VERSION.test(parts[0])) {
      throw invalidParameter(`Unknown path components: ${url.pathname}`);
    }
    let result: { status: number; body: unknown } | undefined;
    if (method === "POST" && parts.length === 3 && parts[2] === "messages" && parts[1]) {
      result = await sendMessage(request, url, parts[1]);
    } else if (method === "POST" && parts.length === 3 && parts[2] === "media" && parts[1]) {
      result = await uploadMedia(request, url, parts[1]);
    } else if (
      method === "GET" &&
      parts.length === 3 &&
      parts[2] === "message_templates" &&
      parts[1]
    ) {
      result = listTemplates(request, url, parts[1]);
    } else if (method === "GET" && parts.length === 2 && parts[1]) {
      result = getObject(request, url, parts[1]);
    }
    if (!result) throw invalidParameter(`Unknown path components: ${url.pathname}`);
    sendJson(response, result.status, result.body);
  }

  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      if (error instanceof HttpError) return sendJson(response, error.status, error.body);
      log(`[fake-meta] ${request.method} ${request.url} failed: ${String(error)}`);
      const { body } = graphError(131000);
      sendJson(response, 500, body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  baseUrl = `http://${host}:${address.port}`;
  log(`[fake-meta] Graph API on ${baseUrl}/v21.0`);

  return {
    url: baseUrl,
    graphUrl: `${baseUrl}/v21.0`,
    registerNumber,
    sent,
    deliverIncoming,
    failNext,
    answerWithWamids,
    async stop() {
      lifetime.abort(new Error("fake Meta stopped"));
      await Promise.all(tasks);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
