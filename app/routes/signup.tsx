import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/cloudflare";
import { Form, Link } from "@remix-run/react";
import { sessionCookies } from "../../worker/auth/cookies";
import { signupBodySchema } from "../../worker/auth/schemas";
import { signup } from "../../worker/auth/service";
import { limitSignInAttempt } from "../../worker/rate-limit/enforce";
import { AuthLayout, textLink } from "../components/auth-layout";
import { Alert, Button, TextField } from "../components/ui";
import { formFailure, parseForm, readForm } from "../lib/actions.server";
import { isFailure } from "../lib/forms";
import { afterCommitFor, cookieHeaders, getUser } from "../lib/session.server";
import { useActionResult } from "../lib/use-action-result";
import { useSubmitting } from "../lib/use-pending";

export const meta: MetaFunction = () => [{ title: "Create your workspace · Switchboard" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await getUser(request, context);
  if (session) throw redirect("/app", { headers: session.headers });
  return json(null);
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  try {
    const { name, email, password, organizationName } = form.values;
    const input = parseForm(signupBodySchema, { name, email, password, organizationName });
    await limitSignInAttempt(context);
    const result = await signup(
      context.database,
      context.config,
      input,
      context.meta,
      afterCommitFor(context),
    );
    return redirect("/app", { headers: cookieHeaders(sessionCookies(result)) });
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
