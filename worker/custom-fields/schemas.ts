import { z } from "@hono/zod-openapi";
import {
  CRM_ENTITIES,
  CUSTOM_FIELD_ENTITIES,
  CUSTOM_FIELD_TYPES,
  type CustomFieldType,
  OPTION_TYPES,
} from "../../shared/crm";

export const crmEntitySchema = z.enum(CRM_ENTITIES).openapi("CrmEntity");

export const customFieldEntitySchema = z.enum(CUSTOM_FIELD_ENTITIES).openapi("CustomFieldEntity", {
  description:
    "The record kind a field belongs to. On tickets a required field is required to solve (tickets from email and the request form arrive without it).",
});

// The field types are plain vocabulary the browser shares (shared/crm.ts); re-exported here.
export { CUSTOM_FIELD_TYPES, type CustomFieldType, OPTION_TYPES };
export const customFieldTypeSchema = z.enum(CUSTOM_FIELD_TYPES).openapi("CustomFieldType");

const labelSchema = z.string().trim().min(1, "Give the field a label.").max(80);

const optionsSchema = z
  .array(z.string().trim().min(1, "Options cannot be empty.").max(100))
  .max(200)
  .refine((options) => new Set(options).size === options.length, "Options must be unique.");

export const createCustomFieldBodySchema = z
  .object({
    entity: customFieldEntitySchema,
    key: z
      .string()
      .max(40, "At most 40 characters.")
      .regex(
        /^[a-z][a-z0-9_]*$/,
        "Use snake_case: lower-case letters, digits and underscores, starting with a letter.",
      ),
    label: labelSchema,
    type: customFieldTypeSchema,
    options: optionsSchema.optional(),
    required: z.boolean().optional(),
    position: z.number().int().min(0).max(10_000).optional(),
  })
  .strict()
  .openapi("CreateCustomFieldRequest");
export type CreateCustomFieldBody = z.infer<typeof createCustomFieldBodySchema>;

export const updateCustomFieldBodySchema = z
  .object({
    label: labelSchema.optional(),
    options: optionsSchema.optional(),
    required: z.boolean().optional(),
    position: z.number().int().min(0).max(10_000).optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, { message: "Send at least one change." })
  .openapi("UpdateCustomFieldRequest");
export type UpdateCustomFieldBody = z.infer<typeof updateCustomFieldBodySchema>;

export const customFieldListQuerySchema = z.object({ entity: customFieldEntitySchema.optional() });

export const customFieldSchema = z
  .object({
    id: z.string(),
    entity: customFieldEntitySchema,
    key: z.string(),
    label: z.string(),
    type: customFieldTypeSchema,
    options: z.array(z.string()),
    required: z.boolean(),
    position: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("CustomField");
