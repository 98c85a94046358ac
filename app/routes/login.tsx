import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/cloudflare";
import { Form, Link, useSearchParams } from "@remix-run/react";
import { sessionCookies } from "../../worker/auth/cookies";
import { loginBodySchema } from "../../worker/auth/schemas";
import { login } from "../../worker/auth/service";
import { limitSignInAttempt } from "../../worker/rate-limit/enforce";
import { AuthLayout, textLink } from "../components/auth-layout";
import { Alert, Button, TextField } from "../components/ui";
import { formFailure, parseForm, readForm } from "../lib/actions.server";
import { isFailure } from "../lib/forms";
import { safeRedirect } from "../lib/redirect";
import { cookieHeaders, getUser } from "../lib/session.server";
import { useActionResult } from "../lib/use-action-result";
import { useSubmitting } from "../lib/use-pending";

export const meta: MetaFunction = () => [{ title: "Sign in · Switchboard" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await getUser(request, context);
  const redirectTo = safeRedirect(new URL(request.url).searchParams.get("redirectTo"));
  if (session) throw redirect(redirectTo, { headers: session.headers });
  return json(null);
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  try {
    const { email, password } = form.values;
    const input = parseForm(loginBodySchema, { email, password });
    await limitSignInAttempt(context);
    const result = await login(context, input);
    return redirect(safeRedirect(form.values.redirectTo), {
      headers: cookieHeaders(sessionCookies(result)),
    });
  } catch (error) {
    return formFailure(error, form);
  }
}

export default function Login() {
  const data = useActionResult<typeof action>();
  const [searchParams] = useSearchParams();
  const failure = isFailure(data) ? data : undefined;
  const errors = failure?.fieldErrors ?? {};
  const submitting = useSubmitting();
  return (
    <AuthLayout
      title="Sign in to Switchboard"
      subtitle="Welcome back. Enter your work email and password."
      footer={
        <>
          New to Switchboard?{" "}
          <Link to="/signup" className={textLink}>
            Create a workspace
          </Link>
        </>
      }
    >
      <Form method="post" className="space-y-5" noValidate>
        {failure ? (
          <Alert title="Sign-in failed">{failure.message}</Alert>
        ) : searchParams.get("reset") === "1" ? (
          <Alert tone="success">Your password was changed. Sign in with it.</Alert>
        ) : null}
        <input
          type="hidden"
          name="redirectTo"
          value={failure?.values.redirectTo ?? searchParams.get("redirectTo") ?? ""}
        />
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="username"
          required
          defaultValue={failure?.values.email ?? searchParams.get("email") ?? undefined}
          errors={errors.email}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          errors={errors.password}
        />
        <p className="-mt-3 text-right text-sm">
          <Link to="/forgot-password" className={textLink}>
            Forgot your password?
          </Link>
        </p>
        <Button className="w-full" pending={submitting} disabled={submitting}>
          Sign in
        </Button>
      </Form>
    </AuthLayout>
  );
}
