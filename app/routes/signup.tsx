import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/cloudflare";
import { Form, Link } from "@remix-run/react";
import { tellAccountExistsAfterAnswer } from "../../worker/auth/account-links";
import { normalizeEmail } from "../../worker/auth/accounts";
import { signupBodySchema } from "../../worker/auth/schemas";
import { signup } from "../../worker/auth/service";
import { limitSignInAttempt } from "../../worker/rate-limit/enforce";
import { AuthLayout, textLink } from "../components/auth-layout";
import { Alert, Button, TextField } from "../components/ui";
import { formFailure, parseForm, readForm } from "../lib/actions.server";
import { isFailure } from "../lib/forms";
import { afterCommitFor, getUser } from "../lib/session.server";
import { useActionResult } from "../lib/use-action-result";
import { useSubmitting } from "../lib/use-pending";

export const meta: MetaFunction = () => [{ title: "Create your workspace · Switchboard" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await getUser(request, context);
  if (session) throw redirect("/app", { headers: session.headers });
  return json(null);
}

/*
 * Sign-up answers the same whether or not the address already has an account (finding L4): a
 * new account and its workspace are created and a confirmation link sent, or the account that
 * has the address is told by email; either way the page says "check your inbox, then sign in".
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  try {
    const { name, email, password, organizationName } = form.values;
    const input = parseForm(signupBodySchema, { name, email, password, organizationName });
    await limitSignInAttempt(context);
    const outcome = await signup(
      context.database,
      context.config,
      input,
      context.meta,
      afterCommitFor(context),
    );
    if (outcome === "exists") {
      tellAccountExistsAfterAnswer(
        { ...context, waitUntil: (promise) => context.ctx.waitUntil(promise) },
        input.email,
      );
    }
    return json({ ok: true as const, email: normalizeEmail(input.email) });
  } catch (error) {
    return formFailure(error, form);
  }
}

export default function Signup() {
  const data = useActionResult<typeof action>();
  const failure = isFailure(data) ? data : undefined;
  const errors = failure?.fieldErrors ?? {};
  const values = failure?.values ?? {};
  const submitting = useSubmitting();
  if (data?.ok) {
    return (
      <AuthLayout title="Check your inbox">
        <div className="space-y-4 text-sm text-slate-700">
          <Alert tone="success" focusOnMount>
            We sent an email to <strong className="break-all">{data.email}</strong>. It has a link
            to confirm your address.
          </Alert>
          <p>Then sign in with this address and the password you chose to open your workspace.</p>
          <Link
            to={`/login?email=${encodeURIComponent(data.email)}`}
            className="inline-flex w-full items-center justify-center rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
          >
            Sign in
          </Link>
          <p className="text-xs text-slate-600">
            Nothing after a few minutes? Check your spam folder. Already had an account with this
            address? The email tells you how to get back in.
          </p>
        </div>
      </AuthLayout>
    );
  }
  return (
    <AuthLayout
      title="Create your workspace"
      subtitle="Start with your team's shared CRM. You'll be its owner."
      footer={
        <>
          Already have an account?{" "}
          <Link to="/login" className={textLink}>
            Sign in
          </Link>
        </>
      }
    >
      <Form method="post" className="space-y-5" noValidate>
        {failure ? <Alert title="We couldn't create your account">{failure.message}</Alert> : null}
        <TextField
          label="Your name"
          name="name"
          autoComplete="name"
          required
          defaultValue={values.name}
          errors={errors.name}
        />
        <TextField
          label="Work email"
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={values.email}
          errors={errors.email}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          hint="At least 8 characters. A passphrase works well."
          errors={errors.password}
        />
        <TextField
          label="Organization name"
          name="organizationName"
          autoComplete="organization"
          required
          defaultValue={values.organizationName}
          errors={errors.organizationName}
        />
        <Button className="w-full" pending={submitting} disabled={submitting}>
          Create account
        </Button>
      </Form>
    </AuthLayout>
  );
}
