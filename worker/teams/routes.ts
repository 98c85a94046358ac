import { z } from "@hono/zod-openapi";
import { authenticatedRoute } from "../auth/authenticated-route";
import { ok } from "../lib/envelope";
import { type createRouter, withTenant } from "../lib/hono";
import { errorResponses, idParamSchema, jsonBody, jsonResponse } from "../lib/openapi";
import { createTeamBodySchema, teamSchema, updateTeamBodySchema } from "./schemas";
import { createTeam, deleteTeam, listTeams, updateTeam } from "./service";

const tags = ["Team"];

const listRoute = authenticatedRoute({
  method: "get",
  path: "/teams",
  tags,
  summary: "Teams and their members (a manager edits records of their teams' members)",
  responses: { 200: jsonResponse(z.array(teamSchema), "Teams"), ...errorResponses },
});

const createRouteDef = authenticatedRoute({
  method: "post",
  path: "/teams",
  tags,
  summary: "Create a team (admin+)",
  request: { body: jsonBody(createTeamBodySchema) },
  responses: { 201: jsonResponse(teamSchema, "Created"), ...errorResponses },
});

const updateRouteDef = authenticatedRoute({
  method: "patch",
  path: "/teams/{id}",
  tags,
  summary: "Rename a team or replace its members (admin+)",
  request: { params: idParamSchema, body: jsonBody(updateTeamBodySchema) },
  responses: { 200: jsonResponse(teamSchema, "Updated"), ...errorResponses },
});

const deleteRouteDef = authenticatedRoute({
  method: "delete",
  path: "/teams/{id}",
  tags,
  summary: "Delete a team (admin+)",
  request: { params: idParamSchema },
  responses: { 200: jsonResponse(z.null(), "Deleted"), ...errorResponses },
});

export function registerTeamRoutes(app: ReturnType<typeof createRouter>) {
  app.openapi(listRoute, async (c) => c.json(ok(await withTenant(c, listTeams)), 200));

  app.openapi(createRouteDef, async (c) => {
    const body = c.req.valid("json");
    const team = await withTenant(c, (scope) => createTeam(scope, body));
    return c.json(ok(team, "Team created."), 201);
  });

  app.openapi(updateRouteDef, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const team = await withTenant(c, (scope) => updateTeam(scope, id, body));
    return c.json(ok(team, "Team updated."), 200);
  });

  app.openapi(deleteRouteDef, async (c) => {
    const { id } = c.req.valid("param");
    await withTenant(c, (scope) => deleteTeam(scope, id));
    return c.json(ok(null, "Team deleted."), 200);
  });
}
