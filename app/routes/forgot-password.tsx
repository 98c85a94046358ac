import { type ActionFunctionArgs, json, type MetaFunction } from "@remix-run/cloudflare";
import { Form, Link } from "@remix-run/react";
import {
  limitPasswordResetRequest,
  PASSWORD_RESET_MINUTES,
  requestPasswordResetAfterAnswer,
} from "../../worker/auth/account-links";
import { forgotPasswordBodySchema } from "../../worker/auth/schemas";
import { AuthLayout, textLink } from "../components/auth-layout";
import { Alert, Button, TextField } from "../components/ui";
import { formFailure, parseForm, readForm } from "../lib/actions.server";
import { isFailure } from "../lib/forms";
import { useActionResult } from "../lib/use-action-result";
import { useSubmitting } from "../lib/use-pending";

export const meta: MetaFunction = () => [{ title: "Reset your password · Switchboard" }];

/*
 * Forgot password: the answer is the same whether or not an account uses the address, and it
 * comes before any work on it (the lookup and the email run after the response, so its time
 * says nothing either). Each address may ask a few times an hour (429 past it), as in the API.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  try {
    const { email } = parseForm(forgotPasswordBodySchema, { email: form.values.email });
    await limitPasswordResetRequest(context);
    requestPasswordResetAfterAnswer(
      { ...context, waitUntil: (promise) => context.ctx.waitUntil(promise) },
      email,
    );
    return json({ ok: true as const, minutes: PASSWORD_RESET_MINUTES });
  } catch (error) {
    return formFailure(error, form);
  }
}

export default function ForgotPassword() {
  const data = useActionResult<typeof action>();
  const failure = isFailure(data) ? data : undefined;
  const submitting = useSubmitting();
  const backToSignIn = (
    <>
      Remembered it?{" "}
      <Link to="/login" className={textLink}>
        Back to sign in
      </Link>
    </>
  );

  if (data?.ok) {
    return (
      <AuthLayout title="Check your email" footer={backToSignIn}>
        <div className="space-y-4 text-sm text-slate-700">
          <Alert tone="success" focusOnMount>
            If an account uses this address, a link to reset its password is on its way; it works
            for {data.minutes} minutes.
          </Alert>
          <p>
            Nothing after a few minutes? Check your spam folder, or{" "}
            <Link to="/forgot-password" className={textLink}>
              try another address
            </Link>
            .
          </p>
        </div>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout
      title="Reset your password"
      subtitle="Enter the email you sign in with. We'll send you a link to choose a new password."
      footer={backToSignIn}
    >
      <Form method="post" className="space-y-5" noValidate>
        {failure ? <Alert title="We couldn't send the link">{failure.message}</Alert> : null}
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="username"
          required
          defaultValue={failure?.values.email}
          errors={failure?.fieldErrors.email}
        />
        <Button className="w-full" pending={submitting} disabled={submitting}>
          Send reset link
        </Button>
      </Form>
    </AuthLayout>
  );
}
