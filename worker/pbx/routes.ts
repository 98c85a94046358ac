import { z } from "@hono/zod-openapi";
import { authenticatedRoute } from "../auth/authenticated-route";
import { pbxStatusSchema } from "../calls/call-view";
import { ok } from "../lib/envelope";
import { ApiError } from "../lib/errors";
import { type createRouter, withTenant } from "../lib/hono";
import { errorResponses, idParamSchema, jsonBody, jsonResponse } from "../lib/openapi";
import { requirePermission } from "../lib/scope";
import { requireWebSocketUpgrade, upgradeRequestFor } from "../lib/websocket-upgrade";
import {
  authenticateBridge,
  createBridgeToken,
  listBridgeTokens,
  revokeBridgeToken,
} from "./bridge-tokens";
import { disconnectRevokedBridge, gatewayOf } from "./gateway";
import { BRIDGE_IDENTITY_HEADER } from "./pbx-gateway";
import {
  bridgeTokenSchema,
  createBridgeTokenBodySchema,
  createdBridgeTokenSchema,
} from "./schemas";

const tags = ["Telephony"];

const statusRoute = authenticatedRoute({
  method: "get",
  path: "/pbx/status",
  tags,
  summary: "Whether the organization's pbx-bridge and its Asterisk are connected",
  responses: { 200: jsonResponse(pbxStatusSchema, "PBX status"), ...errorResponses },
});

const listTokensRoute = authenticatedRoute({
  method: "get",
  path: "/pbx/bridge-tokens",
  tags,
  summary: "Bridge tokens (admin+)",
  responses: { 200: jsonResponse(z.array(bridgeTokenSchema), "Tokens"), ...errorResponses },
});

const createTokenRoute = authenticatedRoute({
  method: "post",
  path: "/pbx/bridge-tokens",
  tags,
  summary: "Create a bridge token; the secret is returned once (admin+)",
  request: { body: jsonBody(createBridgeTokenBodySchema) },
  responses: { 201: jsonResponse(createdBridgeTokenSchema, "Created"), ...errorResponses },
});

const revokeTokenRoute = authenticatedRoute({
  method: "delete",
  path: "/pbx/bridge-tokens/{id}",
  tags,
  summary: "Revoke a bridge token (admin+); a bridge using it cannot connect again",
  request: { params: idParamSchema },
  responses: { 200: jsonResponse(z.null(), "Revoked"), ...errorResponses },
});

export function registerPbxRoutes(app: ReturnType<typeof createRouter>) {
  /**
   * GET /api/v1/pbx/bridge (WebSocket): where pbx-bridge connects, with
   * `Authorization: Bearer <bridge token>`. The token picks the organization's gateway.
   */
  app.get("/pbx/bridge", async (c) => {
    requireWebSocketUpgrade(c);
    const token = /^Bearer (\S+)$/.exec(c.req.header("authorization") ?? "")?.[1];
    const identity = token ? await authenticateBridge(c.var.database, token) : null;
    if (!identity) throw ApiError.unauthenticated("A valid bridge token is required.");
    const gateway = await gatewayOf(c.env, identity.orgId);
    return gateway.fetch(upgradeRequestFor(c, BRIDGE_IDENTITY_HEADER, identity));
  });

  app.openapi(statusRoute, async (c) => {
    const orgId = await withTenant(c, async ({ actor }) => {
      requirePermission(actor, "calls:read");
      return actor.orgId;
    });
    const gateway = await gatewayOf(c.env, orgId);
    return c.json(ok(await gateway.status()), 200);
  });

  app.openapi(listTokensRoute, async (c) => c.json(ok(await withTenant(c, listBridgeTokens)), 200));

  app.openapi(createTokenRoute, async (c) => {
    const body = c.req.valid("json");
    const token = await withTenant(c, (scope) => createBridgeToken(scope, body));
    return c.json(ok(token, "Bridge token created. Copy it now: it is shown once."), 201);
  });

  app.openapi(revokeTokenRoute, async (c) => {
    const { id } = c.req.valid("param");
    const orgId = await withTenant(c, async (scope) => {
      await revokeBridgeToken(scope, id);
      return scope.actor.orgId;
    });
    await disconnectRevokedBridge(c.env, orgId, id);
    return c.json(ok(null, "Bridge token revoked."), 200);
  });
}
