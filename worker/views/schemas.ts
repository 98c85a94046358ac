import { z } from "@hono/zod-openapi";
import { crmEntitySchema } from "../custom-fields/schemas";

/** Saved list parameters: `q`, `deleted` and `filter.*` keys, as the list endpoints take them. */
const filterKey = z
  .string()
  .regex(/^(q|deleted|filter\.[A-Za-z0-9_]+(\.[A-Za-z0-9_]+){0,2})$/, "Unknown list parameter.");

const filtersSchema = z
  .record(filterKey, z.union([z.string().max(500), z.number(), z.boolean()]))
  .refine((filters) => Object.keys(filters).length <= 50, "At most 50 filters.");

export const viewDefinitionSchema = z
  .object({
    filters: filtersSchema.default({}),
    sort: z
      .string()
      .regex(/^-?[A-Za-z0-9_.]{1,63}$/, "Expected a field name, optionally prefixed with -.")
      .nullable()
      .default(null),
    columns: z.array(z.string().min(1).max(80)).max(50).default([]),
  })
  .strict()
  .openapi("ViewDefinition");

const nameSchema = z.string().trim().min(1, "Name the view.").max(80);

export const createViewBodySchema = z
  .object({
    entity: crmEntitySchema,
    name: nameSchema,
    definition: viewDefinitionSchema,
    shared: z.boolean().optional(),
  })
  .strict()
  .openapi("CreateViewRequest");
export type CreateViewBody = z.infer<typeof createViewBodySchema>;

export const updateViewBodySchema = z
  .object({
    name: nameSchema.optional(),
    definition: viewDefinitionSchema.optional(),
    shared: z.boolean().optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, { message: "Send at least one change." })
  .openapi("UpdateViewRequest");
export type UpdateViewBody = z.infer<typeof updateViewBodySchema>;

export const viewListQuerySchema = z.object({ entity: crmEntitySchema.optional() });

export const viewSchema = z
  .object({
    id: z.string(),
    entity: crmEntitySchema,
    name: z.string(),
    definition: z.object({
      filters: z.record(z.string(), z.unknown()),
      sort: z.string().nullable(),
      columns: z.array(z.string()),
    }),
    shared: z.boolean(),
    ownerId: z.string(),
    /** True when the caller owns the view (and so may change it). */
    mine: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("SavedView");
