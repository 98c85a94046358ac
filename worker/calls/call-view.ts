import { z } from "zod";
import {
  AGENT_STATUSES,
  CALL_DIRECTIONS,
  CALL_OUTCOMES,
  CALL_STATUSES,
  WRAP_UP_STATUSES,
} from "../../shared/telephony";

/**
 * What the API and the realtime `call.updated` event say about a call. Plain zod (no OpenAPI
 * extensions) because the browser validates realtime frames with it too.
 */
export const callViewSchema = z.object({
  id: z.string(),
  direction: z.enum(CALL_DIRECTIONS),
  status: z.enum(CALL_STATUSES),
  fromNumber: z.string(),
  fromName: z.string().nullable(),
  toNumber: z.string(),
  customerNumber: z.string().nullable(),
  contact: z.object({ id: z.string(), name: z.string() }).nullable(),
  agent: z.object({ id: z.string(), name: z.string() }).nullable(),
  extension: z.string().nullable(),
  queue: z.string().nullable(),
  startedAt: z.string(),
  answeredAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  durationSeconds: z.number().int().nullable(),
  hangupCause: z.number().int().nullable(),
  hangupCauseText: z.string().nullable(),
  hangupBy: z.string().nullable(),
  outcome: z.enum(CALL_OUTCOMES).nullable(),
  recordingUrl: z.string().nullable(),
  disposition: z.string().nullable(),
  notes: z.string().nullable(),
  /**
   * The agent's wrap-up: `pending` (with what they typed so far, and when it closes itself)
   * until completed or skipped; null when the call needs none.
   */
  wrapUp: z
    .object({
      status: z.enum(WRAP_UP_STATUSES),
      draft: z.object({ notes: z.string().nullable(), disposition: z.string().nullable() }),
      dueAt: z.string().nullable(),
    })
    .nullable(),
  version: z.number().int(),
});
export type CallView = z.infer<typeof callViewSchema>;

/** A member who takes calls, with the status routing uses (`on_call` while on a call). */
export const agentViewSchema = z.object({
  userId: z.string(),
  name: z.string(),
  extension: z.string(),
  status: z.enum(AGENT_STATUSES),
  statusChangedAt: z.string(),
});
export type AgentView = z.infer<typeof agentViewSchema>;

export const pbxStatusSchema = z.object({
  bridgeOnline: z.boolean(),
  ariConnected: z.boolean(),
  bridgeVersion: z.string().nullable(),
  connectedAt: z.string().nullable(),
  lastEventAt: z.string().nullable(),
});
export type PbxStatus = z.infer<typeof pbxStatusSchema>;
