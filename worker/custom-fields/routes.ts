import { z } from "@hono/zod-openapi";
import { authenticatedRoute } from "../auth/authenticated-route";
import { ok } from "../lib/envelope";
import { type createRouter, withTenant } from "../lib/hono";
import { errorResponses, idParamSchema, jsonBody, jsonResponse } from "../lib/openapi";
import {
  createCustomFieldBodySchema,
  customFieldListQuerySchema,
  customFieldSchema,
  updateCustomFieldBodySchema,
} from "./schemas";
import {
  createCustomField,
  deleteCustomField,
  listCustomFields,
  updateCustomField,
} from "./service";

const tags = ["Custom fields"];

const listRoute = authenticatedRoute({
  method: "get",
  path: "/custom-fields",
  tags,
  summary: "Custom field definitions, optionally of one entity",
  request: { query: customFieldListQuerySchema },
  responses: { 200: jsonResponse(z.array(customFieldSchema), "Definitions"), ...errorResponses },
});

const createRouteDef = authenticatedRoute({
  method: "post",
  path: "/custom-fields",
  tags,
  summary: "Define a custom field (admin+)",
  request: { body: jsonBody(createCustomFieldBodySchema) },
  responses: { 201: jsonResponse(customFieldSchema, "Created"), ...errorResponses },
});

const updateRoute = authenticatedRoute({
  method: "patch",
  path: "/custom-fields/{id}",
  tags,
  summary: "Change a custom field's label, options, required flag or position (admin+)",
  request: { params: idParamSchema, body: jsonBody(updateCustomFieldBodySchema) },
  responses: { 200: jsonResponse(customFieldSchema, "Updated"), ...errorResponses },
});

const deleteRoute = authenticatedRoute({
  method: "delete",
  path: "/custom-fields/{id}",
  tags,
  summary: "Delete a custom field and its stored values (admin+)",
  request: { params: idParamSchema },
  responses: { 200: jsonResponse(customFieldSchema, "Deleted"), ...errorResponses },
});

export function registerCustomFieldRoutes(app: ReturnType<typeof createRouter>) {
  app.openapi(listRoute, async (c) => {
    const { entity } = c.req.valid("query");
    const rows = await withTenant(c, (scope) => listCustomFields(scope, entity));
    return c.json(ok(rows), 200);
  });

  app.openapi(createRouteDef, async (c) => {
    const body = c.req.valid("json");
    const field = await withTenant(c, (scope) => createCustomField(scope, body));
    return c.json(ok(field, "Custom field created."), 201);
  });

  app.openapi(updateRoute, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const field = await withTenant(c, (scope) => updateCustomField(scope, id, body));
    return c.json(ok(field, "Custom field updated."), 200);
  });

  app.openapi(deleteRoute, async (c) => {
    const { id } = c.req.valid("param");
    const field = await withTenant(c, (scope) => deleteCustomField(scope, id));
    return c.json(ok(field, "Custom field deleted."), 200);
  });
}
