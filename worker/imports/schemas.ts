import { z } from "@hono/zod-openapi";
import { CRM_ENTITIES } from "../crm/record-tables";

export const importEntitySchema = z.enum(CRM_ENTITIES);

const csvSchema = z
  .string()
  .min(1, "Upload a CSV file.")
  .openapi({ description: "The file's text. The first row holds the column names." });

export const importPreviewBodySchema = z
  .object({ entity: importEntitySchema, csv: csvSchema })
  .strict()
  .openapi("ImportPreviewRequest");

export const createImportBodySchema = z
  .object({
    entity: importEntitySchema,
    csv: csvSchema,
    mapping: z.record(z.string().max(200), z.string().max(80)).openapi({
      description:
        'CSV column name -> field ("firstName", "email", ... or "cf.<key>" for a custom field; "" skips the column).',
      example: { "First Name": "firstName", "E-mail": "email", Segment: "cf.segment" },
    }),
    duplicates: z.enum(["skip", "update", "create"]).default("skip").openapi({
      description:
        "Rows matching an existing record (contacts: email or phone; companies: domain; leads and deals: title): leave it, update it with the row's non-empty values, or create another record anyway.",
    }),
  })
  .strict()
  .openapi("CreateImportRequest");

export type ImportPreviewBody = z.infer<typeof importPreviewBodySchema>;
export type CreateImportBody = z.infer<typeof createImportBodySchema>;

export const importRowErrorSchema = z
  .object({
    row: z.number().int().openapi({ description: "Row in the file; the header row is row 1." }),
    column: z.string().nullable(),
    message: z.string(),
  })
  .openapi("ImportRowError");

const countsShape = {
  totalRows: z.number().int(),
  processedRows: z.number().int(),
  createdRows: z.number().int(),
  updatedRows: z.number().int(),
  skippedRows: z.number().int(),
  failedRows: z.number().int(),
};

export const importJobSchema = z
  .object({
    id: z.string(),
    entity: importEntitySchema,
    status: z.enum(["pending", "running", "completed", "failed"]),
    duplicates: z.enum(["skip", "update", "create"]),
    mapping: z.record(z.string(), z.string()),
    ...countsShape,
    errors: z.array(importRowErrorSchema).openapi({ description: "The first 500 row errors." }),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    completedAt: z.string().nullable(),
  })
  .openapi("ImportJob");

export const importJobSummarySchema = importJobSchema
  .omit({ mapping: true, errors: true })
  .openapi("ImportJobSummary");

export const importReportSchema = z
  .object({
    job: importJobSchema,
    totalRows: z.number().int(),
    validRows: z.number().int(),
    errors: z.array(importRowErrorSchema).openapi({ description: "The first 500 problems." }),
  })
  .openapi("ImportValidationReport");

export const importFieldSchema = z
  .object({
    key: z.string(),
    label: z.string(),
    required: z.boolean(),
    multiple: z.boolean().openapi({ description: "Several columns may feed it." }),
  })
  .openapi("ImportField");

export const importPreviewSchema = z
  .object({
    headers: z.array(z.string()),
    rows: z.array(z.array(z.string())).openapi({ description: "The first five data rows." }),
    suggestedMapping: z.record(z.string(), z.string()),
    fields: z.array(importFieldSchema),
  })
  .openapi("ImportPreview");
