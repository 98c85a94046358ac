import { z } from "@hono/zod-openapi";
import { CRM_ENTITIES } from "../crm/record-tables";

export const exportEntitySchema = z.enum(CRM_ENTITIES);

export const createExportBodySchema = z
  .object({
    entity: exportEntitySchema,
    query: z
      .record(z.string().max(100), z.string().max(500))
      .default({})
      .openapi({
        description:
          "The entity's list query parameters (filter.*, q, sort, deleted); limit and cursor are ignored: every matching record is exported.",
        example: { "filter.status": "new", q: "acme", sort: "-createdAt" },
      }),
  })
  .strict()
  .openapi("CreateExportRequest");

export type CreateExportBody = z.infer<typeof createExportBodySchema>;

export const exportJobSchema = z
  .object({
    id: z.string(),
    entity: exportEntitySchema,
    status: z.enum(["pending", "running", "completed", "failed"]),
    query: z.record(z.string(), z.unknown()),
    rowCount: z.number().int().nullable(),
    downloadUrl: z.string().nullable(),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    completedAt: z.string().nullable(),
  })
  .openapi("ExportJob");
