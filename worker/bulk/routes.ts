import { authenticatedRoute } from "../auth/authenticated-route";
import { ok } from "../lib/envelope";
import { type createRouter, withTenant } from "../lib/hono";
import { errorResponses, jsonBody, jsonResponse } from "../lib/openapi";
import { bulkBodySchema, bulkResultSchema } from "./schemas";
import { runBulkAction } from "./service";

const bulkRoute = authenticatedRoute({
  method: "post",
  path: "/bulk",
  tags: ["Bulk actions"],
  summary:
    "Assign, tag, untag, delete or restore (undo a delete) up to 500 records at once (manager+); records you may not change are skipped",
  request: { body: jsonBody(bulkBodySchema) },
  responses: { 200: jsonResponse(bulkResultSchema, "What changed"), ...errorResponses },
});

export function registerBulkRoutes(app: ReturnType<typeof createRouter>) {
  app.openapi(bulkRoute, async (c) => {
    const body = c.req.valid("json");
    const result = await withTenant(c, (scope) => runBulkAction(scope, body));
    const skipped = result.skipped.length;
    const message = `${result.updated} updated${skipped > 0 ? `, ${skipped} skipped` : ""}.`;
    return c.json(ok(result, message), 200);
  });
}
