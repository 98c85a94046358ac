import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/cloudflare";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { type FormEvent, useState } from "react";
import { PASSWORD_RESET_MINUTES, resetPassword } from "../../worker/auth/account-links";
import { clearedSessionCookies } from "../../worker/auth/cookies";
import { resetPasswordBodySchema } from "../../worker/auth/schemas";
import { ApiError } from "../../worker/lib/errors";
import { limitSignInAttempt } from "../../worker/rate-limit/enforce";
import { AuthLayout, textLink } from "../components/auth-layout";
import { Alert, Button, buttonClass, cx, TextField } from "../components/ui";
import { formFailure, parseForm, readForm } from "../lib/actions.server";
import { isFailure } from "../lib/forms";
import { afterCommitFor, cookieHeaders } from "../lib/session.server";
import { useActionResult } from "../lib/use-action-result";
import { useSubmitting } from "../lib/use-pending";

export const meta: MetaFunction = () => [{ title: "Choose a new password · Switchboard" }];

const MISMATCH = "The two passwords don't match.";
const TOO_SHORT = "Use at least 8 characters.";

/** The link's token; whether it still works is known only when it is used (it works once). */
export function loader({ request }: LoaderFunctionArgs) {
  return json({
    token: new URL(request.url).searchParams.get("token") ?? "",
    minutes: PASSWORD_RESET_MINUTES,
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const { token = "", password = "", confirmPassword = "" } = form.values;
  // Only the token goes back to the page: never the passwords.
  const kept = { intent: form.intent, values: { token } };
  try {
    const input = parseForm(resetPasswordBodySchema, { token, password });
    if (password !== confirmPassword) {
      throw ApiError.validation({ confirmPassword: [MISMATCH] }, "Check the highlighted fields.");
    }
    await limitSignInAttempt(context);
    await resetPassword(
      {
        database: context.database,
        config: context.config,
        meta: context.meta,
        afterCommit: afterCommitFor(context),
      },
      input,
    );
    // Every session of the person has ended; this browser's cookies go too.
    return redirect("/login?reset=1", { headers: cookieHeaders(clearedSessionCookies()) });
  } catch (error) {
    return formFailure(error, kept);
  }
}

export default function ResetPassword() {
  const { token, minutes } = useLoaderData<typeof loader>();
  const data = useActionResult<typeof action>();
  const failure = isFailure(data) ? data : undefined;
  const submitting = useSubmitting();
  // Checked in the browser before sending too (the server checks again).
  const [clientErrors, setClientErrors] = useState<Record<string, string[]>>({});

  if (!token || failure?.fieldErrors.token) {
    return (
      <AuthLayout
        title="This link can't be used"
        footer={
          <Link to="/login" className={textLink}>
            Back to sign in
          </Link>
        }
      >
        <div className="space-y-5">
          <Alert focusOnMount={Boolean(failure)}>
            This password reset link has expired or was already used. Each link works once, for{" "}
            {minutes} minutes.
          </Alert>
          <Link to="/forgot-password" className={cx(buttonClass(), "w-full")}>
            Ask for a new link
          </Link>
        </div>
      </AuthLayout>
    );
  }

  const serverErrors = failure?.fieldErrors ?? {};
  const errors = { ...serverErrors, ...clientErrors };

  const check = (event: FormEvent<HTMLFormElement>) => {
    const fields = new FormData(event.currentTarget);
    const password = String(fields.get("password") ?? "");
    const confirm = String(fields.get("confirmPassword") ?? "");
    const found: Record<string, string[]> = {};
    if (password.length < 8) found.password = [TOO_SHORT];
    else if (password !== confirm) found.confirmPassword = [MISMATCH];
    setClientErrors(found);
    if (Object.keys(found).length > 0) {
      event.preventDefault();
      const first = found.password ? "password" : "confirmPassword";
      event.currentTarget.querySelector<HTMLInputElement>(`[name="${first}"]`)?.focus();
    }
  };

  return (
    <AuthLayout
      title="Choose a new password"
      subtitle="Setting it signs you out everywhere, on every device."
      footer={
        <Link to="/login" className={textLink}>
          Back to sign in
        </Link>
      }
    >
      <Form method="post" className="space-y-5" noValidate onSubmit={check}>
        {failure ? <Alert title="Your password wasn't changed">{failure.message}</Alert> : null}
        <input type="hidden" name="token" value={token} />
        <TextField
          label="New password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          hint="At least 8 characters. A passphrase works well."
          errors={errors.password}
        />
        <TextField
          label="Confirm new password"
          name="confirmPassword"
          type="password"
          autoComplete="new-password"
          required
          errors={errors.confirmPassword}
        />
        <Button className="w-full" pending={submitting} disabled={submitting}>
          Set new password
        </Button>
      </Form>
    </AuthLayout>
  );
}
