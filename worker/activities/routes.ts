import { z } from "@hono/zod-openapi";
import { authenticatedRoute } from "../auth/authenticated-route";
import { listQuerySchema } from "../crm/list-query";
import { CRM_ENTITIES, type CrmEntity } from "../crm/record-tables";
import { ok, page } from "../lib/envelope";
import { type createRouter, withTenant } from "../lib/hono";
import { errorResponses, idParamSchema, jsonBody, jsonResponse } from "../lib/openapi";
import {
  activitySchema,
  completeActivityBodySchema,
  createActivityBodySchema,
  timelineItemSchema,
  timelineQuerySchema,
  updateActivityBodySchema,
} from "./schemas";
import {
  completeActivity,
  createActivity,
  deleteActivity,
  getActivity,
  listActivities,
  restoreActivity,
  updateActivity,
} from "./service";
import { recordTimeline } from "./timeline";

type Router = ReturnType<typeof createRouter>;

const tags = ["Activities"];

const listRoute = authenticatedRoute({
  method: "get",
  path: "/activities",
  tags,
  summary:
    "Activities: filter.type, filter.assigneeId, filter.doneAt.isEmpty=true (open tasks), filter.dueAt.gte/lte, filter.contactId/companyId/leadId/dealId; sort occurredAt, dueAt, createdAt",
  request: { query: listQuerySchema },
  responses: { 200: jsonResponse(z.array(activitySchema), "Activities"), ...errorResponses },
});

const createRouteDef = authenticatedRoute({
  method: "post",
  path: "/activities",
  tags,
  summary: "Log a note, call, message or meeting, or create a task (agent+)",
  request: { body: jsonBody(createActivityBodySchema) },
  responses: { 201: jsonResponse(activitySchema, "Created"), ...errorResponses },
});

const getRoute = authenticatedRoute({
  method: "get",
  path: "/activities/{id}",
  tags,
  summary: "One activity",
  request: { params: idParamSchema },
  responses: { 200: jsonResponse(activitySchema, "Activity"), ...errorResponses },
});

const updateRoute = authenticatedRoute({
  method: "patch",
  path: "/activities/{id}",
  tags,
  summary: "Change an activity (its creator, its assignee, or by the ownership rule)",
  request: { params: idParamSchema, body: jsonBody(updateActivityBodySchema) },
  responses: { 200: jsonResponse(activitySchema, "Updated"), ...errorResponses },
});

const deleteRoute = authenticatedRoute({
  method: "delete",
  path: "/activities/{id}",
  tags,
  summary: "Delete an activity (restorable for 30 days)",
  request: { params: idParamSchema },
  responses: { 200: jsonResponse(activitySchema, "Deleted"), ...errorResponses },
});

const restoreRoute = authenticatedRoute({
  method: "post",
  path: "/activities/{id}/restore",
  tags,
  summary: "Restore a deleted activity",
  request: { params: idParamSchema },
  responses: { 200: jsonResponse(activitySchema, "Restored"), ...errorResponses },
});

const completeRoute = authenticatedRoute({
  method: "post",
  path: "/activities/{id}/complete",
  tags,
  summary: "Mark a task done (or open again with done: false)",
  request: {
    params: idParamSchema,
    body: {
      required: false,
      description: "Optional: { done, version }",
      content: { "application/json": { schema: completeActivityBodySchema } },
    },
  },
  responses: { 200: jsonResponse(activitySchema, "Task"), ...errorResponses },
});

const TIMELINE_PATHS: Record<CrmEntity, string> = {
  contact: "contacts",
  company: "companies",
  lead: "leads",
  deal: "deals",
};

function timelineRoute(entity: CrmEntity) {
  return authenticatedRoute({
    method: "get",
    path: `/${TIMELINE_PATHS[entity]}/{id}/timeline`,
    tags,
    summary: `Everything that happened to a ${entity}, newest first`,
    request: { params: idParamSchema, query: timelineQuerySchema },
    responses: { 200: jsonResponse(z.array(timelineItemSchema), "Timeline"), ...errorResponses },
  });
}

function registerTimelineRoutes(app: Router) {
  for (const entity of CRM_ENTITIES) {
    app.openapi(timelineRoute(entity), async (c) => {
      const { id } = c.req.valid("param");
      const query = c.req.valid("query");
      const result = await withTenant(c, (scope) => recordTimeline(scope, entity, id, query));
      return c.json(page(result.rows, { nextCursor: result.nextCursor, limit: query.limit }), 200);
    });
  }
}

export function registerActivityRoutes(app: Router) {
  app.openapi(listRoute, async (c) => {
    const query = c.req.valid("query");
    const result = await withTenant(c, (scope) => listActivities(scope, query));
    return c.json(page(result.rows, { nextCursor: result.nextCursor, limit: query.limit }), 200);
  });

  app.openapi(createRouteDef, async (c) => {
    const body = c.req.valid("json");
    const activity = await withTenant(c, (scope) => createActivity(scope, body));
    return c.json(ok(activity, "Activity created."), 201);
  });

  app.openapi(getRoute, async (c) => {
    const { id } = c.req.valid("param");
    const activity = await withTenant(c, (scope) => getActivity(scope, id));
    return c.json(ok(activity), 200);
  });

  app.openapi(updateRoute, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const activity = await withTenant(c, (scope) => updateActivity(scope, id, body));
    return c.json(ok(activity, "Activity updated."), 200);
  });

  app.openapi(deleteRoute, async (c) => {
    const { id } = c.req.valid("param");
    const activity = await withTenant(c, (scope) => deleteActivity(scope, id));
    return c.json(ok(activity, "Activity deleted. You can restore it for 30 days."), 200);
  });

  app.openapi(restoreRoute, async (c) => {
    const { id } = c.req.valid("param");
    const activity = await withTenant(c, (scope) => restoreActivity(scope, id));
    return c.json(ok(activity, "Activity restored."), 200);
  });

  app.openapi(completeRoute, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const activity = await withTenant(c, (scope) => completeActivity(scope, id, body));
    return c.json(ok(activity, activity.doneAt ? "Task done." : "Task reopened."), 200);
  });

  registerTimelineRoutes(app);
}
