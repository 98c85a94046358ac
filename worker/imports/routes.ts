import { z } from "@hono/zod-openapi";
import { authenticatedRoute } from "../auth/authenticated-route";
import { ok, page } from "../lib/envelope";
import { type createRouter, withTenant } from "../lib/hono";
import { errorResponses, idParamSchema, jsonBody, jsonResponse } from "../lib/openapi";
import { paginationQuerySchema } from "../lib/pagination";
import {
  createImportBodySchema,
  importJobSchema,
  importJobSummarySchema,
  importPreviewBodySchema,
  importPreviewSchema,
  importReportSchema,
} from "./schemas";
import { createImport, getImport, listImports, previewImport, startImport } from "./service";

const tags = ["Imports"];

const previewRoute = authenticatedRoute({
  method: "post",
  path: "/imports/preview",
  tags,
  summary: "Read a CSV's headers and first rows and suggest a column mapping (manager+)",
  description: "Send the start of the file (up to 1 MiB): only the first rows are read.",
  request: { body: jsonBody(importPreviewBodySchema) },
  responses: { 200: jsonResponse(importPreviewSchema, "Preview"), ...errorResponses },
});

const createRouteDef = authenticatedRoute({
  method: "post",
  path: "/imports",
  tags,
  summary: "Upload and validate a CSV import (manager+); start it with /imports/{id}/start",
  description:
    "Every row is checked now (required fields, emails, phones, numbers, dates, choices, custom fields). The file (up to 64 MiB) is stored with the job; the report lists the first 500 problems.",
  request: { body: jsonBody(createImportBodySchema) },
  responses: { 201: jsonResponse(importReportSchema, "Validated and stored"), ...errorResponses },
});

const startRoute = authenticatedRoute({
  method: "post",
  path: "/imports/{id}/start",
  tags,
  summary: "Run a validated import in the background (manager+)",
  description:
    "Rows are imported in chunks of 1000 on the job queue; `import.progress` events report each chunk on the realtime socket.",
  request: { params: idParamSchema },
  responses: { 202: jsonResponse(importJobSchema, "Started"), ...errorResponses },
});

const getRoute = authenticatedRoute({
  method: "get",
  path: "/imports/{id}",
  tags,
  summary: "An import's status, counters and row errors (manager+)",
  request: { params: idParamSchema },
  responses: { 200: jsonResponse(importJobSchema, "Import"), ...errorResponses },
});

const listRoute = authenticatedRoute({
  method: "get",
  path: "/imports",
  tags,
  summary: "Recent imports, newest first (manager+)",
  request: { query: paginationQuerySchema.strict() },
  responses: { 200: jsonResponse(z.array(importJobSummarySchema), "Imports"), ...errorResponses },
});

export function registerImportRoutes(app: ReturnType<typeof createRouter>) {
  app.openapi(previewRoute, async (c) => {
    const body = c.req.valid("json");
    const preview = await withTenant(c, (scope) => previewImport(scope, body));
    return c.json(ok(preview), 200);
  });

  app.openapi(createRouteDef, async (c) => {
    const body = c.req.valid("json");
    const report = await withTenant(c, (scope) => createImport(scope, body));
    const message =
      report.validRows === report.totalRows
        ? "Every row is valid. Start the import when ready."
        : `${report.totalRows - report.validRows} of ${report.totalRows} rows have problems; they will be skipped.`;
    return c.json(ok(report, message), 201);
  });

  app.openapi(startRoute, async (c) => {
    const { id } = c.req.valid("param");
    const job = await withTenant(c, (scope) => startImport(scope, id));
    return c.json(ok(job, "Import started."), 202);
  });

  app.openapi(getRoute, async (c) => {
    const { id } = c.req.valid("param");
    const job = await withTenant(c, (scope) => getImport(scope, id));
    return c.json(ok(job), 200);
  });

  app.openapi(listRoute, async (c) => {
    const query = c.req.valid("query");
    const result = await withTenant(c, (scope) => listImports(scope, query));
    return c.json(page(result.rows, { nextCursor: result.nextCursor, limit: query.limit }), 200);
  });
}
