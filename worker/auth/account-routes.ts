import { createRoute, z } from "@hono/zod-openapi";
import { ok } from "../lib/envelope";
import { afterCommitOf, attemptContext, type createRouter, withTenant } from "../lib/hono";
import { errorResponses, jsonBody, jsonResponse } from "../lib/openapi";
import { limitSignInAttempt } from "../rate-limit/enforce";
import {
  changeName,
  changePassword,
  confirmEmailChange,
  EMAIL_CHANGE_HOURS,
  requestEmailChange,
  resendEmailVerification,
} from "./account-settings";
import { authenticatedRoute } from "./authenticated-route";
import {
  changeEmailBodySchema,
  changePasswordBodySchema,
  confirmEmailChangeBodySchema,
  updateMeBodySchema,
  userSchema,
} from "./schemas";

/* The signed-in person's own account: name, sign-in address, password (worker/auth/account-settings.ts). */

const tags = ["Auth"];

const updateMeRoute = authenticatedRoute({
  method: "patch",
  path: "/auth/me",
  tags,
  summary: "Change your display name",
  request: { body: jsonBody(updateMeBodySchema) },
  responses: { 200: jsonResponse(userSchema, "Your account"), ...errorResponses },
});

const changeEmailRoute = authenticatedRoute({
  method: "post",
  path: "/auth/email",
  tags,
  summary: "Ask to sign in with another address (a link goes to it; 202 whether or not it is free)",
  description: `Needs the current password (a wrong one counts toward the sign-in limits and answers 401). The new address gets a link that works once, for ${EMAIL_CHANGE_HOURS} hours, unless another account uses it (that address gets a notice instead); the current address is told either way. Asking again replaces the earlier link. 5 asks an hour per account (429 past it).`,
  request: { body: jsonBody(changeEmailBodySchema) },
  responses: { 202: jsonResponse(z.null(), "Asked"), ...errorResponses },
});

const confirmEmailRoute = createRoute({
  method: "post",
  path: "/auth/email/confirm",
  tags,
  summary: "Confirm an address change with the token of the link sent to the new address",
  description:
    "The account signs in with the new address from now on (verified); the old address is told. 409 if another account took the address meanwhile; sessions stay signed in.",
  request: { body: jsonBody(confirmEmailChangeBodySchema) },
  responses: {
    200: jsonResponse(z.object({ email: z.string() }), "Address changed"),
    ...errorResponses,
  },
});

const changePasswordRoute = authenticatedRoute({
  method: "post",
  path: "/auth/password/change",
  tags,
  summary: "Change your password; every other session of yours ends",
  description:
    "Needs the current password (a wrong one counts toward the sign-in limits and answers 401). This session stays signed in; the others end, sockets included.",
  request: { body: jsonBody(changePasswordBodySchema) },
  responses: { 200: jsonResponse(z.null(), "Password changed"), ...errorResponses },
});

const resendVerificationRoute = authenticatedRoute({
  method: "post",
  path: "/auth/verify-email/resend",
  tags,
  summary: "Send the link that confirms your address again (3 an hour)",
  responses: { 202: jsonResponse(z.null(), "Sent, or already confirmed"), ...errorResponses },
});

export function registerAccountRoutes(app: ReturnType<typeof createRouter>) {
  app.openapi(updateMeRoute, async (c) => {
    const { name } = c.req.valid("json");
    const user = await withTenant(c, (scope) => changeName(scope, name));
    return c.json(ok(user, "Your name was saved."), 200);
  });

  app.openapi(changeEmailRoute, async (c) => {
    const body = c.req.valid("json");
    const actor = await withTenant(c, async (scope) => scope.actor);
    await requestEmailChange({ ...attemptContext(c), afterCommit: afterCommitOf(c) }, actor, body);
    return c.json(
      ok(null, "Check your new inbox: the link to confirm the address is on its way."),
      202,
    );
  });

  app.openapi(confirmEmailRoute, async (c) => {
    const { token } = c.req.valid("json");
    await limitSignInAttempt(attemptContext(c));
    const changed = await confirmEmailChange(
      { ...attemptContext(c), afterCommit: afterCommitOf(c) },
      token,
    );
    return c.json(ok(changed, `You now sign in with ${changed.email}.`), 200);
  });

  app.openapi(changePasswordRoute, async (c) => {
    const body = c.req.valid("json");
    const actor = await withTenant(c, async (scope) => scope.actor);
    await changePassword({ ...attemptContext(c), afterCommit: afterCommitOf(c) }, actor, body);
    return c.json(ok(null, "Your password was changed. Your other sessions were signed out."), 200);
  });

  app.openapi(resendVerificationRoute, async (c) => {
    const context = { ...attemptContext(c), afterCommit: afterCommitOf(c) };
    const result = await withTenant(c, (scope) => resendEmailVerification(scope, context));
    return c.json(
      ok(
        null,
        result.alreadyVerified
          ? "Your address is already confirmed."
          : "A new link to confirm your address is on its way.",
      ),
      202,
    );
  });
}
