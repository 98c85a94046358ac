import { z } from "@hono/zod-openapi";
import { authenticatedRoute } from "../auth/authenticated-route";
import { listQuerySchema } from "../crm/list-query";
import { ok, page } from "../lib/envelope";
import { type createRouter, withTenant } from "../lib/hono";
import { errorResponses, idParamSchema, jsonBody, jsonResponse } from "../lib/openapi";
import { getBoard, listDeals } from "./list";
import {
  boardQuerySchema,
  boardSchema,
  createDealBodySchema,
  dealDetailSchema,
  dealSchema,
  updateDealBodySchema,
} from "./schemas";
import { createDeal, deleteDeal, getDeal, restoreDeal, updateDeal } from "./service";

const tags = ["Deals"];

const listRoute = authenticatedRoute({
  method: "get",
  path: "/deals",
  tags,
  summary: "Deals (filter.*, sort, q; ?deleted=true for the restorable ones)",
  request: { query: listQuerySchema },
  responses: { 200: jsonResponse(z.array(dealSchema), "Deals"), ...errorResponses },
});

const boardRoute = authenticatedRoute({
  method: "get",
  path: "/deals/board",
  tags,
  summary: "The kanban of a pipeline (the default one unless named)",
  request: { query: boardQuerySchema },
  responses: { 200: jsonResponse(boardSchema, "Board"), ...errorResponses },
});

const createRouteDef = authenticatedRoute({
  method: "post",
  path: "/deals",
  tags,
  summary: "Open a deal (at the end of its stage)",
  request: { body: jsonBody(createDealBodySchema) },
  responses: { 201: jsonResponse(dealSchema, "Created"), ...errorResponses },
});

const getRoute = authenticatedRoute({
  method: "get",
  path: "/deals/{id}",
  tags,
  summary: "One deal with its stage history",
  request: { params: idParamSchema },
  responses: { 200: jsonResponse(dealDetailSchema, "Deal"), ...errorResponses },
});

const updateRoute = authenticatedRoute({
  method: "patch",
  path: "/deals/{id}",
  tags,
  summary: "Edit a deal and/or move it ({ stageId, position }); `version` guards stale edits",
  request: { params: idParamSchema, body: jsonBody(updateDealBodySchema) },
  responses: { 200: jsonResponse(dealSchema, "Updated"), ...errorResponses },
});

const deleteRoute = authenticatedRoute({
  method: "delete",
  path: "/deals/{id}",
  tags,
  summary: "Delete a deal (restorable for 30 days)",
  request: { params: idParamSchema },
  responses: { 200: jsonResponse(dealSchema, "Deleted"), ...errorResponses },
});

const restoreRoute = authenticatedRoute({
  method: "post",
  path: "/deals/{id}/restore",
  tags,
  summary: "Restore a deleted deal",
  request: { params: idParamSchema },
  responses: { 200: jsonResponse(dealSchema, "Restored"), ...errorResponses },
});

export function registerDealRoutes(app: ReturnType<typeof createRouter>) {
  app.openapi(listRoute, async (c) => {
    const query = c.req.valid("query");
    const result = await withTenant(c, (scope) => listDeals(scope, query));
    return c.json(page(result.rows, { nextCursor: result.nextCursor, limit: query.limit }), 200);
  });

  // Before /deals/{id}, so "board" is not taken for an id.
  app.openapi(boardRoute, async (c) => {
    const query = c.req.valid("query");
    return c.json(ok(await withTenant(c, (scope) => getBoard(scope, query))), 200);
  });

  app.openapi(createRouteDef, async (c) => {
    const body = c.req.valid("json");
    const deal = await withTenant(c, (scope) => createDeal(scope, body));
    return c.json(ok(deal, "Deal created."), 201);
  });

  app.openapi(getRoute, async (c) => {
    const { id } = c.req.valid("param");
    return c.json(ok(await withTenant(c, (scope) => getDeal(scope, id))), 200);
  });

  app.openapi(updateRoute, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const deal = await withTenant(c, (scope) => updateDeal(scope, id, body));
    return c.json(ok(deal, "Deal updated."), 200);
  });

  app.openapi(deleteRoute, async (c) => {
    const { id } = c.req.valid("param");
    const deal = await withTenant(c, (scope) => deleteDeal(scope, id));
    return c.json(ok(deal, "Deal deleted. You can restore it for 30 days."), 200);
  });

  app.openapi(restoreRoute, async (c) => {
    const { id } = c.req.valid("param");
    const deal = await withTenant(c, (scope) => restoreDeal(scope, id));
    return c.json(ok(deal, "Deal restored."), 200);
  });
}
