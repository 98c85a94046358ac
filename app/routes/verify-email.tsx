import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/cloudflare";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { verifyEmail } from "../../worker/auth/account-links";
import { verifyEmailBodySchema } from "../../worker/auth/schemas";
import { limitSignInAttempt } from "../../worker/rate-limit/enforce";
import { AuthLayout } from "../components/auth-layout";
import { Alert, Button, buttonClass, cx } from "../components/ui";
import { formFailure, parseForm, readForm } from "../lib/actions.server";
import { isFailure } from "../lib/forms";
import { useActionResult } from "../lib/use-action-result";
import { useSubmitting } from "../lib/use-pending";

export const meta: MetaFunction = () => [{ title: "Confirm your email · Switchboard" }];

/*
 * The link of the sign-up email. Opening it only shows a button: mail scanners fetch the links
 * of incoming mail, and a GET that used the token up would confirm the address for them (and
 * leave the person a dead link). Pressing the button (a POST) confirms it.
 */
export function loader({ request }: LoaderFunctionArgs) {
  return json({ token: new URL(request.url).searchParams.get("token") ?? "" });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const kept = { intent: form.intent, values: { token: form.values.token ?? "" } };
  try {
    const { token } = parseForm(verifyEmailBodySchema, { token: form.values.token ?? "" });
    await limitSignInAttempt(context);
    const { email } = await verifyEmail(context.database, token);
    return json({ ok: true as const, email });
  } catch (error) {
    return formFailure(error, kept);
  }
}

export default function VerifyEmail() {
  const { token } = useLoaderData<typeof loader>();
  const data = useActionResult<typeof action>();
  const failure = isFailure(data) ? data : undefined;
  const submitting = useSubmitting();

  if (data?.ok) {
    return (
      <AuthLayout title="Your email is confirmed">
        <div className="space-y-5 text-sm text-slate-700">
          <Alert tone="success" focusOnMount>
            <span className="break-words">{data.email}</span> is confirmed. Thank you.
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
            This confirmation link has expired, was already used, or is for an address the account
            no longer uses.
          </Alert>
          <p>If you already confirmed your address, there is nothing more to do.</p>
          <Link to="/app" className={cx(buttonClass("secondary"), "w-full")}>
            Go to Switchboard
          </Link>
        </div>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout
      title="Confirm your email address"
      subtitle="Press the button to confirm that this address is yours."
    >
      <Form method="post" className="space-y-5">
        {failure ? <Alert title="Not confirmed yet">{failure.message}</Alert> : null}
        <input type="hidden" name="token" value={token} />
        <Button className="w-full" pending={submitting} disabled={submitting}>
          Confirm my email
        </Button>
      </Form>
    </AuthLayout>
  );
}
