import { z } from "@hono/zod-openapi";
import { authenticatedRoute } from "../auth/authenticated-route";
import { listQuerySchema } from "../crm/list-query";
import { ok, page } from "../lib/envelope";
import { type createRouter, withTenant } from "../lib/hono";
import { errorResponses, idParamSchema, jsonBody, jsonResponse } from "../lib/openapi";
import {
  companyDetailSchema,
  companySchema,
  createCompanyBodySchema,
  updateCompanyBodySchema,
} from "./schemas";
import {
  createCompany,
  deleteCompany,
  getCompany,
  listCompanies,
  restoreCompany,
  updateCompany,
} from "./service";

const tags = ["Companies"];

const listRoute = authenticatedRoute({
  method: "get",
  path: "/companies",
  tags,
  summary: "Companies",
  description:
    "Sort by name, createdAt or updatedAt ('-' for descending). Filters: " +
    "filter.<field>[.gte|.gt|.lte|.lt|.contains|.isEmpty] on name, domain, industry, size, " +
    "ownerId, tags, createdAt, updatedAt; filter.cf.<key> for custom fields. `q` searches " +
    "names, domains and industries, typos included. deleted=true lists the soft-deleted ones.",
  request: { query: listQuerySchema },
  responses: { 200: jsonResponse(z.array(companySchema), "Companies"), ...errorResponses },
});

const createRouteDef = authenticatedRoute({
  method: "post",
  path: "/companies",
  tags,
  summary: "Create a company (agent+)",
  request: { body: jsonBody(createCompanyBodySchema) },
  responses: { 201: jsonResponse(companyDetailSchema, "Created"), ...errorResponses },
});

const getRoute = authenticatedRoute({
  method: "get",
  path: "/companies/{id}",
  tags,
  summary: "A company, with its number of contacts and open deals",
  request: { params: idParamSchema },
  responses: { 200: jsonResponse(companyDetailSchema, "Company"), ...errorResponses },
});

const updateRoute = authenticatedRoute({
  method: "patch",
  path: "/companies/{id}",
  tags,
  summary: "Change a company; send `version` to be refused (409) if it changed meanwhile",
  request: { params: idParamSchema, body: jsonBody(updateCompanyBodySchema) },
  responses: { 200: jsonResponse(companyDetailSchema, "Updated"), ...errorResponses },
});

const deleteRoute = authenticatedRoute({
  method: "delete",
  path: "/companies/{id}",
  tags,
  summary: "Delete a company (restorable for 30 days; its contacts stay)",
  request: { params: idParamSchema },
  responses: { 200: jsonResponse(z.null(), "Deleted"), ...errorResponses },
});

const restoreRoute = authenticatedRoute({
  method: "post",
  path: "/companies/{id}/restore",
  tags,
  summary: "Restore a deleted company",
  request: { params: idParamSchema },
  responses: { 200: jsonResponse(companyDetailSchema, "Restored"), ...errorResponses },
});

export function registerCompanyRoutes(app: ReturnType<typeof createRouter>) {
  app.openapi(listRoute, async (c) => {
    const query = c.req.valid("query");
    const result = await withTenant(c, (scope) => listCompanies(scope, query));
    return c.json(page(result.rows, { nextCursor: result.nextCursor, limit: query.limit }), 200);
  });

  app.openapi(createRouteDef, async (c) => {
    const body = c.req.valid("json");
    const company = await withTenant(c, (scope) => createCompany(scope, body));
    return c.json(ok(company, "Company created."), 201);
  });

  app.openapi(getRoute, async (c) => {
    const { id } = c.req.valid("param");
    const company = await withTenant(c, (scope) => getCompany(scope, id));
    return c.json(ok(company), 200);
  });

  app.openapi(updateRoute, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const company = await withTenant(c, (scope) => updateCompany(scope, id, body));
    return c.json(ok(company, "Company updated."), 200);
  });

  app.openapi(deleteRoute, async (c) => {
    const { id } = c.req.valid("param");
    await withTenant(c, (scope) => deleteCompany(scope, id));
    return c.json(ok(null, "Company deleted. You can restore it for 30 days."), 200);
  });

  app.openapi(restoreRoute, async (c) => {
    const { id } = c.req.valid("param");
    const company = await withTenant(c, (scope) => restoreCompany(scope, id));
    return c.json(ok(company, "Company restored."), 200);
  });
}
