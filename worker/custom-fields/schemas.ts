import { z } from "@hono/zod-openapi";
import { CRM_ENTITIES } from "../crm/record-tables";

export const crmEntitySchema = z.enum(CRM_ENTITIES).openapi("CrmEntity");

export const CUSTOM_FIELD_TYPES = [
  "text",
  "number",
  "date",
  "select",
  "multi_select",
  "checkbox",
  "url",
] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];
export const customFieldTypeSchema = z.enum(CUSTOM_FIELD_TYPES).openapi("CustomFieldType");

/** Types whose values come from `options`. */
export const OPTION_TYPES: readonly CustomFieldType[] = ["select", "multi_select"];

const labelSchema = z.string().trim().min(1, "Give the field a label.").max(80);

const optionsSchema = z
  .array(z.string().trim().min(1, "Options cannot be empty.").max(100))
  .max(200)
  .refine((options) => new Set(options).size === options.length, "Options must be unique.");

export const createCustomFieldBodySchema = z
  .object({
    entity: crmEntitySchema,
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

export const customFieldListQuerySchema = z.object({ entity: crmEntitySchema.optional() });

export const customFieldSchema = z
  .object({
    id: z.string(),
    entity: crmEntitySchema,
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
