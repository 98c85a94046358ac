import { z } from "@hono/zod-openapi";
import { authenticatedRoute } from "../auth/authenticated-route";
import { roleSchema } from "../auth/schemas";
import { ok, page } from "../lib/envelope";
import { type createRouter, withTenant } from "../lib/hono";
import { errorResponses, idParamSchema, jsonBody, jsonResponse } from "../lib/openapi";
import { paginationQuerySchema } from "../lib/pagination";
import { deactivationSummary, listMembers, updateMember } from "./service";

const tags = ["Team"];

export const memberSchema = z
  .object({
    userId: z.string(),
    name: z.string(),
    email: z.string(),
    role: roleSchema,
    status: z.enum(["active", "deactivated"]),
    joinedAt: z.string(),
  })
  .openapi("Member");

const updatedMemberSchema = memberSchema
  .extend({
    revokedApiKeys: z.number().int().openapi({
      description: "API keys this change revoked (a deactivated member's keys stop working)",
    }),
  })
  .openapi("UpdatedMember");

const updateMemberBodySchema = z
  .object({ role: roleSchema.optional(), status: z.enum(["active", "deactivated"]).optional() })
  .strict()
  .refine((body) => body.role !== undefined || body.status !== undefined, {
    message: "Send a role or a status.",
  })
  .openapi("UpdateMemberRequest");

const listRoute = authenticatedRoute({
  method: "get",
  path: "/users",
  tags,
  summary: "Members of the organization",
  request: { query: paginationQuerySchema },
  responses: { 200: jsonResponse(z.array(memberSchema), "Members"), ...errorResponses },
});

const updateRoute = authenticatedRoute({
  method: "patch",
  path: "/users/{id}",
  tags,
  summary: "Change a member's role, or deactivate / reactivate them (admin+)",
  request: { params: idParamSchema, body: jsonBody(updateMemberBodySchema) },
  responses: { 200: jsonResponse(updatedMemberSchema, "Updated member"), ...errorResponses },
});

export function registerMemberRoutes(app: ReturnType<typeof createRouter>) {
  app.openapi(listRoute, async (c) => {
    const query = c.req.valid("query");
    const result = await withTenant(c, (scope) => listMembers(scope, query));
    return c.json(page(result.rows, { nextCursor: result.nextCursor, limit: query.limit }), 200);
  });

  app.openapi(updateRoute, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const member = await withTenant(c, (scope) => updateMember(scope, id, body));
    const message = body.status === "deactivated" ? deactivationSummary(member) : "Member updated.";
    return c.json(ok(member, message), 200);
  });
}
