import { SELF } from "cloudflare:test";
import { expect } from "vitest";
import type { VisitorMessage, VisitorSession } from "../../shared/webchat";
import { call, type Envelope, type Session, uniqueIp } from "./helpers";

/* The website chat's visitor API (worker/webchat/) as the widget calls it, for the tests. */

export const ORIGIN = "https://shop.example";
export const OTHER_ORIGIN = "https://evil.example";
export const IDENTITY_SECRET = "identity-secret-of-the-shop";

export interface Chat {
  id: string;
}

export async function createChat(
  owner: Session,
  extra: Record<string, unknown> = {},
): Promise<Chat> {
  const created = await call<{ id: string }>("/channels", {
    method: "POST",
    token: owner.accessToken,
    body: {
      type: "webchat",
      name: "Website",
      allowedOrigins: [ORIGIN],
      greeting: "Hi! How can we help?",
      preChatForm: true,
      identitySecret: IDENTITY_SECRET,
      ...extra,
    },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { id: created.body.data.id };
}

interface VisitorCall {
  method?: string;
  body?: unknown;
  rawBody?: string;
  token?: string;
  origin?: string | null;
  ip?: string;
}

export async function visitorCall<T>(chat: Chat | string, path: string, options: VisitorCall = {}) {
  const id = typeof chat === "string" ? chat : chat.id;
  const headers = new Headers({ "content-type": "application/json" });
  const origin = options.origin === undefined ? ORIGIN : options.origin;
  if (origin) headers.set("origin", origin);
  headers.set("cf-connecting-ip", options.ip ?? uniqueIp());
  if (options.token) headers.set("authorization", `Bearer ${options.token}`);
  const response = await SELF.fetch(`http://switchboard.test/webchat/${id}${path}`, {
    method: options.method ?? "GET",
    headers,
    body:
      options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text ? JSON.parse(text) : null) as Envelope<T>,
  };
}

export async function startSession(chat: Chat, body: Record<string, unknown> = {}) {
  const answer = await visitorCall<VisitorSession>(chat, "/session", { method: "POST", body });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.data;
}

export async function write(chat: Chat, token: string, body: string) {
  const answer = await visitorCall<{ message: VisitorMessage; conversation: { id: string } }>(
    chat,
    "/messages",
    { method: "POST", token, body: { body } },
  );
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body.data;
}

export async function visitorMessages(chat: Chat, token: string) {
  const answer = await visitorCall<{ messages: VisitorMessage[] }>(chat, "/messages", { token });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.data.messages;
}

export function reply(owner: Session, conversationId: string, body: Record<string, unknown>) {
  return call(`/conversations/${conversationId}/messages`, {
    method: "POST",
    token: owner.accessToken,
    body,
  });
}

export async function openVisitorSocket(chat: Chat, token: string, origin = ORIGIN) {
  const response = await SELF.fetch(
    `http://switchboard.test/webchat/${chat.id}/socket?token=${encodeURIComponent(token)}`,
    { headers: { upgrade: "websocket", origin } },
  );
  return response;
}
