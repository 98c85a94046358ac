import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/cloudflare";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { getCountries } from "libphonenumber-js";
import { can } from "../../worker/auth/permissions";
import { updateOrganizationBodySchema } from "../../worker/organization/schemas";
import { getOrganization, updateOrganization } from "../../worker/organization/service";
import { PageBody, PageHeader } from "../components/page";
import { RouteError } from "../components/route-error";
import { Alert, Button, Section, SelectField, TextField } from "../components/ui";
import { formFailure, parseForm, readForm } from "../lib/actions.server";
import { type FormFailure, failureFor } from "../lib/forms";
import { requireUser, runAsUser } from "../lib/session.server";
import { useSubmitting } from "../lib/use-pending";

export const meta: MetaFunction = () => [{ title: "Organization · Settings · Switchboard" }];

interface Option {
  value: string;
  label: string;
}

/** The choices, named in English, sorted by name; the current value stays even if unlisted. */
function choices(codes: readonly string[], type: "region" | "currency", current: string) {
  const names = new Intl.DisplayNames(["en"], { type });
  const options = codes.map((code) => ({
    value: code,
    label: `${names.of(code) ?? code} (${code})`,
  }));
  if (!codes.includes(current)) options.push({ value: current, label: current });
  return options.sort((a, b) => a.label.localeCompare(b.label));
}

function timeZones(current: string): Option[] {
  const zones = Intl.supportedValuesOf("timeZone");
  const all = zones.includes(current) ? zones : [current, ...zones];
  return (all.includes("UTC") ? all : ["UTC", ...all]).map((zone) => ({
    value: zone,
    label: zone.replaceAll("_", " "),
  }));
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireUser(request, context);
  const organization = await runAsUser(context, session, getOrganization);
  return json(
    {
      organization,
      canManage: can(session.me.role, "org:manage"),
      countries: choices(getCountries(), "region", organization.defaultCountry),
      currencies: choices(Intl.supportedValuesOf("currency"), "currency", organization.currency),
      timeZones: timeZones(organization.timeZone),
    },
    { headers: session.headers },
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requireUser(request, context);
  const form = await readForm(request);
  try {
    const body = parseForm(updateOrganizationBodySchema, {
      name: form.values.name ?? "",
      defaultCountry: form.values.defaultCountry ?? "",
      timeZone: form.values.timeZone ?? "",
      currency: form.values.currency ?? "",
    });
    await runAsUser(context, session, (scope) => updateOrganization(scope, body));
    return json(
      { ok: true as const, message: "Organization saved." },
      { headers: session.headers },
    );
  } catch (error) {
    return formFailure(error, form, session.headers);
  }
}

export default function OrganizationSettings() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as
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
            {readOnly ? null : (
              <div className="flex items-end sm:col-span-2">
                <Button type="submit" pending={saving}>
                  Save
                </Button>
              </div>
            )}
          </Form>
        </Section>
      </PageBody>
    </>
  );
}

export function ErrorBoundary() {
  return <RouteError />;
}
