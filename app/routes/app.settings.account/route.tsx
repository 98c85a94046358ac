import type { MetaFunction } from "@remix-run/cloudflare";
import { Form, useLoaderData } from "@remix-run/react";
import { type ReactNode, useEffect, useRef } from "react";
import { PageBody, PageHeader } from "../../components/page";
import { RouteError } from "../../components/route-error";
import { FormOutcome } from "../../components/settings-parts";
import { Badge, Button, Section, TextField } from "../../components/ui";
import { type FormFailure, failureFor } from "../../lib/forms";
import { useActionResult } from "../../lib/use-action-result";
import { useSubmitting } from "../../lib/use-pending";
import type { action, loader } from "./account.server";

export { action, loader } from "./account.server";

export const meta: MetaFunction = () => [{ title: "Account · Settings · Switchboard" }];

type Intent = "name" | "email" | "password" | "resend";
type Outcome = { ok: true; intent: Intent; message: string } | FormFailure | undefined;

function successOf(outcome: Outcome, intent: Intent) {
  return outcome?.ok && outcome.intent === intent ? outcome : undefined;
}

/** A section's form: its fields, then the button in the section's footer. */
function SectionForm({
  intent,
  label,
  done,
  children,
}: {
  intent: Intent;
  label: string;
  /** This form's success: its fields are emptied (passwords are not left in them). */
  done?: object | undefined;
  children: ReactNode;
}) {
  const submitting = useSubmitting(intent);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (done) form.current?.reset();
  }, [done]);
  return (
    <Form method="post" ref={form}>
      <input type="hidden" name="intent" value={intent} />
      <div className="space-y-4 px-5 py-4">{children}</div>
      <div className="flex items-center justify-end border-t border-slate-200 px-5 py-4">
        <Button type="submit" pending={submitting} disabled={submitting}>
          {label}
        </Button>
      </div>
    </Form>
  );
}

export default function AccountSettings() {
  const { user } = useLoaderData<typeof loader>();
  const outcome = useActionResult<typeof action>() as Outcome;
  const failed = (intent: Intent) => failureFor(outcome, intent);
  const emailSent = successOf(outcome, "email");
  const resending = useSubmitting("resend");
  return (
    <>
      <PageHeader
        eyebrow="Settings"
        title="Account"
        description="Your name, the address you sign in with, and your password. These are yours alone, the same in each of your organizations."
      />
      <PageBody>
        <div className="space-y-6">
          <Section id="account-name" title="Name" description="How your team sees you.">
            <FormOutcome
              className="px-5 pt-4"
              failure={failed("name")}
              success={successOf(outcome, "name")}
              failureTitle="Your name was not saved"
            />
            <SectionForm intent="name" label="Save name">
              <TextField
                label="Name"
                name="name"
                autoComplete="name"
                required
                maxLength={120}
                defaultValue={failed("name")?.values.name ?? user.name}
                errors={failed("name")?.fieldErrors.name}
              />
            </SectionForm>
          </Section>

          <Section
            id="account-email"
            title="Email address"
            description="You sign in with it, and account emails go to it."
          >
            <div className="space-y-3 px-5 pt-4">
              <p className="flex flex-wrap items-center gap-2 text-sm text-slate-800">
                <span className="font-medium break-all">{user.email}</span>
                {user.emailVerified ? (
                  <Badge tone="success">Verified</Badge>
                ) : (
                  <Badge tone="warning">Not verified</Badge>
                )}
              </p>
              {user.emailVerified ? null : (
                <Form method="post" className="flex flex-wrap items-center gap-3 text-sm">
                  <input type="hidden" name="intent" value="resend" />
                  <span className="text-slate-600">
                    Open the link we sent to confirm it is yours.
                  </span>
                  <Button
                    type="submit"
                    variant="secondary"
                    size="sm"
                    pending={resending}
                    disabled={resending}
                  >
                    Resend verification email
                  </Button>
                </Form>
              )}
              <FormOutcome
                failure={failed("resend")}
                success={successOf(outcome, "resend")}
                failureTitle="The email was not sent"
              />
              <FormOutcome
                failure={failed("email")}
                success={emailSent}
                failureTitle="Your address was not changed"
              />
            </div>
            <SectionForm intent="email" label="Change email" done={emailSent}>
              <p className="text-sm text-slate-600">
                We send a link to the new address; your address changes once you open it. Your
                current address is told about the change.
              </p>
              <TextField
                label="New email address"
                name="newEmail"
                type="email"
                autoComplete="email"
                required
                defaultValue={failed("email")?.values.newEmail ?? ""}
                errors={failed("email")?.fieldErrors.newEmail}
              />
              <TextField
                label="Current password"
                name="password"
                type="password"
                autoComplete="current-password"
                required
                errors={failed("email")?.fieldErrors.password}
              />
            </SectionForm>
          </Section>

          <Section
            id="account-password"
            title="Password"
            description="Changing it signs you out everywhere else; you stay signed in here."
          >
            <FormOutcome
              className="px-5 pt-4"
              failure={failed("password")}
              success={successOf(outcome, "password")}
              failureTitle="Your password was not changed"
            />
            <SectionForm
              intent="password"
              label="Change password"
              done={successOf(outcome, "password")}
            >
              <TextField
                label="Current password"
                name="currentPassword"
                type="password"
                autoComplete="current-password"
                required
                errors={failed("password")?.fieldErrors.currentPassword}
              />
              <TextField
                label="New password"
                name="newPassword"
                type="password"
                autoComplete="new-password"
                required
                minLength={8}
                hint="At least 8 characters. A few words make a good one."
                errors={failed("password")?.fieldErrors.newPassword}
              />
            </SectionForm>
          </Section>
        </div>
      </PageBody>
    </>
  );
}

export function ErrorBoundary() {
  return <RouteError />;
}
