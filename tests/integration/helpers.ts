import { env, SELF } from "cloudflare:test";
import { expect } from "vitest";
import {
  type EdgeMessage,
  edgeMessageSchema,
  parseFrame,
} from "../../pbx-bridge/src/edge-protocol";
import { Database } from "../../worker/db/client";
import { parseServerEvent, type ServerEvent } from "../../worker/realtime/events";

export const BASE = "http://switchboard.test/api/v1";

export interface Envelope<T = unknown> {
  success: boolean;
  data: T;
  message: string;
  errors: Record<string, string[]> | null;
  meta: { code?: string; requestId?: string; pagination?: { nextCursor: string | null } } | null;
}

export interface ApiCall {
  method?: string;
  body?: unknown;
  rawBody?: string;
  token?: string;
  headers?: Record<string, string>;
  ip?: string;
}

let ipCounter = 0;
/** Each caller gets its own IP so per-IP sign-in limits don't couple unrelated tests. */
export function uniqueIp(): string {
  ipCounter += 1;
  return `10.${Math.floor(Math.random() * 250)}.${Math.floor(ipCounter / 250)}.${ipCounter % 250}`;
}

export async function call<T = unknown>(path: string, options: ApiCall = {}) {
  const headers = new Headers(options.headers);
  headers.set("cf-connecting-ip", options.ip ?? uniqueIp());
  if (options.token) headers.set("authorization", `Bearer ${options.token}`);
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  const response = await SELF.fetch(`${BASE}${path}`, {
    method: options.method ?? "GET",
    headers,
    body,
  });
  const text = await response.text();
  const json = text ? (JSON.parse(text) as Envelope<T>) : (null as unknown as Envelope<T>);
  return { status: response.status, headers: response.headers, body: json };
}

export interface Session {
  userId: string;
  orgId: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

interface AuthData {
  user: { id: string; email: string };
  organization: { id: string };
  accessToken: string;
  refreshToken: string;
}

let userCounter = 0;
export function uniqueEmail(label = "user"): string {
  userCounter += 1;
  return `${label}-${Date.now().toString(36)}-${userCounter}-${Math.random().toString(36).slice(2, 7)}@example.com`;
}

/** A new account and organization: sign-up (which signs no one in), then sign-in. */
export async function signUp(label = "owner"): Promise<Session> {
  const email = uniqueEmail(label);
  const password = "correct horse battery staple";
  const response = await call("/auth/signup", {
    method: "POST",
    body: { email, password, name: `${label} person`, organizationName: `${label} org` },
  });
  expect(response.status).toBe(202);
  const signedIn = await call<AuthData>("/auth/login", {
    method: "POST",
    body: { email, password },
  });
  expect(signedIn.status).toBe(200);
  return toSession(signedIn.body.data, password);
}

export function toSession(data: AuthData, password: string): Session {
  return {
    userId: data.user.id,
    orgId: data.organization.id,
    email: data.user.email,
    password,
    accessToken: data.accessToken,
    refreshToken: data.refreshToken,
  };
}

/** Adds a member with the given role to the owner's organization (invite + accept). */
export async function addMember(owner: Session, role: string, label = role): Promise<Session> {
  const email = uniqueEmail(label);
  const invite = await call<{ token: string }>("/invitations", {
    method: "POST",
    token: owner.accessToken,
    body: { email, role },
  });
  expect(invite.status).toBe(201);
  const password = "another long passphrase";
  const accepted = await call<AuthData>("/invitations/accept", {
    method: "POST",
    body: { token: invite.body.data.token, name: `${label} person`, password },
  });
  expect(accepted.status).toBe(200);
  return toSession(accepted.body.data, password);
}

/** A database handle as the Worker's own role (no table ownership, no BYPASSRLS). */
export function workerDatabase(): Database {
  return new Database(env.DATABASE_URL, env.NEON_LOCAL_PROXY);
}

export function expectErrorEnvelope(
  response: { status: number; body: Envelope },
  status: number,
  code?: string,
) {
  expect(response.status).toBe(status);
  expect(response.body.success).toBe(false);
  expect(response.body.data).toBeNull();
  expect(typeof response.body.message).toBe("string");
  expect(response.body.meta?.requestId).toBeTruthy();
  if (code) expect(response.body.meta?.code).toBe(code);
}

export interface Collector<T> {
  socket: WebSocket;
  events: T[];
  /** Settles with the close code when the server (or we) close the socket. */
  closed: Promise<number>;
  waitFor(match: (event: T) => boolean, timeoutMs?: number): Promise<T>;
}

export type LiveSocket = Collector<ServerEvent>;

/** Opens a WebSocket on `path` and collects the frames `parse` accepts. */
async function openCollector<T>(
  path: string,
  headers: Record<string, string>,
  parse: (raw: string) => T | null,
): Promise<Collector<T>> {
  const response = await SELF.fetch(`${BASE}${path}`, {
    headers: { upgrade: "websocket", ...headers },
  });
  expect(response.status).toBe(101);
  const socket = response.webSocket;
  if (!socket) throw new Error("no socket");
  const closed = new Promise<number>((resolve) =>
    socket.addEventListener("close", (event) => resolve(event.code)),
  );
  socket.accept();
  const events: T[] = [];
  const waiters: { match: (event: T) => boolean; resolve: (event: T) => void }[] = [];
  socket.addEventListener("message", (message) => {
    const event = parse(String(message.data));
    if (!event) return;
    events.push(event);
    for (const waiter of waiters.filter((candidate) => candidate.match(event))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(event);
    }
  });
  return {
    socket,
    events,
    closed,
    waitFor(match, timeoutMs = 5000) {
      const seen = events.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no matching frame; got ${JSON.stringify(events)}`)),
          timeoutMs,
        );
        waiters.push({
          match,
          resolve: (event) => {
            clearTimeout(timer);
            resolve(event);
          },
        });
      });
    },
  };
}

/** Opens the organization's realtime socket and collects the events it receives. */
export function connectSocket(headers: Record<string, string>): Promise<LiveSocket> {
  return openCollector("/realtime", headers, parseServerEvent);
}

/** Connects as the organization's pbx-bridge would and collects the gateway's frames. */
export function connectBridge(token: string): Promise<Collector<EdgeMessage>> {
  return openCollector("/pbx/bridge", { authorization: `Bearer ${token}` }, (raw) =>
    parseFrame(edgeMessageSchema, raw),
  );
}
