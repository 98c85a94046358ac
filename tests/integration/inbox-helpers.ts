import { SELF } from "cloudflare:test";
import { expect, inject, vi } from "vitest";
import {
  type IncomingMessageSpec,
  incomingMessagePayload,
  type StatusSpec,
  signWebhookBody,
  statusPayload,
} from "../../scripts/lib/whatsapp-payloads";
import { call, type Session } from "./helpers";

/* WhatsApp channels, Meta's signed deliveries and the inbox, for the inbox's tests. */

export interface WhatsAppChannel {
  id: string;
  phoneNumberId: string;
  wabaId: string;
  displayPhoneNumber: string;
  appSecret: string;
  accessToken: string;
  verifyToken: string;
}

export interface ConversationView {
  id: string;
  channel: { id: string; type: string; name: string };
  contact: { id: string; name: string; phone: string | null } | null;
  externalId: string;
  status: string;
  priority: string;
  assigneeId: string | null;
  teamId: string | null;
  labels: string[];
  snoozedUntil: string | null;
  lastMessageAt: string;
  lastMessagePreview: string | null;
  lastIncomingAt: string | null;
  replyWindowEndsAt: string | null;
  unreadCount: number;
  messageCount: number;
  firstResponseAt: string | null;
  resolvedAt: string | null;
  mergedIntoId: string | null;
  version: number;
}

export interface MessageView {
  id: string;
  conversationId: string;
  direction: "incoming" | "outgoing";
  kind: string;
  private: boolean;
  body: string | null;
  content: Record<string, unknown>;
  status: string;
  error: { code: number | null; title: string; message: string | null } | null;
  authorId: string | null;
  mentions: string[];
  externalId: string | null;
  sentAt: string;
}

let numbers = 0;
/** A number of its own per channel (a WhatsApp number belongs to one live channel). */
export function uniqueNumber(prefix = "1555"): string {
  numbers += 1;
  return `${prefix}${String(Date.now()).slice(-6)}${String(numbers).padStart(3, "0")}`;
}

export async function createWhatsAppChannel(
  owner: Session,
  overrides: Partial<WhatsAppChannel> = {},
): Promise<WhatsAppChannel> {
  const displayPhoneNumber = uniqueNumber();
  const spec = {
    phoneNumberId: `1${displayPhoneNumber}`,
    wabaId: `2${displayPhoneNumber}`,
    appSecret: `app-secret-${Math.random().toString(36).slice(2)}`,
    accessToken: `EAAG${Math.random().toString(36).slice(2)}`,
    verifyToken: "verify-me",
    ...overrides,
  };
  const created = await call<{ id: string }>("/channels", {
    method: "POST",
    token: owner.accessToken,
    body: { type: "whatsapp", name: "WhatsApp support", ...spec },
  });
  expect(created.status).toBe(201);
  const channel = { id: created.body.data.id, displayPhoneNumber, ...spec };
  // Meta knows the number too (no webhook URL: the Worker under test has no address).
  await fakeMeta("numbers", { ...spec, displayPhoneNumber, webhookUrl: "" });
  return channel;
}

/** A control of the fake Meta (scripts/lib/fake-meta.ts `/_fake/...`). */
export async function fakeMeta(action: "numbers" | "failures" | "wamids", body: unknown) {
  const response = await fetch(`${inject("fakeMetaUrl")}/_fake/${action}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(response.ok).toBe(true);
}

export interface FakeSent {
  phoneNumberId: string;
  wamid: string;
  to: string;
  body: Record<string, unknown>;
}

/** What the fake Meta accepted from a number, oldest first. */
export async function sentToMeta(phoneNumberId: string): Promise<FakeSent[]> {
  const response = await fetch(
    `${inject("fakeMetaUrl")}/_fake/sent?phoneNumberId=${encodeURIComponent(phoneNumberId)}`,
  );
  return (await response.json()) as FakeSent[];
}

/** Posts a body to a channel's webhook URL as Meta does (signed with `secret`). */
export async function postWebhook(
  channelId: string,
  body: string,
  signature: string | null,
): Promise<{ status: number; text: string }> {
  const headers = new Headers({ "content-type": "application/json" });
  if (signature !== null) headers.set("x-hub-signature-256", signature);
  const response = await SELF.fetch(`http://switchboard.test/webhooks/whatsapp/${channelId}`, {
    method: "POST",
    headers,
    body,
  });
  return { status: response.status, text: await response.text() };
}

/** Customers' messages to the channel's number, signed with its app secret and delivered. */
export async function deliverMessages(channel: WhatsAppChannel, messages: IncomingMessageSpec[]) {
  const body = JSON.stringify(incomingMessagePayload({ ...channel, messages }));
  const answer = await postWebhook(channel.id, body, signWebhookBody(body, channel.appSecret));
  expect(answer.status).toBe(200);
  return body;
}

export async function deliverStatuses(channel: WhatsAppChannel, statuses: StatusSpec[]) {
  const body = JSON.stringify(statusPayload({ ...channel, statuses }));
  const answer = await postWebhook(channel.id, body, signWebhookBody(body, channel.appSecret));
  expect(answer.status).toBe(200);
}

export async function listConversations(session: Session, query = "") {
  const answer = await call<ConversationView[]>(`/conversations${query}`, {
    token: session.accessToken,
  });
  expect(answer.status).toBe(200);
  return answer.body.data;
}

export async function listMessages(session: Session, conversationId: string) {
  const answer = await call<MessageView[]>(`/conversations/${conversationId}/messages?limit=100`, {
    token: session.accessToken,
  });
  expect(answer.status).toBe(200);
  return answer.body.data;
}

/** Waits until the queue's consumer has stored what `ready` looks for. */
export function eventually<T>(check: () => Promise<T>, timeout = 15_000): Promise<T> {
  return vi.waitFor(check, { timeout, interval: 150 });
}
