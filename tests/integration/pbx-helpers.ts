import { expect } from "vitest";
import type { CallEvent, EdgeMessage } from "../../pbx-bridge/src/edge-protocol";
import { type Collector, call, connectBridge, type Session, signUp } from "./helpers";

/* Bridge-side helpers for the telephony integration tests: events as pbx-bridge sends them. */

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

let seq = 0;
type EventBody<T extends CallEvent["type"]> = Omit<
  Extract<CallEvent, { type: T }>,
  "id" | "seq" | "callId" | "occurredAt" | "type"
>;

/** A bridge event as pbx-bridge would send it. */
export function callEvent<T extends CallEvent["type"]>(
  type: T,
  callId: string,
  body: EventBody<T>,
  occurredAt = new Date(),
): CallEvent {
  seq += 1;
  return {
    id: crypto.randomUUID(),
    seq,
    callId,
    occurredAt: occurredAt.toISOString(),
    type,
    ...body,
  } as CallEvent;
}

export const ringing = (
  callId: string,
  from: string,
  extension: string | null,
  queue: string | null = null,
) =>
  callEvent("call.ringing", callId, {
    direction: "inbound",
    from,
    fromName: "Caller",
    to: "+14155550100",
    extension,
    queue,
  });

export async function createBridgeToken(owner: Session) {
  const created = await call<{ id: string; token: string }>("/pbx/bridge-tokens", {
    method: "POST",
    token: owner.accessToken,
    body: { name: "Office PBX" },
  });
  expect(created.status).toBe(201);
  return created.body.data;
}

export async function setExtension(owner: Session, userId: string, extension: string | null) {
  const response = await call(`/call-center/agents/${userId}`, {
    method: "PUT",
    token: owner.accessToken,
    body: { extension },
  });
  expect(response.status).toBe(200);
}

/** An organization with a connected bridge and the owner at extension 1001. */
export async function organizationWithBridge(label: string) {
  const owner = await signUp(label);
  await setExtension(owner, owner.userId, "1001");
  const { token } = await createBridgeToken(owner);
  const bridge = await connectBridge(token);
  await bridge.waitFor((frame) => frame.type === "welcome");
  return { owner, token, bridge };
}

export function sendEvents(bridge: Collector<EdgeMessage>, events: CallEvent[]) {
  for (const event of events) bridge.socket.send(JSON.stringify({ type: "event", event }));
}

export function acked(bridge: Collector<EdgeMessage>, eventId: string) {
  return bridge.waitFor((frame) => frame.type === "ack" && frame.eventId === eventId);
}

export async function createContact(owner: Session, phone: string) {
  const created = await call<{ id: string }>("/contacts", {
    method: "POST",
    token: owner.accessToken,
    body: { firstName: "Ada", lastName: "Caller", phones: [{ raw: phone }] },
  });
  expect(created.status).toBe(201);
  return created.body.data.id;
}

const answered = new Set<string>();

/** Answers the next command the gateway sends the bridge. */
export async function answerNextCommand(
  bridge: Collector<EdgeMessage>,
  result: { ok: true } | { ok: false; code: string; message: string },
) {
  const frame = await bridge.waitFor(
    (candidate) => candidate.type === "command" && !answered.has(candidate.commandId),
  );
  if (frame.type !== "command") throw new Error("expected a command");
  answered.add(frame.commandId);
  bridge.socket.send(
    JSON.stringify({
      type: "command.result",
      commandId: frame.commandId,
      ok: result.ok,
      error: result.ok ? null : { code: result.code, message: result.message },
    }),
  );
  return frame.command;
}
