import { z } from "@hono/zod-openapi";
import { authenticatedRoute } from "../auth/authenticated-route";
import { ok } from "../lib/envelope";
import { type AppContext, type createRouter, withTenant } from "../lib/hono";
import { errorResponses, idParamSchema, jsonBody, jsonResponse } from "../lib/openapi";
import type { TenantScope } from "../lib/scope";
import { refreshRouting } from "../pbx/gateway";
import { listAgents, setExtension, setOwnStatus } from "./agents";
import { createQueue, deleteQueue, listQueues, liveQueues, updateQueue } from "./queues";
import {
  agentSchema,
  createQueueBodySchema,
  liveQueueSchema,
  queueSchema,
  setExtensionBodySchema,
  setStatusBodySchema,
  updateQueueBodySchema,
  userIdParamSchema,
} from "./schemas";

const tags = ["Call center"];

const listAgentsRoute = authenticatedRoute({
  method: "get",
  path: "/call-center/agents",
  tags,
  summary: "Members who take calls: extension and status (on_call while on a call)",
  responses: { 200: jsonResponse(z.array(agentSchema), "Agents"), ...errorResponses },
});

const setExtensionRoute = authenticatedRoute({
  method: "put",
  path: "/call-center/agents/{userId}",
  tags,
  summary: "Map a member to an extension, or null to take them off the phones (admin+)",
  request: { params: userIdParamSchema, body: jsonBody(setExtensionBodySchema) },
  responses: { 200: jsonResponse(agentSchema.nullable(), "Saved"), ...errorResponses },
});

const setStatusRoute = authenticatedRoute({
  method: "put",
  path: "/call-center/status",
  tags,
  summary: "Set your own agent status (available, busy, away)",
  request: { body: jsonBody(setStatusBodySchema) },
  responses: { 200: jsonResponse(agentSchema, "Saved"), ...errorResponses },
});

const listQueuesRoute = authenticatedRoute({
  method: "get",
  path: "/call-queues",
  tags,
  summary: "Call queues and their members in ring order",
  responses: { 200: jsonResponse(z.array(queueSchema), "Queues"), ...errorResponses },
});

const liveQueuesRoute = authenticatedRoute({
  method: "get",
  path: "/call-queues/live",
  tags,
  summary: "Calls waiting per queue (position, wait) and the members' statuses",
  responses: { 200: jsonResponse(z.array(liveQueueSchema), "Live queues"), ...errorResponses },
});

const createQueueRoute = authenticatedRoute({
  method: "post",
  path: "/call-queues",
  tags,
  summary: "Create a call queue (admin+)",
  request: { body: jsonBody(createQueueBodySchema) },
  responses: { 201: jsonResponse(queueSchema, "Created"), ...errorResponses },
});

const updateQueueRoute = authenticatedRoute({
  method: "patch",
  path: "/call-queues/{id}",
  tags,
  summary: "Rename a queue, change its ring timeout or members (admin+)",
  request: { params: idParamSchema, body: jsonBody(updateQueueBodySchema) },
  responses: { 200: jsonResponse(queueSchema, "Updated"), ...errorResponses },
});

const deleteQueueRoute = authenticatedRoute({
  method: "delete",
  path: "/call-queues/{id}",
  tags,
  summary: "Delete a call queue (admin+)",
  request: { params: idParamSchema },
  responses: { 200: jsonResponse(z.null(), "Deleted"), ...errorResponses },
});

/** Runs a change that affects routing, then hands the bridge fresh routing data. */
async function withRoutingChange<T>(c: AppContext, work: (scope: TenantScope) => Promise<T>) {
  let orgId = "";
  const result = await withTenant(c, (scope) => {
    orgId = scope.actor.orgId;
    return work(scope);
  });
  c.executionCtx.waitUntil(refreshRouting(c.env, orgId));
  return result;
}

export function registerCallCenterRoutes(app: ReturnType<typeof createRouter>) {
  app.openapi(listAgentsRoute, async (c) => c.json(ok(await withTenant(c, listAgents)), 200));

  app.openapi(setExtensionRoute, async (c) => {
    const { userId } = c.req.valid("param");
    const { extension } = c.req.valid("json");
    const agent = await withRoutingChange(c, (scope) => setExtension(scope, userId, extension));
    return c.json(ok(agent, extension ? "Extension saved." : "Extension removed."), 200);
  });

  app.openapi(setStatusRoute, async (c) => {
    const { status } = c.req.valid("json");
    const agent = await withRoutingChange(c, (scope) => setOwnStatus(scope, status));
    return c.json(ok(agent, "Status saved."), 200);
  });

  app.openapi(listQueuesRoute, async (c) => c.json(ok(await withTenant(c, listQueues)), 200));
  app.openapi(liveQueuesRoute, async (c) => c.json(ok(await withTenant(c, liveQueues)), 200));

  app.openapi(createQueueRoute, async (c) => {
    const body = c.req.valid("json");
    const queue = await withRoutingChange(c, (scope) => createQueue(scope, body));
    return c.json(ok(queue, "Queue created."), 201);
  });

  app.openapi(updateQueueRoute, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const queue = await withRoutingChange(c, (scope) => updateQueue(scope, id, body));
    return c.json(ok(queue, "Queue updated."), 200);
  });

  app.openapi(deleteQueueRoute, async (c) => {
    const { id } = c.req.valid("param");
    await withRoutingChange(c, (scope) => deleteQueue(scope, id));
    return c.json(ok(null, "Queue deleted."), 200);
  });
}
