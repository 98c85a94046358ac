import { z } from "@hono/zod-openapi";
import { authenticatedRoute } from "../auth/authenticated-route";
import { ok } from "../lib/envelope";
import { type createRouter, withTenant } from "../lib/hono";
import { errorResponses, idParamSchema, jsonBody, jsonResponse } from "../lib/openapi";
import { createExportBodySchema, exportJobSchema } from "./schemas";
import { createExport, downloadExport, getExport } from "./service";

const tags = ["Exports"];

const createRouteDef = authenticatedRoute({
  method: "post",
  path: "/exports",
  tags,
  summary: "Export records matching a list query as CSV, in the background (manager+)",
  description:
    "An `export.ready` event on the realtime socket announces the file; then download it from /exports/{id}/download.",
  request: { body: jsonBody(createExportBodySchema) },
  responses: { 202: jsonResponse(exportJobSchema, "Queued"), ...errorResponses },
});

const getRoute = authenticatedRoute({
  method: "get",
  path: "/exports/{id}",
  tags,
  summary: "An export's status (manager+)",
  request: { params: idParamSchema },
  responses: { 200: jsonResponse(exportJobSchema, "Export"), ...errorResponses },
});

const downloadRoute = authenticatedRoute({
  method: "get",
  path: "/exports/{id}/download",
  tags,
  summary: "Download a finished export (manager+); 404 until it is ready",
  request: { params: idParamSchema },
  responses: {
    200: {
      description: "The CSV file (UTF-8 with a byte-order mark, for spreadsheets)",
      content: { "text/csv": { schema: z.string() } },
    },
    ...errorResponses,
  },
});

export function registerExportRoutes(app: ReturnType<typeof createRouter>) {
  app.openapi(createRouteDef, async (c) => {
    const body = c.req.valid("json");
    const job = await withTenant(c, (scope) => createExport(scope, body));
    return c.json(ok(job, "Export queued."), 202);
  });

  app.openapi(getRoute, async (c) => {
    const { id } = c.req.valid("param");
    const job = await withTenant(c, (scope) => getExport(scope, id));
    return c.json(ok(job), 200);
  });

  app.openapi(downloadRoute, async (c) => {
    const { id } = c.req.valid("param");
    const file = await withTenant(c, (scope) => downloadExport(scope, id));
    return c.body(`\uFEFF${file.csv}`, 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${file.fileName}"`,
      "Cache-Control": "no-store",
    });
  });
}
