import { z } from "@hono/zod-openapi";
import { authenticatedRoute } from "../auth/authenticated-route";
import { ok } from "../lib/envelope";
import { type createRouter, withTenant } from "../lib/hono";
import { errorResponses, idParamSchema, jsonBody, jsonResponse } from "../lib/openapi";
import {
  createPipelineBodySchema,
  createStageBodySchema,
  pipelineSchema,
  stageParamsSchema,
  updatePipelineBodySchema,
  updateStageBodySchema,
} from "./schemas";
import {
  addStage,
  createPipeline,
  deleteStage,
  getPipeline,
  listPipelines,
  updatePipeline,
  updateStage,
} from "./service";

const tags = ["Pipelines"];

const listRoute = authenticatedRoute({
  method: "get",
  path: "/pipelines",
  tags,
  summary: "Pipelines with their ordered stages (the default one is created on first use)",
  responses: { 200: jsonResponse(z.array(pipelineSchema), "Pipelines"), ...errorResponses },
});

const getRoute = authenticatedRoute({
  method: "get",
  path: "/pipelines/{id}",
  tags,
  summary: "One pipeline with its ordered stages",
  request: { params: idParamSchema },
  responses: { 200: jsonResponse(pipelineSchema, "Pipeline"), ...errorResponses },
});

const createRouteDef = authenticatedRoute({
  method: "post",
  path: "/pipelines",
  tags,
  summary: "Create a pipeline with its stages (admin+)",
  request: { body: jsonBody(createPipelineBodySchema) },
  responses: { 201: jsonResponse(pipelineSchema, "Created"), ...errorResponses },
});

const updateRoute = authenticatedRoute({
  method: "patch",
  path: "/pipelines/{id}",
  tags,
  summary: "Rename a pipeline or make it the default (admin+)",
  request: { params: idParamSchema, body: jsonBody(updatePipelineBodySchema) },
  responses: { 200: jsonResponse(pipelineSchema, "Updated"), ...errorResponses },
});

const addStageRoute = authenticatedRoute({
  method: "post",
  path: "/pipelines/{id}/stages",
  tags,
  summary: "Add a stage (at the end, or at `position`) (admin+)",
  request: { params: idParamSchema, body: jsonBody(createStageBodySchema) },
  responses: {
    201: jsonResponse(pipelineSchema, "The pipeline with the new stage"),
    ...errorResponses,
  },
});

const updateStageRoute = authenticatedRoute({
  method: "patch",
  path: "/pipelines/{id}/stages/{stageId}",
  tags,
  summary: "Rename, re-flag or reorder a stage (admin+)",
  request: { params: stageParamsSchema, body: jsonBody(updateStageBodySchema) },
  responses: { 200: jsonResponse(pipelineSchema, "The updated pipeline"), ...errorResponses },
});

const deleteStageRoute = authenticatedRoute({
  method: "delete",
  path: "/pipelines/{id}/stages/{stageId}",
  tags,
  summary: "Delete an empty stage (409 while deals are in it) (admin+)",
  request: { params: stageParamsSchema },
  responses: { 200: jsonResponse(pipelineSchema, "The updated pipeline"), ...errorResponses },
});

export function registerPipelineRoutes(app: ReturnType<typeof createRouter>) {
  app.openapi(listRoute, async (c) => {
    const rows = await withTenant(c, listPipelines);
    return c.json(ok(rows), 200);
  });

  app.openapi(getRoute, async (c) => {
    const { id } = c.req.valid("param");
    return c.json(ok(await withTenant(c, (scope) => getPipeline(scope, id))), 200);
  });

  app.openapi(createRouteDef, async (c) => {
    const body = c.req.valid("json");
    const pipeline = await withTenant(c, (scope) => createPipeline(scope, body));
    return c.json(ok(pipeline, "Pipeline created."), 201);
  });

  app.openapi(updateRoute, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const pipeline = await withTenant(c, (scope) => updatePipeline(scope, id, body));
    return c.json(ok(pipeline, "Pipeline updated."), 200);
  });

  app.openapi(addStageRoute, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const pipeline = await withTenant(c, (scope) => addStage(scope, id, body));
    return c.json(ok(pipeline, "Stage added."), 201);
  });

  app.openapi(updateStageRoute, async (c) => {
    const { id, stageId } = c.req.valid("param");
    const body = c.req.valid("json");
    const pipeline = await withTenant(c, (scope) => updateStage(scope, id, stageId, body));
    return c.json(ok(pipeline, "Stage updated."), 200);
  });

  app.openapi(deleteStageRoute, async (c) => {
    const { id, stageId } = c.req.valid("param");
    const pipeline = await withTenant(c, (scope) => deleteStage(scope, id, stageId));
    return c.json(ok(pipeline, "Stage deleted."), 200);
  });
}
