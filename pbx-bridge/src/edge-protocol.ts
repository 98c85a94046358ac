import { z } from "zod";
import { httpUrlSchema } from "../../shared/http-url";

/*
 * The protocol between pbx-bridge and the edge's PbxGateway Durable Object, over one
 * WebSocket the bridge opens to `/api/v1/pbx/bridge` with `Authorization: Bearer <bridge
 * token>`. Both ends import this file and validate every frame with it; handlers switch on
 * `type` and end with `assertNever`.
 *
 * Delivery: the bridge numbers its events (`seq`, strictly increasing per bridge, kept on
 * disk) and keeps each one in its outbox until the edge acks it. The edge stores events
 * idempotently by `id`, processes them in the order received, and acks each one after it
 * is committed, so a replay after an outage never creates a second call.
 *
 * Batching (docs/decisions/025): when both ends list the feature `batches` (the edge in
 * `welcome`, the bridge in `hello`), the bridge may send many events in one `events` frame
 * and the edge acks a committed batch with one `acks` frame. Either end without it keeps to
 * one `event` / `ack` frame per event; the fields are optional, so older peers, which strip
 * unknown keys, simply never see the new frames.
 */

export const PROTOCOL_VERSION = 1;

/** Optional abilities an end announces; the other end uses one only if both list it. */
export const FEATURE_BATCHES = "batches";
/** Most events in one `events` frame, and most ids in one `acks` frame. */
export const MAX_EVENTS_PER_FRAME = 500;
const features = z.array(z.string().max(50)).max(20).default([]);

import {
  AGENT_STATUSES,
  CALL_DIRECTIONS,
  CALL_OUTCOMES,
  DEFAULT_WRAP_UP_SECONDS,
  HANGUP_PARTIES,
} from "../../shared/telephony";

// The vocabulary lives in shared/telephony.ts (the browser takes it without zod); the bridge
// reads it from here with the rest of the protocol.
export {
  AGENT_STATUSES,
  type AgentStatus,
  CALL_DIRECTIONS,
  CALL_OUTCOMES,
  type CallDirection,
  type CallOutcome,
  DEFAULT_WRAP_UP_SECONDS,
  HANGUP_PARTIES,
} from "../../shared/telephony";

const isoTime = z.string().datetime({ offset: true });
/** A phone number as the PBX saw it: E.164 for external parties, the extension for agents. */
const partyNumber = z.string().min(1).max(64);
const extension = z.string().regex(/^[0-9A-Za-z_*#+-]{1,32}$/);

const eventBase = {
  /** Unique per event (UUID), the edge's idempotency key. */
  id: z.string().uuid(),
  /** Strictly increasing per bridge. */
  seq: z.number().int().nonnegative(),
  /** The call this event belongs to (UUID). Click-to-call uses the id the edge chose. */
  callId: z.string().uuid(),
  occurredAt: isoTime,
};

export const callEventSchema = z.discriminatedUnion("type", [
  z.object({
    ...eventBase,
    type: z.literal("call.ringing"),
    direction: z.enum(CALL_DIRECTIONS),
    from: partyNumber,
    fromName: z.string().max(200).nullable(),
    to: partyNumber,
    /** The agent extension being rung (null while an inbound call waits in a queue). */
    extension: extension.nullable(),
    queue: z.string().max(100).nullable(),
  }),
  z.object({ ...eventBase, type: z.literal("call.answered"), extension: extension.nullable() }),
  z.object({ ...eventBase, type: z.literal("call.held") }),
  z.object({ ...eventBase, type: z.literal("call.resumed") }),
  z.object({
    ...eventBase,
    type: z.literal("call.transferred"),
    fromExtension: extension.nullable(),
    /** An extension or an external number. */
    to: partyNumber,
  }),
  z.object({
    ...eventBase,
    type: z.literal("call.ended"),
    outcome: z.enum(CALL_OUTCOMES),
    /** Seconds from answer to hangup; 0 when never answered. */
    durationSeconds: z.number().int().nonnegative(),
    /** Q.850 cause code as ARI reports it (16 normal clearing, 17 busy, 19 no answer, ...). */
    hangupCause: z.number().int().nonnegative(),
    hangupCauseText: z.string().max(200),
    hangupBy: z.enum(HANGUP_PARTIES),
  }),
  z.object({
    ...eventBase,
    type: z.literal("call.recording_ready"),
    recordingName: z.string().min(1).max(200),
    durationSeconds: z.number().int().nonnegative(),
    /** Where an agent's browser can fetch the recording (served by the bridge), or null. */
    url: httpUrlSchema.nullable(),
  }),
]);
export type CallEvent = z.infer<typeof callEventSchema>;
export type CallEventType = CallEvent["type"];

/** Commands the edge sends; the bridge answers each with a `command.result`. */
export const commandSchema = z.discriminatedUnion("action", [
  z.object({
    action: z.literal("originate"),
    /** The id the edge gave the call; the bridge uses it as `callId` for its events. */
    callId: z.string().uuid(),
    /** The agent's extension, rung first. */
    extension,
    /** The customer's number (E.164), dialled once the agent answers. */
    to: partyNumber,
    callerId: z.string().max(64).nullable(),
  }),
  z.object({ action: z.literal("hangup"), callId: z.string().uuid() }),
  z.object({ action: z.literal("hold"), callId: z.string().uuid() }),
  z.object({ action: z.literal("resume"), callId: z.string().uuid() }),
  z.object({ action: z.literal("transfer"), callId: z.string().uuid(), to: partyNumber }),
  z.object({ action: z.literal("start_recording"), callId: z.string().uuid() }),
  z.object({ action: z.literal("stop_recording"), callId: z.string().uuid() }),
]);
export type Command = z.infer<typeof commandSchema>;

export const COMMAND_ERROR_CODES = [
  "CALL_NOT_FOUND",
  "INVALID_STATE",
  "ARI_UNAVAILABLE",
  "ARI_ERROR",
  "TIMEOUT",
] as const;

const wrapUpSeconds = z.number().int().min(0).max(3600);

/**
 * Routing data the edge pushes on connect and whenever queues or agent statuses change. The
 * bridge offers a queue call only to an `available` agent who is not ringing, on a call, on
 * hold or in wrap-up (the queue's `wrapUpSeconds` after their last call ended).
 */
export const routingSchema = z.object({
  queues: z.array(
    z.object({
      name: z.string().min(1).max(100),
      /** Member extensions in the order the queue tries them. */
      extensions: z.array(extension),
      ringTimeoutSeconds: z.number().int().min(5).max(120),
      wrapUpSeconds: wrapUpSeconds.default(0),
    }),
  ),
  /** Wrap-up after a call that came through no queue. */
  noQueueWrapUpSeconds: wrapUpSeconds.default(DEFAULT_WRAP_UP_SECONDS),
  agents: z.array(z.object({ extension, status: z.enum(AGENT_STATUSES) })),
});
export type Routing = z.infer<typeof routingSchema>;
/** Routing as written (wrap-up times may be left to their defaults). */
export type RoutingInput = z.input<typeof routingSchema>;

/** Frames from the bridge to the edge. */
export const bridgeMessageSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("hello"),
    protocolVersion: z.literal(PROTOCOL_VERSION),
    bridgeVersion: z.string().max(50),
    ariConnected: z.boolean(),
    features,
  }),
  z.object({ type: z.literal("event"), event: callEventSchema }),
  /** Several events in seq order (only to an edge that listed `batches`). */
  z.object({
    type: z.literal("events"),
    events: z.array(callEventSchema).min(1).max(MAX_EVENTS_PER_FRAME),
  }),
  z.object({ type: z.literal("ari.status"), connected: z.boolean() }),
  z.object({
    type: z.literal("command.result"),
    commandId: z.string().uuid(),
    ok: z.boolean(),
    error: z.object({ code: z.enum(COMMAND_ERROR_CODES), message: z.string().max(500) }).nullable(),
  }),
  z.object({ type: z.literal("ping") }),
]);
export type BridgeMessage = z.infer<typeof bridgeMessageSchema>;

/** Frames from the edge to the bridge. */
export const edgeMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("welcome"), organizationId: z.string().uuid(), features }),
  /** The event with this id is stored (or was already); drop it from the outbox. */
  z.object({ type: z.literal("ack"), eventId: z.string().uuid() }),
  /** The events with these ids are stored (only to a bridge that listed `batches`). */
  z.object({
    type: z.literal("acks"),
    eventIds: z.array(z.string().uuid()).min(1).max(MAX_EVENTS_PER_FRAME),
  }),
  /** The event was malformed or refused and will never be stored; drop it and log why. */
  z.object({ type: z.literal("reject"), eventId: z.string().uuid(), reason: z.string().max(500) }),
  z.object({ type: z.literal("command"), commandId: z.string().uuid(), command: commandSchema }),
  z.object({ type: z.literal("routing"), routing: routingSchema }),
  z.object({ type: z.literal("pong") }),
]);
export type EdgeMessage = z.infer<typeof edgeMessageSchema>;

export function parseFrame<T>(schema: z.ZodType<T>, raw: string): T | null {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return null;
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? parsed.data : null;
}

export function assertNever(value: never): never {
  throw new Error(`Unhandled protocol value: ${JSON.stringify(value)}`);
}
