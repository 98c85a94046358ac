import { z } from "@hono/zod-openapi";
import {
  editBodySchema,
  linkedRecordFields,
  recordLabelFields,
  recordStampFields,
} from "../crm/field-schemas";
import { parseIsoDate } from "../lib/dates";
import { stageSchema } from "../pipelines/schemas";

const titleSchema = z.string().trim().min(1, "Give the deal a title.").max(200);

/** Integer minor units (cents): 1999 is 19.99. */
export const amountSchema = z
  .number()
  .int("Use whole minor units (cents).")
  .min(0, "The amount cannot be negative.")
  .max(Number.MAX_SAFE_INTEGER);

export const currencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, "Use a 3-letter ISO 4217 code in capitals, such as USD.");

function isCalendarDate(value: string): boolean {
  const parsed = parseIsoDate(`${value}T00:00:00Z`);
  return parsed?.toISOString().startsWith(value) === true;
}

const calendarDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use YYYY-MM-DD.")
  .refine(isCalendarDate, "Not a calendar date.");

const idSchema = z.string().uuid();

export const createDealBodySchema = z
  .object({
    title: titleSchema,
    amount: amountSchema,
    /** Omitted: the organization's currency. */
    currency: currencySchema.optional(),
    expectedCloseDate: calendarDateSchema.nullable().optional(),
    pipelineId: idSchema.optional(),
    stageId: idSchema.optional(),
    ...linkedRecordFields,
  })
  .strict()
  .openapi("CreateDealRequest");

/**
 * Field edits and/or a move. A move names the target `stageId` (or `pipelineId`, meaning its
 * first stage) and `position`, the 0-based index the card takes among the target stage's
 * cards (past the end means last).
 */
export const updateDealBodySchema = editBodySchema({
  title: titleSchema.optional(),
  amount: amountSchema.optional(),
  currency: currencySchema.optional(),
  expectedCloseDate: calendarDateSchema.nullable().optional(),
  pipelineId: idSchema.optional(),
  stageId: idSchema.optional(),
  position: z.number().int().min(0).max(1_000_000).optional(),
  ...linkedRecordFields,
}).openapi("UpdateDealRequest");

export const dealSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    amount: z.number().int(),
    currency: z.string(),
    expectedCloseDate: z.string().nullable(),
    pipelineId: z.string(),
    stageId: z.string(),
    position: z.string(),
    ownerId: z.string().nullable(),
    contactId: z.string().nullable(),
    companyId: z.string().nullable(),
    closedAt: z.string().nullable(),
    ...recordLabelFields,
    ...recordStampFields,
  })
  .openapi("Deal");

export const stageChangeSchema = z
  .object({
    id: z.string(),
    fromStageId: z.string().nullable(),
    toStageId: z.string(),
    changedBy: z.string().nullable(),
    changedAt: z.string(),
  })
  .openapi("DealStageChange");

export const dealDetailSchema = dealSchema
  .extend({ stageHistory: z.array(stageChangeSchema) })
  .openapi("DealDetail");

export const boardQuerySchema = z.object({
  pipelineId: idSchema.optional(),
  /** Cards returned per stage (the count and totals always cover every card). */
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

export const boardSchema = z
  .object({
    pipeline: z.object({ id: z.string(), name: z.string(), isDefault: z.boolean() }),
    stages: z.array(
      stageSchema.extend({
        count: z.number().int(),
        totalAmount: z.number().int(),
        amountByCurrency: z.record(z.string(), z.number().int()),
        deals: z.array(dealSchema),
      }),
    ),
  })
  .openapi("DealBoard");

export type CreateDealBody = z.infer<typeof createDealBodySchema>;
export type UpdateDealBody = z.infer<typeof updateDealBodySchema>;
