import { z } from "@hono/zod-openapi";
import { CALL_DIRECTIONS, CALL_OUTCOMES } from "../../pbx-bridge/src/edge-protocol";
import { CALL_STATUSES } from "../../shared/telephony";
import { instantSchema } from "../lib/dates";
import { csvEnumSchema } from "../lib/openapi";
import { paginationQuerySchema } from "../lib/pagination";
import { callViewSchema } from "./call-view";

export const callSchema = callViewSchema.openapi("Call");

export const callEventViewSchema = z.object({
  id: z.string(),
  type: z.string(),
  occurredAt: z.string(),
  data: z.record(z.string(), z.unknown()),
});

export const callDetailSchema = callViewSchema
  .extend({ events: z.array(callEventViewSchema) })
  .openapi("CallDetail");

export const listCallsQuerySchema = paginationQuerySchema.extend({
  direction: z.enum(CALL_DIRECTIONS).optional(),
  /** Comma-separated statuses, e.g. `missed,busy`. */
  status: csvEnumSchema(CALL_STATUSES).optional(),
  outcome: csvEnumSchema(CALL_OUTCOMES).optional(),
  agentId: z.string().uuid().optional(),
  contactId: z.string().uuid().optional(),
  /** Calls that started at or after this instant. */
  from: instantSchema().optional(),
  /** Calls that started before this instant. */
  to: instantSchema().optional(),
  /** Part of a phone number (digits), matched against both parties. */
  number: z
    .string()
    .trim()
    .regex(/^\+?[0-9]{2,20}$/, "Digits only, optionally with a leading +.")
    .optional(),
});
export type ListCallsQuery = z.infer<typeof listCallsQuerySchema>;

export const placeCallBodySchema = z
  .object({
    to: z.string().trim().min(2).max(40).openapi({ example: "+14155550132" }),
    contactId: z.string().uuid().nullable().optional(),
  })
  .strict()
  .openapi("PlaceCallRequest");

export const transferBodySchema = z
  .object({
    to: z
      .string()
      .trim()
      .min(1)
      .max(40)
      .openapi({ description: "An extension (1002) or an external number" }),
  })
  .strict()
  .openapi("TransferCallRequest");

export const recordingBodySchema = z
  .object({ action: z.enum(["start", "stop"]) })
  .strict()
  .openapi("CallRecordingRequest");

export const updateCallBodySchema = z
  .object({
    version: z.number().int().positive(),
    disposition: z.string().trim().max(80).nullable().optional(),
    notes: z.string().max(10_000).nullable().optional(),
    /** Link the call to a contact (e.g. one just created from an unknown number). */
    contactId: z.string().uuid().nullable().optional(),
  })
  .strict()
  .openapi("UpdateCallRequest");
export type UpdateCallBody = z.infer<typeof updateCallBodySchema>;

const wrapUpFields = {
  disposition: z.string().trim().max(80).nullable().optional(),
  notes: z.string().max(10_000).nullable().optional(),
};

export const wrapUpDraftBodySchema = z.object(wrapUpFields).strict().openapi("CallWrapUpDraft");
export type WrapUpDraftBody = z.infer<typeof wrapUpDraftBodySchema>;

export const wrapUpBodySchema = z
  .object({
    /** `complete` writes the notes and disposition to the call; `skip` leaves them. */
    action: z.enum(["complete", "skip"]),
    ...wrapUpFields,
  })
  .strict()
  .openapi("CallWrapUpRequest");
export type WrapUpBody = z.infer<typeof wrapUpBodySchema>;

export const callStatsQuerySchema = z.object({
  from: instantSchema().optional(),
  to: instantSchema().optional(),
});

export const callStatsSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    totals: z.object({
      calls: z.number().int(),
      answered: z.number().int(),
      missed: z.number().int(),
      answerRate: z.number().nullable(),
      talkSeconds: z.number().int(),
    }),
    agents: z.array(
      z.object({
        agentId: z.string(),
        name: z.string(),
        calls: z.number().int(),
        inbound: z.number().int(),
        outbound: z.number().int(),
        answered: z.number().int(),
        answerRate: z.number().nullable(),
        talkSeconds: z.number().int(),
        averageTalkSeconds: z.number().nullable(),
      }),
    ),
    daily: z.array(
      z.object({
        day: z.string(),
        calls: z.number().int(),
        answered: z.number().int(),
        missed: z.number().int(),
      }),
    ),
  })
  .openapi("CallStats");
