import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/cloudflare";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { confirmEmailChange } from "../../worker/auth/account-settings";
import { confirmEmailChangeBodySchema } from "../../worker/auth/schemas";
import { limitSignInAttempt } from "../../worker/rate-limit/enforce";
import { AuthLayout } from "../components/auth-layout";
import { Alert, Button, buttonClass, cx } from "../components/ui";
import { formFailure, parseForm, readForm } from "../lib/actions.server";
import { isFailure } from "../lib/forms";
import { afterCommitFor } from "../lib/session.server";
import { useActionResult } from "../lib/use-action-result";
import { useSubmitting } from "../lib/use-pending";

export const meta: MetaFunction = () => [{ title: "Confirm your new email · Switchboard" }];

/*
 * The link of the email-change email, sent to the new address. As /verify-email, opening it
 * only shows a button (mail scanners fetch links; a GET must not use the token up); pressing
 * it (a POST) moves the account's sign-in to the new address.
 */
export function loader({ request }: LoaderFunctionArgs) {
  return json({ token: new URL(request.url).searchParams.get("token") ?? "" });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const kept = { intent: form.intent, values: { token: form.values.token ?? "" } };
  try {
    const { token } = parseForm(confirmEmailChangeBodySchema, { token: form.values.token ?? "" });
    await limitSignInAttempt(context);
    const { email } = await confirmEmailChange(
      { ...context, afterCommit: afterCommitFor(context) },
      token,
    );
    return json({ ok: true as const, email });
  } catch (error) {
    return formFailure(error, kept);
  }
}

export default function ConfirmEmail() {
  const { token } = useLoaderData<typeof loader>();
  const data = useActionResult<typeof action>();
  const failure = isFailure(data) ? data : undefined;
  const submitting = useSubmitting();

  if (data?.ok) {
    return (
      <AuthLayout title="Your email address was changed">
        <div className="space-y-5 text-sm text-slate-700">
          <Alert tone="success" focusOnMount>
            You now sign in with <span className="break-words font-medium">{data.email}</span>.
          </Alert>
          <Link to="/app" className={cx(buttonClass(), "w-full")}>
            Continue to Switchboard
          </Link>
        </div>
      </AuthLayout>
    );
  }

  if (!token || failure?.fieldErrors.token) {
    return (
      <AuthLayout title="This link can't be used">
        <div className="space-y-4 text-sm text-slate-700">
          <Alert focusOnMount={Boolean(failure)}>
            This link has expired or was already used. Ask for a new one in your account settings.
          </Alert>
          <Link to="/app/settings/account" className={cx(buttonClass("secondary"), "w-full")}>
            Go to account settings
          </Link>
        </div>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout
      title="Confirm your new email address"
      subtitle="Press the button to sign in with this address from now on."
    >
      <Form method="post" className="space-y-5">
        {failure ? <Alert title="Not changed">{failure.message}</Alert> : null}
        <input type="hidden" name="token" value={token} />
        <Button className="w-full" pending={submitting} disabled={submitting}>
          Use this address
        </Button>
      </Form>
    </AuthLayout>
  );
}
