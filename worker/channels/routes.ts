import { z } from "@hono/zod-openapi";
import { authenticatedRoute } from "../auth/authenticated-route";
import { ok } from "../lib/envelope";
import { type AppContext, type createRouter, withTenant } from "../lib/hono";
import {
  errorResponse,
  errorResponses,
  idParamSchema,
  jsonBody,
  jsonResponse,
} from "../lib/openapi";
import { listChannelTemplates } from "../whatsapp/templates";
import {
  channelSchema,
  createChannelBodySchema,
  templateSchema,
  updateChannelBodySchema,
} from "./schemas";
import { createChannel, deleteChannel, getChannel, listChannels, updateChannel } from "./service";

const tags = ["Inbox"];

const listRoute = authenticatedRoute({
  method: "get",
  path: "/channels",
  tags,
  summary: "The organization's channels: WhatsApp numbers and website chats (admin+)",
  responses: { 200: jsonResponse(z.array(channelSchema), "Channels"), ...errorResponses },
});

const getRouteDef = authenticatedRoute({
  method: "get",
  path: "/channels/{id}",
  tags,
  summary: "One channel, with which secrets are set (never their values) (admin+)",
  request: { params: idParamSchema },
  responses: { 200: jsonResponse(channelSchema, "The channel"), ...errorResponses },
});

const createRouteDef = authenticatedRoute({
  method: "post",
  path: "/channels",
  tags,
  summary:
    "Connect a WhatsApp number (answers the webhook URL for Meta) or create a website chat (answers the embed snippet) (admin+)",
  request: { body: jsonBody(createChannelBodySchema) },
  responses: { 201: jsonResponse(channelSchema, "Created"), ...errorResponses },
});

const updateRouteDef = authenticatedRoute({
  method: "patch",
  path: "/channels/{id}",
  tags,
  summary: "Rename a channel, change its settings or replace its secrets (admin+)",
  request: { params: idParamSchema, body: jsonBody(updateChannelBodySchema) },
  responses: { 200: jsonResponse(channelSchema, "Updated"), ...errorResponses },
});

const deleteRouteDef = authenticatedRoute({
  method: "delete",
  path: "/channels/{id}",
  tags,
  summary: "Remove a channel: its webhooks and chat stop, its secrets are erased (admin+)",
  request: { params: idParamSchema },
  responses: { 200: jsonResponse(z.null(), "Deleted"), ...errorResponses },
});

const templatesRoute = authenticatedRoute({
  method: "get",
  path: "/channels/{id}/templates",
  tags,
  summary:
    "A WhatsApp channel's approved message templates (from Meta), what may be sent outside the 24-hour window (agent+)",
  request: { params: idParamSchema },
  responses: {
    200: jsonResponse(z.array(templateSchema), "Approved templates"),
    ...errorResponses,
    503: errorResponse("Meta did not answer"),
  },
});

const linksOf = (c: AppContext) => ({ appUrl: c.var.config.APP_URL });

export function registerChannelRoutes(app: ReturnType<typeof createRouter>) {
  app.openapi(listRoute, async (c) =>
    c.json(ok(await withTenant(c, (scope) => listChannels(scope, linksOf(c)))), 200),
  );

  app.openapi(getRouteDef, async (c) => {
    const { id } = c.req.valid("param");
    return c.json(ok(await withTenant(c, (scope) => getChannel(scope, linksOf(c), id))), 200);
  });

  app.openapi(templatesRoute, async (c) => {
    const { id } = c.req.valid("param");
    const graphUrl = c.var.config.WHATSAPP_GRAPH_URL;
    const templates = await withTenant(c, (scope) => listChannelTemplates(scope, id, graphUrl));
    return c.json(ok(templates), 200);
  });

  app.openapi(createRouteDef, async (c) => {
    const body = c.req.valid("json");
    const channel = await withTenant(c, (scope) => createChannel(scope, linksOf(c), body));
    return c.json(ok(channel, "Channel created."), 201);
  });

  app.openapi(updateRouteDef, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const channel = await withTenant(c, (scope) => updateChannel(scope, linksOf(c), id, body));
    return c.json(ok(channel, "Channel updated."), 200);
  });

  app.openapi(deleteRouteDef, async (c) => {
    const { id } = c.req.valid("param");
    await withTenant(c, (scope) => deleteChannel(scope, id));
    return c.json(ok(null, "Channel deleted."), 200);
  });
}
