import { authenticatedRoute } from "../auth/authenticated-route";
import { ok } from "../lib/envelope";
import { type createRouter, withTenant } from "../lib/hono";
import { errorResponses, jsonResponse } from "../lib/openapi";
import { csatReport } from "./report";
import { csatReportQuerySchema, csatReportSchema } from "./schemas";

const reportRoute = authenticatedRoute({
  method: "get",
  path: "/reports/csat",
  tags: ["Reports"],
  summary:
    "Customer satisfaction (CSAT) for the surveys sent in a date range: overall, per team, per agent and per priority",
  description:
    "Sent, answered, response rate (%), average rating (1-5) and satisfied (% of answers rated 4 or 5). Team, agent and priority are the ticket's when it was solved.",
  request: { query: csatReportQuerySchema },
  responses: { 200: jsonResponse(csatReportSchema, "Report"), ...errorResponses },
});

export function registerCsatRoutes(app: ReturnType<typeof createRouter>) {
  app.openapi(reportRoute, async (c) => {
    const range = c.req.valid("query");
    return c.json(ok(await withTenant(c, (scope) => csatReport(scope, range))), 200);
  });
}
