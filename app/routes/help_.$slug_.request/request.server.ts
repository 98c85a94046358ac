import { type ActionFunctionArgs, json, type LoaderFunctionArgs } from "@remix-run/cloudflare";
import { helpPath } from "../../../shared/kb";
import { enforceRateLimits } from "../../../worker/rate-limit/enforce";
import {
  requestFormOrganization,
  requestFormSchema,
  submitRequestForm,
} from "../../../worker/tickets/web-form";
import { formFailure, parseForm, readForm } from "../../lib/actions.server";
import { afterCommitFor } from "../../lib/session.server";

/*
 * The public request form of an organization (app/routes/help_.$slug_.request/route.tsx): no
 * sign-in; an unknown slug is a 404 page. A filled honeypot field (`website`, hidden from
 * people) answers like a success and opens nothing; requests are limited per address and per
 * email address (429).
 */

export const HONEYPOT_FIELD = "website";

export async function loader({ params, context }: LoaderFunctionArgs) {
  const organization = await requestFormOrganization(
    context.database,
    afterCommitFor(context),
    params.slug ?? "",
  );
  if (!organization) return json({ organization: null }, { status: 404 });
  return json({ organization: { name: organization.name, home: helpPath(params.slug ?? "") } });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const slug = params.slug ?? "";
  const form = await readForm(request);
  const organization = await requestFormOrganization(
    context.database,
    afterCommitFor(context),
    slug,
  );
  if (!organization) return json({ ok: false as const, notFound: true }, { status: 404 });
  try {
    const input = parseForm(requestFormSchema, {
      name: form.values.name ?? "",
      email: form.values.email ?? "",
      subject: form.values.subject ?? "",
      description: form.values.description ?? "",
    });
    if (form.values[HONEYPOT_FIELD]) {
      // A robot filled the field people never see: it is told what a person would be.
      return json({ ok: true as const, number: null, email: input.email });
    }
    await enforceRateLimits(context.env, context.config.RATE_LIMIT_MULTIPLIER, [
      { limit: "requestFormsByAddress", key: context.meta.ip ?? "unknown" },
      { limit: "requestFormsByEmail", key: `${organization.orgId}:${input.email}` },
    ]);
    const { number } = await submitRequestForm(
      context.database,
      afterCommitFor(context),
      { orgId: organization.orgId, slug },
      input,
      context.config,
    );
    return json({ ok: true as const, number, email: input.email });
  } catch (error) {
    return formFailure(error, form);
  }
}
