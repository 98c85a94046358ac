import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/cloudflare";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { normalizeEmail } from "../../worker/auth/accounts";
import { REFRESH_COOKIE, readCookie, sessionCookies } from "../../worker/auth/cookies";
import { passwordSchema, personNameSchema } from "../../worker/auth/schemas";
import { logoutByRefreshToken } from "../../worker/auth/service";
import { acceptInvitation, previewInvitation } from "../../worker/invitations/service";
import { ApiError } from "../../worker/lib/errors";
import { limitSignInAttempt } from "../../worker/rate-limit/enforce";
import { AuthLayout, textLink } from "../components/auth-layout";
import { Alert, Badge, Button, TextField } from "../components/ui";
import { formFailure, parseForm, readForm } from "../lib/actions.server";
import { isFailure } from "../lib/forms";
import { ROLE_DESCRIPTIONS, ROLE_LABELS } from "../lib/roles";
import { afterCommitFor, cookieHeaders, getUser } from "../lib/session.server";
import { useActionResult } from "../lib/use-action-result";
import { useSubmitting } from "../lib/use-pending";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title:
      data?.state === "open"
        ? `Join ${data.organizationName} · Switchboard`
        : "Invitation · Switchboard",
  },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const session = await getUser(request, context);
  const headers = session?.headers ?? new Headers();
  try {
    const preview = await previewInvitation(context.database, params.token ?? "");
    const signedInAs = session?.me.user.email ?? null;
    const mode =
      signedInAs && normalizeEmail(signedInAs) === preview.email
        ? ("signed-in" as const)
        : preview.hasAccount
          ? ("existing" as const)
          : ("new" as const);
    return json(
      {
        state: "open" as const,
        organizationName: preview.organizationName,
        email: preview.email,
        role: preview.role,
        mode,
        signedInAs,
      },
      { headers },
    );
  } catch (error) {
    if (error instanceof ApiError && [404, 409, 410].includes(error.status)) {
      return json(
        {
          state: "unusable" as const,
          message: error.message,
          accepted: error.status === 409,
          signedIn: Boolean(session),
        },
        { status: error.status, headers },
      );
    }
    throw error;
  }
}

const newAccountForm = z.object({ name: personNameSchema, password: passwordSchema });
const existingAccountForm = z.object({
  password: z.string().min(1, "Enter your password.").max(256),
});

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  try {
    let input: { name?: string; password?: string; signedInUserId?: string } = {};
    if (form.intent === "accept-signed-in") {
      const session = await getUser(request, context);
      if (!session) {
        throw ApiError.unauthenticated("Your session has ended. Reload the page to continue.");
      }
      input = { signedInUserId: session.me.user.id };
    } else if (form.intent === "accept-new") {
      input = parseForm(newAccountForm, form.values);
    } else if (form.intent === "accept-existing") {
      input = parseForm(existingAccountForm, form.values);
    } else {
      throw ApiError.badRequest("Choose how to accept the invitation.");
    }
    // A password here is a sign-in attempt: the same limits as the sign-in form (the password
    // itself is checked by checkPassword, with its failure budgets and audit).
    if (input.password) await limitSignInAttempt(context);
    const result = await acceptInvitation(
      context,
      { token: params.token ?? "", ...input },
      afterCommitFor(context),
    );
    // The new session replaces any previous one in this browser; end that one properly.
    const previous = readCookie(request, REFRESH_COOKIE);
    if (previous) await logoutByRefreshToken(context.database, previous, afterCommitFor(context));
    return redirect("/app", { headers: cookieHeaders(sessionCookies(result)) });
  } catch (error) {
    return formFailure(error, form);
  }
}

export default function AcceptInvitation() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionResult<typeof action>();
  const failure = isFailure(actionData) ? actionData : undefined;
  const submitting = useSubmitting();

  if (data.state === "unusable") {
    return (
      <AuthLayout title="This invitation can't be used">
        <div className="space-y-4 text-sm text-slate-700">
          <p>{data.message}</p>
          <p>
            {data.accepted
              ? "If you accepted it, sign in to get to your team."
              : "Ask the person who invited you to send a new link."}
          </p>
          <Link to={data.signedIn ? "/app" : "/login"} className={textLink}>
            {data.signedIn ? "Go to Switchboard" : "Sign in instead"}
          </Link>
        </div>
      </AuthLayout>
    );
  }

  const errors = failure?.fieldErrors ?? {};
  return (
    <AuthLayout
      title={`Join ${data.organizationName}`}
      subtitle="You've been invited to the team's Switchboard workspace."
    >
      <dl className="mb-6 divide-y divide-slate-100 rounded-lg bg-slate-50 px-4 text-sm ring-1 ring-slate-200">
        <div className="flex items-center justify-between gap-4 py-2.5">
          <dt className="text-slate-600">Organization</dt>
          <dd className="truncate font-medium text-slate-900">{data.organizationName}</dd>
        </div>
        <div className="flex items-center justify-between gap-4 py-2.5">
          <dt className="text-slate-600">Invited email</dt>
          <dd className="truncate font-medium text-slate-900">{data.email}</dd>
        </div>
        <div className="flex items-center justify-between gap-4 py-2.5">
          <dt className="text-slate-600">Role</dt>
          <dd className="text-right">
            <Badge tone="accent">{ROLE_LABELS[data.role]}</Badge>
            <span className="sr-only">: </span>
            <span className="mt-1 block text-xs text-slate-600">
              {ROLE_DESCRIPTIONS[data.role]}
            </span>
          </dd>
        </div>
      </dl>

      {failure ? (
        <div className="mb-5">
          <Alert title="You haven't joined yet">{failure.message}</Alert>
        </div>
      ) : null}

      {data.mode === "signed-in" ? (
        <Form method="post" className="space-y-4">
          <input type="hidden" name="intent" value="accept-signed-in" />
          <p className="text-sm text-slate-700">
            You're signed in as <span className="font-medium">{data.signedInAs}</span>.
          </p>
          <Button className="w-full" pending={submitting} disabled={submitting}>
            Join {data.organizationName}
          </Button>
        </Form>
      ) : (
        <>
          {data.signedInAs ? (
            <div className="mb-5">
              <Alert tone="info" focusOnMount={false}>
                You're signed in as {data.signedInAs}. Joining signs you in as {data.email} instead.
              </Alert>
            </div>
          ) : null}
          {data.mode === "existing" ? (
            <Form method="post" className="space-y-5" noValidate>
              <input type="hidden" name="intent" value="accept-existing" />
              <input
                type="email"
                name="username"
                autoComplete="username"
                value={data.email}
                readOnly
                hidden
              />
              <p className="text-sm text-slate-700">
                {data.email} already has a Switchboard account. Enter its password to join.
              </p>
              <TextField
                label="Password"
                name="password"
                type="password"
                autoComplete="current-password"
                required
                errors={errors.password}
              />
              <Button className="w-full" pending={submitting} disabled={submitting}>
                Join {data.organizationName}
              </Button>
            </Form>
          ) : (
            <Form method="post" className="space-y-5" noValidate>
              <input type="hidden" name="intent" value="accept-new" />
              <input
                type="email"
                name="username"
                autoComplete="username"
                value={data.email}
                readOnly
                hidden
              />
              <TextField
                label="Your name"
                name="name"
                autoComplete="name"
                required
                defaultValue={failure?.values.name}
                errors={errors.name}
              />
              <TextField
                label="Choose a password"
                name="password"
                type="password"
                autoComplete="new-password"
                required
                minLength={8}
                hint="At least 8 characters."
                errors={errors.password}
              />
              <Button className="w-full" pending={submitting} disabled={submitting}>
                Create account and join
              </Button>
            </Form>
          )}
        </>
      )}
    </AuthLayout>
  );
}
