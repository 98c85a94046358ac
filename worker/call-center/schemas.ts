import { z } from "@hono/zod-openapi";
import { DEFAULT_WRAP_UP_SECONDS } from "../../pbx-bridge/src/edge-protocol";
import { agentViewSchema, callViewSchema } from "../calls/call-view";

export const agentSchema = agentViewSchema.openapi("Agent");

const extensionSchema = z
  .string()
  .trim()
  .regex(/^[0-9]{2,8}$/, "An extension is 2 to 8 digits, e.g. 1001.");

export const setExtensionBodySchema = z
  .object({ extension: extensionSchema.nullable() })
  .strict()
  .openapi("SetExtensionRequest");

export const userIdParamSchema = z.object({
  userId: z
    .string()
    .uuid()
    .openapi({ param: { name: "userId", in: "path" } }),
});

export const setStatusBodySchema = z
  .object({ status: z.enum(["available", "busy", "away"]) })
  .strict()
  .openapi("SetAgentStatusRequest");

const queueFields = {
  name: z.string().trim().min(1, "Name the queue.").max(100),
  ringTimeoutSeconds: z.number().int().min(5).max(120),
  wrapUpSeconds: z.number().int().min(0).max(3600).openapi({
    description:
      "After a call, its agent gets no queue call for this long and the wrap-up form closes itself (Asterisk's wrapuptime).",
  }),
  /** Members in the order the queue rings them. */
  memberIds: z.array(z.string().uuid()).max(200),
};

export const createQueueBodySchema = z
  .object({
    name: queueFields.name,
    ringTimeoutSeconds: queueFields.ringTimeoutSeconds.default(20),
    wrapUpSeconds: queueFields.wrapUpSeconds.default(DEFAULT_WRAP_UP_SECONDS),
    memberIds: queueFields.memberIds.default([]),
  })
  .strict()
  .openapi("CreateCallQueueRequest");

export const updateQueueBodySchema = z
  .object({
    name: queueFields.name.optional(),
    ringTimeoutSeconds: queueFields.ringTimeoutSeconds.optional(),
    wrapUpSeconds: queueFields.wrapUpSeconds.optional(),
    memberIds: queueFields.memberIds.optional(),
  })
  .strict()
  .openapi("UpdateCallQueueRequest");

export const queueSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    ringTimeoutSeconds: z.number().int(),
    wrapUpSeconds: z.number().int(),
    members: z.array(
      z.object({ userId: z.string(), name: z.string(), extension: z.string().nullable() }),
    ),
  })
  .openapi("CallQueue");

export const liveQueueSchema = z
  .object({
    name: z.string(),
    /** True for the calls that named no queue (they ring every available agent). */
    direct: z.boolean(),
    waiting: z.array(
      callViewSchema.extend({ position: z.number().int(), waitingSeconds: z.number().int() }),
    ),
    longestWaitSeconds: z.number().int(),
    agents: z.array(agentViewSchema),
  })
  .openapi("LiveCallQueue");
