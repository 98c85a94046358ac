import { authenticatedRoute } from "../auth/authenticated-route";
import { ok } from "../lib/envelope";
import { type createRouter, withTenant } from "../lib/hono";
import { errorResponses, jsonResponse } from "../lib/openapi";
import { dashboardQuerySchema, dashboardSchema } from "./schemas";
import { dashboard } from "./service";

const dashboardRoute = authenticatedRoute({
  method: "get",
  path: "/reports/dashboard",
  tags: ["Reports"],
  summary:
    "Pipeline by stage, deals won per month (12 months) and activities per user (30 days); the default pipeline unless pipelineId",
  request: { query: dashboardQuerySchema },
  responses: { 200: jsonResponse(dashboardSchema, "Dashboard"), ...errorResponses },
});

export function registerReportRoutes(app: ReturnType<typeof createRouter>) {
  app.openapi(dashboardRoute, async (c) => {
    const { pipelineId } = c.req.valid("query");
    const report = await withTenant(c, (scope) => dashboard(scope, pipelineId));
    return c.json(ok(report), 200);
  });
}
