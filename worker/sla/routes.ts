import { z } from "@hono/zod-openapi";
import { authenticatedRoute } from "../auth/authenticated-route";
import { ok } from "../lib/envelope";
import { type createRouter, withTenant } from "../lib/hono";
import { errorResponses, jsonBody, jsonResponse } from "../lib/openapi";
import { slaReport } from "./report";
import {
  businessCalendarSchema,
  putSlaPoliciesBodySchema,
  slaPolicySchema,
  slaReportQuerySchema,
  slaReportRowSchema,
} from "./schemas";
import {
  getBusinessCalendar,
  listSlaPolicies,
  replaceBusinessCalendar,
  replaceSlaPolicies,
} from "./service";

const tags = ["SLA"];

const listPoliciesRoute = authenticatedRoute({
  method: "get",
  path: "/sla/policies",
  tags,
  summary:
    "The SLA policies (targets in minutes): one per priority organization-wide, and any scoped to a team and/or ticket type",
  responses: { 200: jsonResponse(z.array(slaPolicySchema), "Policies"), ...errorResponses },
});

const putPoliciesRoute = authenticatedRoute({
  method: "put",
  path: "/sla/policies",
  tags,
  summary:
    "Replace the SLA policies (admin+): the whole set, organization-wide and scoped; a priority or scope left out has none. A ticket takes the most specific match (team and type, team, type, organization-wide)",
  request: { body: jsonBody(putSlaPoliciesBodySchema) },
  responses: { 200: jsonResponse(z.array(slaPolicySchema), "Policies"), ...errorResponses },
});

const getCalendarRoute = authenticatedRoute({
  method: "get",
  path: "/sla/calendar",
  tags,
  summary: "Business hours (per weekday, Sunday first) and holidays that SLA targets count in",
  responses: { 200: jsonResponse(businessCalendarSchema, "Calendar"), ...errorResponses },
});

const putCalendarRoute = authenticatedRoute({
  method: "put",
  path: "/sla/calendar",
  tags,
  summary: "Replace the business hours and holidays (admin+)",
  request: { body: jsonBody(businessCalendarSchema) },
  responses: { 200: jsonResponse(businessCalendarSchema, "Calendar"), ...errorResponses },
});

const reportRoute = authenticatedRoute({
  method: "get",
  path: "/reports/sla",
  tags: ["Reports"],
  summary: "SLA compliance per team and priority for the tickets opened in a date range",
  request: { query: slaReportQuerySchema },
  responses: { 200: jsonResponse(z.array(slaReportRowSchema), "Report"), ...errorResponses },
});

export function registerSlaRoutes(app: ReturnType<typeof createRouter>) {
  app.openapi(reportRoute, async (c) => {
    const range = c.req.valid("query");
    return c.json(ok(await withTenant(c, (scope) => slaReport(scope, range))), 200);
  });

  app.openapi(listPoliciesRoute, async (c) => {
    return c.json(ok(await withTenant(c, listSlaPolicies)), 200);
  });

  app.openapi(putPoliciesRoute, async (c) => {
    const { policies } = c.req.valid("json");
    const saved = await withTenant(c, (scope) => replaceSlaPolicies(scope, policies));
    return c.json(ok(saved, "SLA policies saved."), 200);
  });

  app.openapi(getCalendarRoute, async (c) => {
    return c.json(ok(await withTenant(c, getBusinessCalendar)), 200);
  });

  app.openapi(putCalendarRoute, async (c) => {
    const body = c.req.valid("json");
    const saved = await withTenant(c, (scope) => replaceBusinessCalendar(scope, body));
    return c.json(ok(saved, "Business hours saved."), 200);
  });
}
