import { z } from "@hono/zod-openapi";
import { authenticatedRoute } from "../auth/authenticated-route";
import { ok } from "../lib/envelope";
import { type createRouter, withTenant } from "../lib/hono";
import { errorResponses, idParamSchema, jsonBody, jsonResponse } from "../lib/openapi";
import {
  createViewBodySchema,
  updateViewBodySchema,
  viewListQuerySchema,
  viewSchema,
} from "./schemas";
import { createView, deleteView, listViews, updateView } from "./service";

const tags = ["Saved views"];

const listRoute = authenticatedRoute({
  method: "get",
  path: "/views",
  tags,
  summary: "My saved views and those shared in the organization",
  request: { query: viewListQuerySchema },
  responses: { 200: jsonResponse(z.array(viewSchema), "Saved views"), ...errorResponses },
});

const createRouteDef = authenticatedRoute({
  method: "post",
  path: "/views",
  tags,
  summary: "Save a list's filters, sort and columns as a view",
  request: { body: jsonBody(createViewBodySchema) },
  responses: { 201: jsonResponse(viewSchema, "Created"), ...errorResponses },
});

const updateRoute = authenticatedRoute({
  method: "patch",
  path: "/views/{id}",
  tags,
  summary: "Change one of my saved views",
  request: { params: idParamSchema, body: jsonBody(updateViewBodySchema) },
  responses: { 200: jsonResponse(viewSchema, "Updated"), ...errorResponses },
});

const deleteRoute = authenticatedRoute({
  method: "delete",
  path: "/views/{id}",
  tags,
  summary: "Delete one of my saved views",
  request: { params: idParamSchema },
  responses: { 200: jsonResponse(viewSchema, "Deleted"), ...errorResponses },
});

export function registerViewRoutes(app: ReturnType<typeof createRouter>) {
  app.openapi(listRoute, async (c) => {
    const { entity } = c.req.valid("query");
    const rows = await withTenant(c, (scope) => listViews(scope, entity));
    return c.json(ok(rows), 200);
  });

  app.openapi(createRouteDef, async (c) => {
    const body = c.req.valid("json");
    const view = await withTenant(c, (scope) => createView(scope, body));
    return c.json(ok(view, "View saved."), 201);
  });

  app.openapi(updateRoute, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const view = await withTenant(c, (scope) => updateView(scope, id, body));
    return c.json(ok(view, "View updated."), 200);
  });

  app.openapi(deleteRoute, async (c) => {
    const { id } = c.req.valid("param");
    const view = await withTenant(c, (scope) => deleteView(scope, id));
    return c.json(ok(view, "View deleted."), 200);
  });
}
