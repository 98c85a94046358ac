/*
 * The telephony vocabulary, shared by the pbx-bridge edge protocol, the database schema, the
 * API and the browser. Plain constants and types, no dependencies: the browser bundle takes
 * them without zod or drizzle.
 */

export const CALL_DIRECTIONS = ["inbound", "outbound", "internal"] as const;
export type CallDirection = (typeof CALL_DIRECTIONS)[number];

/** Who ended the call, as far as the PBX can tell. */
export const HANGUP_PARTIES = ["caller", "callee", "agent", "customer", "system"] as const;

/** How a call ended. `missed`: inbound, nobody answered; `abandoned`: caller hung up while queued. */
export const CALL_OUTCOMES = [
  "answered",
  "missed",
  "abandoned",
  "busy",
  "failed",
  "no_answer",
] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

export const AGENT_STATUSES = ["available", "busy", "on_call", "away"] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

export const CALL_STATUSES = [
  "ringing",
  "answered",
  "held",
  "ended",
  "missed",
  "busy",
  "failed",
] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

export const WRAP_UP_STATUSES = ["pending", "done", "skipped"] as const;
export type WrapUpStatus = (typeof WRAP_UP_STATUSES)[number];

/** Wrap-up time of a new queue, and of calls that came through no queue. */
export const DEFAULT_WRAP_UP_SECONDS = 30;
