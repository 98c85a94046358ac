import { z } from "@hono/zod-openapi";

/*
 * Request fields that every CRM record shares (contacts, companies, leads, deals).
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
