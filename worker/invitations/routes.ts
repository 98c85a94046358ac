import { createRoute, z } from "@hono/zod-openapi";
import { authenticatedRoute } from "../auth/authenticated-route";
import { sessionCookies } from "../auth/cookies";
import { readCredential } from "../auth/credentials";
import { authResultSchema, roleSchema } from "../auth/schemas";
import { toAuthPayload } from "../auth/service";
import { ok } from "../lib/envelope";
import { afterCommitOf, attemptContext, type createRouter, withTenant } from "../lib/hono";
import { errorResponses, idParamSchema, jsonBody, jsonResponse } from "../lib/openapi";
import { limitSignInAttempt } from "../rate-limit/enforce";
import { acceptInvitationBodySchema, createInvitationBodySchema } from "./schemas";
import {
  acceptInvitation,
  createInvitation,
  listPendingInvitations,
  revokeInvitation,
} from "./service";

const tags = ["Team"];

const invitationSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    role: roleSchema,
    expiresAt: z.string(),
    createdAt: z.string(),
  })
  .openapi("Invitation");

const createRouteDef = authenticatedRoute({
  method: "post",
  path: "/invitations",
  tags,
  summary: "Invite someone by email (admin+); returns the accept link",
  request: { body: jsonBody(createInvitationBodySchema) },
  responses: {
    201: jsonResponse(
      z.object({ invitation: invitationSchema, token: z.string(), acceptUrl: z.string() }),
      "Invitation created",
    ),
    ...errorResponses,
  },
});

const listRouteDef = authenticatedRoute({
  method: "get",
  path: "/invitations",
  tags,
  summary: "Pending invitations (admin+)",
  responses: {
    200: jsonResponse(z.array(invitationSchema), "Pending invitations"),
    ...errorResponses,
  },
});

const revokeRouteDef = authenticatedRoute({
  method: "delete",
  path: "/invitations/{id}",
  tags,
  summary: "Revoke a pending invitation (admin+)",
  request: { params: idParamSchema },
  responses: { 200: jsonResponse(z.null(), "Revoked"), ...errorResponses },
});

const acceptRouteDef = createRoute({
  method: "post",
  path: "/invitations/accept",
  tags,
  summary:
    "Accept an invitation: signed in, with the invited account's password, or as a new account",
  request: { body: jsonBody(acceptInvitationBodySchema) },
  responses: { 200: jsonResponse(authResultSchema, "Joined the organization"), ...errorResponses },
});

export function registerInvitationRoutes(app: ReturnType<typeof createRouter>) {
  app.openapi(createRouteDef, async (c) => {
    const body = c.req.valid("json");
    const result = await withTenant(c, (scope) => createInvitation(scope, body, c.var.config));
    return c.json(ok(result, "Invitation created."), 201);
  });

  app.openapi(listRouteDef, async (c) => {
    const rows = await withTenant(c, listPendingInvitations);
    return c.json(ok(rows), 200);
  });

  app.openapi(revokeRouteDef, async (c) => {
    const { id } = c.req.valid("param");
    await withTenant(c, (scope) => revokeInvitation(scope, id));
    return c.json(ok(null, "Invitation revoked."), 200);
  });

  app.openapi(acceptRouteDef, async (c) => {
    const body = c.req.valid("json");
    await limitSignInAttempt(attemptContext(c));
    const presented = await readCredential(c.req.raw, c.var.config);
    const signedInUserId =
      presented?.credential.kind === "access_token" ? presented.credential.claims.sub : undefined;
    const result = await acceptInvitation(
      attemptContext(c),
      { ...body, signedInUserId },
      afterCommitOf(c),
    );
    for (const cookie of sessionCookies(result)) c.header("Set-Cookie", cookie, { append: true });
    return c.json(ok(toAuthPayload(result), `Welcome to ${result.organization.name}.`), 200);
  });
}
