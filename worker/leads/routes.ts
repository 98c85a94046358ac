import { z } from "@hono/zod-openapi";
import { authenticatedRoute } from "../auth/authenticated-route";
import { listQuerySchema } from "../crm/list-query";
import { dealSchema } from "../deals/schemas";
import { ok, page } from "../lib/envelope";
import { type createRouter, withTenant } from "../lib/hono";
import { errorResponses, idParamSchema, jsonBody, jsonResponse } from "../lib/openapi";
import { convertLead } from "./convert";
import {
  convertLeadBodySchema,
  createLeadBodySchema,
  leadSchema,
  updateLeadBodySchema,
} from "./schemas";
import { createLead, deleteLead, getLead, listLeads, restoreLead, updateLead } from "./service";

const tags = ["Leads"];

const conversionSchema = z
  .object({
    lead: leadSchema,
    deal: dealSchema,
    contactId: z.string().nullable(),
    companyId: z.string().nullable(),
  })
  .openapi("LeadConversion");

const listRoute = authenticatedRoute({
  method: "get",
  path: "/leads",
  tags,
  summary: "Leads (filter.*, sort, q; ?deleted=true for the restorable ones)",
  request: { query: listQuerySchema },
  responses: { 200: jsonResponse(z.array(leadSchema), "Leads"), ...errorResponses },
});

const createRouteDef = authenticatedRoute({
  method: "post",
  path: "/leads",
  tags,
  summary: "Create a lead",
  request: { body: jsonBody(createLeadBodySchema) },
  responses: { 201: jsonResponse(leadSchema, "Created"), ...errorResponses },
});

const getRoute = authenticatedRoute({
  method: "get",
  path: "/leads/{id}",
  tags,
  summary: "One lead",
  request: { params: idParamSchema },
  responses: { 200: jsonResponse(leadSchema, "Lead"), ...errorResponses },
});

const updateRoute = authenticatedRoute({
  method: "patch",
  path: "/leads/{id}",
  tags,
  summary: "Edit a lead; `version` guards stale edits",
  request: { params: idParamSchema, body: jsonBody(updateLeadBodySchema) },
  responses: { 200: jsonResponse(leadSchema, "Updated"), ...errorResponses },
});

const deleteRoute = authenticatedRoute({
  method: "delete",
  path: "/leads/{id}",
  tags,
  summary: "Delete a lead (restorable for 30 days)",
  request: { params: idParamSchema },
  responses: { 200: jsonResponse(leadSchema, "Deleted"), ...errorResponses },
});

const restoreRoute = authenticatedRoute({
  method: "post",
  path: "/leads/{id}/restore",
  tags,
  summary: "Restore a deleted lead",
  request: { params: idParamSchema },
  responses: { 200: jsonResponse(leadSchema, "Restored"), ...errorResponses },
});

const convertRoute = authenticatedRoute({
  method: "post",
  path: "/leads/{id}/convert",
  tags,
  summary: "Convert a lead: create or link its contact and company and open a deal (once)",
  request: { params: idParamSchema, body: jsonBody(convertLeadBodySchema) },
  responses: { 201: jsonResponse(conversionSchema, "Converted"), ...errorResponses },
});

export function registerLeadRoutes(app: ReturnType<typeof createRouter>) {
  app.openapi(listRoute, async (c) => {
    const query = c.req.valid("query");
    const result = await withTenant(c, (scope) => listLeads(scope, query));
    return c.json(page(result.rows, { nextCursor: result.nextCursor, limit: query.limit }), 200);
  });

  app.openapi(createRouteDef, async (c) => {
    const body = c.req.valid("json");
    const lead = await withTenant(c, (scope) => createLead(scope, body));
    return c.json(ok(lead, "Lead created."), 201);
  });

  app.openapi(getRoute, async (c) => {
    const { id } = c.req.valid("param");
    return c.json(ok(await withTenant(c, (scope) => getLead(scope, id))), 200);
  });

  app.openapi(updateRoute, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const lead = await withTenant(c, (scope) => updateLead(scope, id, body));
    return c.json(ok(lead, "Lead updated."), 200);
  });

  app.openapi(deleteRoute, async (c) => {
    const { id } = c.req.valid("param");
    const lead = await withTenant(c, (scope) => deleteLead(scope, id));
    return c.json(ok(lead, "Lead deleted. You can restore it for 30 days."), 200);
  });

  app.openapi(restoreRoute, async (c) => {
    const { id } = c.req.valid("param");
    const lead = await withTenant(c, (scope) => restoreLead(scope, id));
    return c.json(ok(lead, "Lead restored."), 200);
  });

  app.openapi(convertRoute, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const result = await withTenant(c, (scope) => convertLead(scope, id, body));
    return c.json(ok(result, "Lead converted."), 201);
  });
}
