import type { MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { CopyField } from "../../components/copy-field";
import { PageBody, PageHeader } from "../../components/page";
import { RouteError } from "../../components/route-error";
import { Alert, Button, CheckboxField, Section, SelectField, TextField } from "../../components/ui";
import { type FormFailure, failureFor } from "../../lib/forms";
import { useActionResult } from "../../lib/use-action-result";
import { useSubmitting } from "../../lib/use-pending";
import type { action, loader } from "./organization.server";

export { action, loader } from "./organization.server";

export const meta: MetaFunction = () => [{ title: "Organization · Settings · Switchboard" }];

export default function OrganizationSettings() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionResult<typeof action>() as
    | { ok: true; message: string }
    | FormFailure
    | undefined;
  const failure = failureFor(actionData, "save");
  const saving = useSubmitting("save");
  const { organization } = data;
  const value = (name: keyof typeof organization) =>
    failure?.values[name] ?? String(organization[name]);
  const errors = (name: string) => failure?.fieldErrors[name];
  const readOnly = !data.canManage;
  return (
    <>
      <PageHeader
        eyebrow="Settings"
        title="Organization"
        description="Your organization's name and the defaults the CRM uses: phone numbers typed without a country code are read in the default country, and deals without a currency use the organization's."
      />
      <PageBody>
        {readOnly ? (
          <Alert tone="info" focusOnMount={false}>
            Only owners and admins can change these settings.
          </Alert>
        ) : null}
        {actionData?.ok ? <Alert tone="success">{actionData.message}</Alert> : null}
        {failure && Object.keys(failure.fieldErrors).length === 0 ? (
          <Alert title="The settings were not saved">{failure.message}</Alert>
        ) : null}
        <Section id="organization" title="Name and defaults">
          <Form method="post" className="grid gap-4 px-5 py-5 sm:grid-cols-2">
            <input type="hidden" name="intent" value="save" />
            <TextField
              label="Name"
              name="name"
              required
              maxLength={120}
              defaultValue={value("name")}
              errors={errors("name")}
              readOnly={readOnly}
              className="sm:col-span-2"
            />
            <SelectField
              label="Default country"
              name="defaultCountry"
              hint="National numbers such as 020 7946 0000 are read in this country."
              options={data.countries}
              defaultValue={value("defaultCountry")}
              errors={errors("defaultCountry")}
              disabled={readOnly}
            />
            <SelectField
              label="Time zone"
              name="timeZone"
              options={data.timeZones}
              defaultValue={value("timeZone")}
              errors={errors("timeZone")}
              disabled={readOnly}
            />
            <SelectField
              label="Currency"
              name="currency"
              hint="New deals and converted leads use it unless they name another."
              options={data.currencies}
              defaultValue={value("currency")}
              errors={errors("currency")}
              disabled={readOnly}
            />
            <CheckboxField
              label="Ask requesters to rate solved tickets (CSAT)"
              name="csatEnabled"
              hint="When a ticket is solved, its requester gets an email asking them to rate the help from 1 to 5. Their answer shows on the ticket and in the desk's reports."
              defaultChecked={
                failure ? failure.values.csatEnabled === "on" : organization.csatEnabled
              }
              disabled={readOnly}
              className="sm:col-span-2"
            />
            {readOnly ? null : (
              <div className="flex items-end sm:col-span-2">
                <Button type="submit" pending={saving}>
                  Save
                </Button>
              </div>
            )}
          </Form>
        </Section>
        <Section
          id="support-desk"
          title="Support desk"
          description="How fast tickets are answered and solved, and the business hours that count."
        >
          <div className="px-5 py-4">
            <Link
              to="/app/settings/sla"
              className="text-sm font-medium text-indigo-700 hover:underline"
            >
              SLA policies and business hours
            </Link>
          </div>
        </Section>
        <Section
          id="help-page"
          title="Help page"
          description="Your customers' help page shows the knowledge base's published articles, with search; no sign-in needed."
        >
          <div className="space-y-3 px-5 py-5">
            <CopyField
              label="Address"
              value={data.helpUrl}
              hint="Link it from your website and your email signature."
            />
            <Link to="/app/kb" className="text-sm font-medium text-indigo-700 hover:underline">
              Manage the knowledge base
            </Link>
          </div>
        </Section>
      </PageBody>
    </>
  );
}

export function ErrorBoundary() {
  return <RouteError />;
}
