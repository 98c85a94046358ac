import { type ActionFunctionArgs, json, type LoaderFunctionArgs } from "@remix-run/cloudflare";
import { getCountries } from "libphonenumber-js";
import { helpPath } from "../../../shared/kb";
import { can } from "../../../worker/auth/permissions";
import { appLink } from "../../../worker/env";
import { updateOrganizationBodySchema } from "../../../worker/organization/schemas";
import { getOrganization, updateOrganization } from "../../../worker/organization/service";
import { formFailure, parseForm, readForm } from "../../lib/actions.server";
import { requireUser, runAsUser } from "../../lib/session.server";
import { timeZoneOptions } from "../../lib/time-zones.server";

/*
 * Settings -> Organization: the loader and action of app/routes/app.settings.organization/route.tsx (which
 * keeps the page and re-exports these).
 */

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

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireUser(request, context);
  const organization = await runAsUser(context, session, getOrganization);
  return json(
    {
      organization,
      canManage: can(session.me.role, "org:manage"),
      helpUrl: appLink(context.config, helpPath(organization.slug)),
      countries: choices(getCountries(), "region", organization.defaultCountry),
      currencies: choices(Intl.supportedValuesOf("currency"), "currency", organization.currency),
      timeZones: timeZoneOptions(organization.timeZone),
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
      csatEnabled: form.values.csatEnabled === "on",
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
