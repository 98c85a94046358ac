import { z } from "@hono/zod-openapi";
import { authenticatedRoute } from "../auth/authenticated-route";
import { roleSchema } from "../auth/schemas";
import { ok } from "../lib/envelope";
import { type createRouter, withTenant } from "../lib/hono";
import { errorResponses, idParamSchema, jsonBody, jsonResponse } from "../lib/openapi";
import { createApiKeyBodySchema } from "./schemas";
import { createApiKey, listApiKeys, revokeApiKey } from "./service";

const tags = ["API keys"];

const apiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: roleSchema,
    hint: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi("ApiKey");

const createRouteDef = authenticatedRoute({
  method: "post",
  path: "/api-keys",
  tags,
  summary: "Create an API key (admin+); the secret is shown once",
  request: { body: jsonBody(createApiKeyBodySchema) },
  responses: {
    201: jsonResponse(z.object({ apiKey: apiKeySchema, secret: z.string() }), "Created"),
    ...errorResponses,
  },
});

const listRouteDef = authenticatedRoute({
  method: "get",
  path: "/api-keys",
  tags,
  summary: "API keys of the organization (admin+)",
  responses: { 200: jsonResponse(z.array(apiKeySchema), "API keys"), ...errorResponses },
});

const revokeRouteDef = authenticatedRoute({
  method: "delete",
  path: "/api-keys/{id}",
  tags,
  summary: "Revoke an API key (admin+)",
  request: { params: idParamSchema },
  responses: { 200: jsonResponse(apiKeySchema, "Revoked"), ...errorResponses },
});

export function registerApiKeyRoutes(app: ReturnType<typeof createRouter>) {
  app.openapi(createRouteDef, async (c) => {
    const body = c.req.valid("json");
    const result = await withTenant(c, (scope) => createApiKey(scope, body));
    return c.json(ok(result, "API key created. Copy the secret now: it is not shown again."), 201);
  });

  app.openapi(listRouteDef, async (c) => {
    const rows = await withTenant(c, listApiKeys);
    return c.json(ok(rows), 200);
  });

  app.openapi(revokeRouteDef, async (c) => {
    const { id } = c.req.valid("param");
    const key = await withTenant(c, (scope) => revokeApiKey(scope, id));
    return c.json(ok(key, "API key revoked."), 200);
  });
}
