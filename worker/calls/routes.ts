import { z } from "@hono/zod-openapi";
import type { Command } from "../../pbx-bridge/src/edge-protocol";
import { credentialScope } from "../auth/actor";
import { authenticatedRoute } from "../auth/authenticated-route";
import { ok, page } from "../lib/envelope";
import { ApiError } from "../lib/errors";
import { type AppContext, type createRouter, withTenant } from "../lib/hono";
import {
  errorResponse,
  errorResponses,
  idParamSchema,
  jsonBody,
  jsonResponse,
} from "../lib/openapi";
import { requireBridgeOnline, runPbxCommand } from "../pbx/gateway";
import {
  callDetailSchema,
  callSchema,
  callStatsQuerySchema,
  callStatsSchema,
  listCallsQuerySchema,
  placeCallBodySchema,
  recordingBodySchema,
  transferBodySchema,
  updateCallBodySchema,
  wrapUpBodySchema,
  wrapUpDraftBodySchema,
} from "./schemas";
import {
  authorizeCallCommand,
  createOutboundCall,
  failOutboundCall,
  getCall,
  listCalls,
  listLiveCalls,
  updateCall,
} from "./service";
import { callStats } from "./stats";
import { finishWrapUp, listWrapUps, saveWrapUpDraft, skipAllWrapUps } from "./wrap-up";

const tags = ["Calls"];

/** What a command to the phone system may answer besides the usual errors. */
const pbxErrorResponses = {
  502: errorResponse("The phone system refused the command"),
  503: errorResponse("The organization's pbx-bridge is not connected"),
  504: errorResponse("The phone system did not answer in time"),
};

const listRoute = authenticatedRoute({
  method: "get",
  path: "/calls",
  tags,
  summary:
    "The call log, newest first (filter by direction, status, outcome, agent, contact, date)",
  request: { query: listCallsQuerySchema },
  responses: {
    200: jsonResponse(z.array(callSchema), "Calls (next page in meta.pagination)"),
    ...errorResponses,
  },
});

const liveRoute = authenticatedRoute({
  method: "get",
  path: "/calls/live",
  tags,
  summary: "Calls in progress, oldest first",
  responses: { 200: jsonResponse(z.array(callSchema), "Live calls"), ...errorResponses },
});

const statsRoute = authenticatedRoute({
  method: "get",
  path: "/calls/stats",
  tags,
  summary: "Call statistics per agent and per day (default: the last 7 days)",
  request: { query: callStatsQuerySchema },
  responses: { 200: jsonResponse(callStatsSchema, "Statistics"), ...errorResponses },
});

const wrapUpsRoute = authenticatedRoute({
  method: "get",
  path: "/calls/wrap-ups",
  tags,
  summary:
    "Your finished calls waiting for a wrap-up, oldest first (overdue ones close themselves with their draft)",
  responses: { 200: jsonResponse(z.array(callSchema), "Calls"), ...errorResponses },
});

const skipAllWrapUpsRoute = authenticatedRoute({
  method: "post",
  path: "/calls/wrap-ups/skip",
  tags,
  summary: "Skip every wrap-up you have waiting",
  responses: {
    200: jsonResponse(z.object({ skipped: z.number().int() }), "Skipped"),
    ...errorResponses,
  },
});

const wrapUpDraftRoute = authenticatedRoute({
  method: "put",
  path: "/calls/{id}/wrap-up/draft",
  tags,
  summary: "Keep what you typed in a call's wrap-up so far (survives a reload)",
  request: { params: idParamSchema, body: jsonBody(wrapUpDraftBodySchema) },
  responses: { 200: jsonResponse(callSchema, "Saved"), ...errorResponses },
});

const wrapUpRoute = authenticatedRoute({
  method: "post",
  path: "/calls/{id}/wrap-up",
  tags,
  summary: "Complete (notes and disposition onto the call) or skip a call's wrap-up",
  request: { params: idParamSchema, body: jsonBody(wrapUpBodySchema) },
  responses: { 200: jsonResponse(callSchema, "Done"), ...errorResponses },
});

const getRoute = authenticatedRoute({
  method: "get",
  path: "/calls/{id}",
  tags,
  summary: "One call with its status and events",
  request: { params: idParamSchema },
  responses: { 200: jsonResponse(callDetailSchema, "Call"), ...errorResponses },
});

const placeRoute = authenticatedRoute({
  method: "post",
  path: "/calls",
  tags,
  summary: "Click-to-call: rings your extension first, then the number",
  request: { body: jsonBody(placeCallBodySchema) },
  responses: {
    201: jsonResponse(callSchema, "Dialling"),
    ...errorResponses,
    ...pbxErrorResponses,
  },
});

const updateRoute = authenticatedRoute({
  method: "patch",
  path: "/calls/{id}",
  tags,
  summary: "Notes, disposition, or the contact a call belongs to",
  request: { params: idParamSchema, body: jsonBody(updateCallBodySchema) },
  responses: { 200: jsonResponse(callSchema, "Updated"), ...errorResponses },
});

const commandResponses = {
  202: jsonResponse(z.null(), "Sent to the phone system"),
  ...errorResponses,
  ...pbxErrorResponses,
};

const commandRoute = (path: string, summary: string) =>
  authenticatedRoute({
    method: "post",
    path,
    tags,
    summary,
    request: { params: idParamSchema },
    responses: commandResponses,
  });

const hangupRoute = commandRoute("/calls/{id}/hangup", "Hang up a call");
const holdRoute = commandRoute("/calls/{id}/hold", "Put the caller on hold");
const resumeRoute = commandRoute("/calls/{id}/resume", "Take the caller off hold");

const transferRoute = authenticatedRoute({
  method: "post",
  path: "/calls/{id}/transfer",
  tags,
  summary: "Blind-transfer a call to an extension or a number",
  request: { params: idParamSchema, body: jsonBody(transferBodySchema) },
  responses: commandResponses,
});

const recordingRoute = authenticatedRoute({
  method: "post",
  path: "/calls/{id}/recording",
  tags,
  summary: "Start or stop recording a call",
  request: { params: idParamSchema, body: jsonBody(recordingBodySchema) },
  responses: commandResponses,
});

/** Authorizes in a transaction, then sends the command once that has committed. */
async function sendCallCommand(c: AppContext, id: string, command: Command) {
  const orgId = await withTenant(c, async (scope) => {
    await authorizeCallCommand(scope, id, command);
    return scope.actor.orgId;
  });
  await runPbxCommand(c.env, orgId, command);
  return c.json(ok(null, "Sent to the phone system."), 202);
}

export function registerCallRoutes(app: ReturnType<typeof createRouter>) {
  app.openapi(listRoute, async (c) => {
    const query = c.req.valid("query");
    const result = await withTenant(c, (scope) => listCalls(scope, query));
    return c.json(page(result.calls, { nextCursor: result.nextCursor, limit: query.limit }), 200);
  });

  app.openapi(liveRoute, async (c) => c.json(ok(await withTenant(c, listLiveCalls)), 200));

  app.openapi(statsRoute, async (c) => {
    const query = c.req.valid("query");
    return c.json(ok(await withTenant(c, (scope) => callStats(scope, query))), 200);
  });

  app.openapi(wrapUpsRoute, async (c) => c.json(ok(await withTenant(c, listWrapUps)), 200));

  app.openapi(skipAllWrapUpsRoute, async (c) => {
    const result = await withTenant(c, skipAllWrapUps);
    return c.json(ok(result, `${result.skipped} wrap-ups skipped.`), 200);
  });

  app.openapi(wrapUpDraftRoute, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    return c.json(ok(await withTenant(c, (scope) => saveWrapUpDraft(scope, id, body))), 200);
  });

  app.openapi(wrapUpRoute, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const call = await withTenant(c, (scope) => finishWrapUp(scope, id, body));
    return c.json(ok(call, body.action === "skip" ? "Wrap-up skipped." : "Wrap-up saved."), 200);
  });

  app.openapi(getRoute, async (c) => {
    const { id } = c.req.valid("param");
    return c.json(ok(await withTenant(c, (scope) => getCall(scope, id))), 200);
  });

  app.openapi(placeRoute, async (c) => {
    const body = c.req.valid("json");
    const orgId = credentialScope(c.var.credential).orgId;
    await requireBridgeOnline(c.env, orgId);
    const { call, command } = await withTenant(c, (scope) => createOutboundCall(scope, body));
    try {
      await runPbxCommand(c.env, orgId, command);
    } catch (error) {
      const reason = error instanceof ApiError ? error.message : "The phone system failed.";
      await withTenant(c, (scope) => failOutboundCall(scope, call.id, reason));
      throw error;
    }
    return c.json(ok(call, "Calling: your phone rings first."), 201);
  });

  app.openapi(updateRoute, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    return c.json(
      ok(await withTenant(c, (scope) => updateCall(scope, id, body)), "Call updated."),
      200,
    );
  });

  for (const [route, action] of [
    [hangupRoute, "hangup"],
    [holdRoute, "hold"],
    [resumeRoute, "resume"],
  ] as const) {
    app.openapi(route, (c) => {
      const { id } = c.req.valid("param");
      return sendCallCommand(c, id, { action, callId: id });
    });
  }

  app.openapi(transferRoute, (c) => {
    const { id } = c.req.valid("param");
    const { to } = c.req.valid("json");
    return sendCallCommand(c, id, { action: "transfer", callId: id, to });
  });

  app.openapi(recordingRoute, (c) => {
    const { id } = c.req.valid("param");
    const action = c.req.valid("json").action === "start" ? "start_recording" : "stop_recording";
    return sendCallCommand(c, id, { action, callId: id });
  });
}
