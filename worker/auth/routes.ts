import { createRoute, z } from "@hono/zod-openapi";
import { ok } from "../lib/envelope";
import { ApiError } from "../lib/errors";
import {
  type AppContext,
  afterCommitOf,
  attemptContext,
  type createRouter,
  withTenant,
} from "../lib/hono";
import { errorResponses, jsonBody, jsonResponse } from "../lib/openapi";
import { limitSignInAttempt } from "../rate-limit/enforce";
import {
  limitPasswordResetRequest,
  requestPasswordResetAfterAnswer,
  resetPassword,
  tellAccountExistsAfterAnswer,
  verifyEmail,
} from "./account-links";
import { normalizeEmail } from "./accounts";
import { authenticatedRoute } from "./authenticated-route";
import { clearedSessionCookies, REFRESH_COOKIE, readCookie, sessionCookies } from "./cookies";
import { readCredential } from "./credentials";
import { requireOwnOriginForCookies } from "./middleware";
import {
  authResultSchema,
  forgotPasswordBodySchema,
  loginBodySchema,
  meSchema,
  refreshBodySchema,
  resetPasswordBodySchema,
  SIGNUP_ANSWER,
  signupBodySchema,
  signupResultSchema,
  switchOrganizationBodySchema,
  verifyEmailBodySchema,
} from "./schemas";
import {
  type AuthResult,
  describeActor,
  login,
  logout,
  logoutByRefreshToken,
  refresh,
  signup,
  switchOrganization,
  toAuthPayload,
} from "./service";

const tags = ["Auth"];

const signupRoute = createRoute({
  method: "post",
  path: "/auth/signup",
  tags,
  summary: "Create an account and its organization (you become its owner)",
  description:
    "Answers 202 whether or not the address already has an account, and signs no one in. A new account gets its organization and a link to confirm the address, and works (flagged until confirmed) once its owner signs in with `/auth/login`. An address that has an account gets an email saying so (at most 3 an hour), and nothing is created.",
  request: { body: jsonBody(signupBodySchema) },
  responses: {
    202: jsonResponse(signupResultSchema, "Asked: check the inbox, then sign in"),
    ...errorResponses,
  },
});

const loginRoute = createRoute({
  method: "post",
  path: "/auth/login",
  tags,
  summary: "Sign in with email and password",
  request: { body: jsonBody(loginBodySchema) },
  responses: { 200: jsonResponse(authResultSchema, "Signed in"), ...errorResponses },
});

const refreshRoute = createRoute({
  method: "post",
  path: "/auth/refresh",
  tags,
  summary: "Rotate a refresh token (body or cookie) for a new token pair",
  request: { body: { ...jsonBody(refreshBodySchema), required: false } },
  responses: { 200: jsonResponse(authResultSchema, "New tokens"), ...errorResponses },
});

const logoutRoute = createRoute({
  method: "post",
  path: "/auth/logout",
  tags,
  summary: "End the current session",
  responses: { 200: jsonResponse(z.null(), "Signed out"), ...errorResponses },
});

const meRoute = authenticatedRoute({
  method: "get",
  path: "/auth/me",
  tags,
  summary: "The caller: user, current organization, role and permissions",
  responses: { 200: jsonResponse(meSchema, "The caller"), ...errorResponses },
});

function setSessionCookies(c: AppContext, result: AuthResult) {
  for (const cookie of sessionCookies(result)) c.header("Set-Cookie", cookie, { append: true });
}

const switchRoute = authenticatedRoute({
  method: "post",
  path: "/auth/switch-organization",
  tags,
  summary: "Continue in another of your organizations (new tokens; the current session ends)",
  request: { body: jsonBody(switchOrganizationBodySchema) },
  responses: { 200: jsonResponse(authResultSchema, "Switched"), ...errorResponses },
});

const forgotRoute = createRoute({
  method: "post",
  path: "/auth/password/forgot",
  tags,
  summary: "Email a password-reset link (202 whether or not the address has an account)",
  description:
    "The link works once, for 30 minutes. Each address may ask 10 times an hour (429 past it); an account gets at most 3 emails an hour.",
  request: { body: jsonBody(forgotPasswordBodySchema) },
  responses: { 202: jsonResponse(z.null(), "Asked"), ...errorResponses },
});

const resetRoute = createRoute({
  method: "post",
  path: "/auth/password/reset",
  tags,
  summary: "Set a new password with a reset link's token; every session of the account ends",
  request: { body: jsonBody(resetPasswordBodySchema) },
  responses: { 200: jsonResponse(z.null(), "Password changed"), ...errorResponses },
});

const verifyEmailRoute = createRoute({
  method: "post",
  path: "/auth/verify-email",
  tags,
  summary: "Confirm an address with the token of the link sent at sign-up",
  request: { body: jsonBody(verifyEmailBodySchema) },
  responses: {
    200: jsonResponse(z.object({ email: z.string() }), "Address confirmed"),
    ...errorResponses,
  },
});

export function registerAuthRoutes(app: ReturnType<typeof createRouter>) {
  app.openapi(forgotRoute, async (c) => {
    const { email } = c.req.valid("json");
    await limitPasswordResetRequest(attemptContext(c));
    requestPasswordResetAfterAnswer(
      { ...attemptContext(c), waitUntil: (promise) => c.executionCtx.waitUntil(promise) },
      email,
    );
    return c.json(
      ok(null, "If an account uses this address, a link to reset its password is on its way."),
      202,
    );
  });

  app.openapi(resetRoute, async (c) => {
    const body = c.req.valid("json");
    await limitSignInAttempt(attemptContext(c));
    await resetPassword({ ...attemptContext(c), afterCommit: afterCommitOf(c) }, body);
    for (const cookie of clearedSessionCookies()) c.header("Set-Cookie", cookie, { append: true });
    return c.json(ok(null, "Your password was changed. Sign in with it."), 200);
  });

  app.openapi(verifyEmailRoute, async (c) => {
    const { token } = c.req.valid("json");
    await limitSignInAttempt(attemptContext(c));
    const verified = await verifyEmail(c.var.database, token);
    return c.json(ok(verified, "Your email address is confirmed."), 200);
  });

  app.openapi(signupRoute, async (c) => {
    const body = c.req.valid("json");
    await limitSignInAttempt(attemptContext(c));
    const outcome = await signup(c.var.database, c.var.config, body, c.var.meta, afterCommitOf(c));
    if (outcome === "exists") {
      tellAccountExistsAfterAnswer(
        { ...attemptContext(c), waitUntil: (promise) => c.executionCtx.waitUntil(promise) },
        body.email,
      );
    }
    return c.json(ok({ email: normalizeEmail(body.email) }, SIGNUP_ANSWER), 202);
  });

  app.openapi(loginRoute, async (c) => {
    const body = c.req.valid("json");
    await limitSignInAttempt(attemptContext(c));
    const result = await login(attemptContext(c), body);
    setSessionCookies(c, result);
    return c.json(ok(toAuthPayload(result), "Signed in."), 200);
  });

  app.openapi(refreshRoute, async (c) => {
    await limitSignInAttempt(attemptContext(c));
    const body = await optionalJson(c);
    const token = body.refreshToken ?? readCookie(c.req.raw, REFRESH_COOKIE);
    if (!token) throw ApiError.unauthenticated("Send a refresh token.");
    const result = await refresh(c.var.database, c.var.config, token, c.var.meta);
    setSessionCookies(c, result);
    return c.json(ok(toAuthPayload(result), "Tokens refreshed."), 200);
  });

  app.openapi(logoutRoute, async (c) => {
    const presented = await readCredential(c.req.raw, c.var.config);
    const refreshToken = readCookie(c.req.raw, REFRESH_COOKIE);
    requireOwnOriginForCookies(
      c,
      presented ? presented.source === "cookie" : refreshToken !== undefined,
    );
    if (presented) {
      c.set("credential", presented.credential);
      await withTenant(c, logout);
    } else {
      if (refreshToken) await logoutByRefreshToken(c.var.database, refreshToken, afterCommitOf(c));
    }
    for (const cookie of clearedSessionCookies()) c.header("Set-Cookie", cookie, { append: true });
    return c.json(ok(null, "Signed out."), 200);
  });

  app.openapi(switchRoute, async (c) => {
    const { organizationId } = c.req.valid("json");
    const actor = await withTenant(c, async (scope) => scope.actor);
    const result = await switchOrganization(
      c.var.database,
      c.var.config,
      actor,
      organizationId,
      c.var.meta,
    );
    setSessionCookies(c, result);
    return c.json(ok(toAuthPayload(result), `Switched to ${result.organization.name}.`), 200);
  });

  app.openapi(meRoute, async (c) => {
    const me = await withTenant(c, (scope) => describeActor(scope, c.var.config));
    return c.json(ok(me), 200);
  });
}

/** The refresh body is optional (browsers send the cookie instead). */
async function optionalJson(c: AppContext): Promise<z.infer<typeof refreshBodySchema>> {
  const text = await c.req.text();
  if (!text.trim()) return {};
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ApiError(400, "invalid_json", "The request body is not valid JSON.");
  }
  const parsed = refreshBodySchema.safeParse(json);
  if (!parsed.success) throw ApiError.validation({ refreshToken: ["Expected a string."] });
  return parsed.data;
}
