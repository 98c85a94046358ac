import { z } from "@hono/zod-openapi";
import { ACTIVITY_TYPES } from "../activities/schemas";

export const dashboardQuerySchema = z.object({
  pipelineId: z.string().uuid().optional(),
});

const currencyTotalSchema = z.object({
  currency: z.string(),
  count: z.number().int(),
  /** Integer minor units (cents). */
  amount: z.number(),
});

export const dashboardSchema = z
  .object({
    pipeline: z.object({ id: z.string(), name: z.string() }),
    stages: z.array(
      z.object({
        stageId: z.string(),
        name: z.string(),
        position: z.number().int(),
        isWon: z.boolean(),
        isLost: z.boolean(),
        count: z.number().int(),
        totals: z.array(currencyTotalSchema),
      }),
    ),
    wonByMonth: z.array(
      z.object({
        /** YYYY-MM (UTC), oldest first, the current month last. */
        month: z.string(),
        count: z.number().int(),
        totals: z.array(currencyTotalSchema),
      }),
    ),
    activitiesByUser: z.array(
      z.object({
        userId: z.string(),
        name: z.string(),
        total: z.number().int(),
        byType: z.record(z.enum(ACTIVITY_TYPES), z.number().int()),
      }),
    ),
  })
  .openapi("Dashboard");
