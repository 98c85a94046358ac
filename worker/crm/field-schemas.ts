import { z } from "@hono/zod-openapi";

/*
 * Request and response fields that every CRM record shares (contacts, companies, leads, deals).
 */

/** Free-form labels; trimmed, de-duplicated, at most 50 of 50 characters each. */
export const tagsSchema = z
  .array(z.string().trim().min(1, "Empty tag.").max(50))
  .max(50)
  .transform((tags) => [...new Set(tags)]);

/** Custom field values by key; checked against the definitions by `validateCustomValues`. */
export const customValuesSchema = z
  .record(z.string().max(40), z.unknown())
  .openapi({ description: "Custom field values by key (see /custom-fields)." });

/** The version the edit is based on; a stale one is refused with 409. */
export const versionSchema = z.number().int().min(1).optional();

export const ownerIdSchema = z.string().uuid().nullable();

/** Optional text that `null` or "" clears. */
export function clearableText(max: number) {
  return z
    .string()
    .trim()
    .max(max)
    .nullable()
    .transform((value) => (value ? value : null));
}

const idSchema = z.string().uuid();

/** What a lead or deal may be given besides its own fields: owner, links, tags, custom values. */
export const linkedRecordFields = {
  ownerId: ownerIdSchema.optional(),
  contactId: idSchema.nullable().optional(),
  companyId: idSchema.nullable().optional(),
  tags: tagsSchema.optional(),
  custom: customValuesSchema.optional(),
};

/** An edit: the fields to change (optional each) and the version, with at least one field. */
export function editBodySchema<Shape extends z.ZodRawShape>(fields: Shape) {
  return z
    .object({ ...fields, version: versionSchema })
    .strict()
    .refine((body) => Object.keys(body).some((key) => key !== "version"), {
      message: "Send at least one field to change.",
    });
}

/** A record's labels and custom values as answered. */
export const recordLabelFields = {
  tags: z.array(z.string()),
  custom: z.record(z.string(), z.unknown()),
};

/** A record's version and timestamps as answered; they end every record. */
export const recordStampFields = {
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  deletedAt: z.string().nullable(),
};
