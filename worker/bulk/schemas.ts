import { z } from "@hono/zod-openapi";
import { ownerIdSchema, tagsSchema } from "../crm/field-schemas";
import { crmEntitySchema } from "../custom-fields/schemas";

export const MAX_BULK_IDS = 500;

const target = {
  entity: crmEntitySchema,
  ids: z
    .array(z.string().uuid())
    .min(1, "Select at least one record.")
    .max(MAX_BULK_IDS, `At most ${MAX_BULK_IDS} records at a time.`)
    .transform((ids) => [...new Set(ids)]),
};

const nonEmptyTags = tagsSchema.refine((tags) => tags.length > 0, "Name at least one tag.");

export const bulkBodySchema = z
  .discriminatedUnion("action", [
    z.object({ ...target, action: z.literal("assign"), ownerId: ownerIdSchema }).strict(),
    z.object({ ...target, action: z.literal("tag"), tags: nonEmptyTags }).strict(),
    z.object({ ...target, action: z.literal("untag"), tags: nonEmptyTags }).strict(),
    z.object({ ...target, action: z.literal("delete") }).strict(),
    /** Undo of a bulk delete: records deleted in the last 30 days come back. */
    z.object({ ...target, action: z.literal("restore") }).strict(),
  ])
  .openapi("BulkRequest");
export type BulkBody = z.infer<typeof bulkBodySchema>;

export const SKIP_REASONS = ["not_found", "forbidden", "unchanged"] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export const bulkResultSchema = z
  .object({
    updated: z.number().int(),
    skipped: z.array(z.object({ id: z.string(), reason: z.enum(SKIP_REASONS) })),
  })
  .openapi("BulkResult");
