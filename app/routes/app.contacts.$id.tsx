import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Link, useLoaderData } from "@remix-run/react";
import { updateContactBodySchema } from "../../worker/contacts/schemas";
import {
  deleteContact,
  getContact,
  restoreContact,
  updateContact,
} from "../../worker/contacts/service";
import { listQuerySchema } from "../../worker/crm/list-query";
import { listDeals } from "../../worker/deals/list";
import type { TenantScope } from "../../worker/lib/scope";
import { PhoneNumberList } from "../components/calls/call-button";
import { InlineField } from "../components/record-fields";
import { RecordPage, RecordPageError, RelatedList } from "../components/record-page";
import { parseForm } from "../lib/actions.server";
import { memberName, ownerOptions } from "../lib/record-fields";
import { formatMoney, fullName } from "../lib/record-format";
import { companyChoices } from "../lib/record-options.server";
import { loadRecordPage, recordPageAction } from "../lib/record-page.server";
import { contactSpecs } from "../lib/record-specs";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? fullName(data.record) : "Contact"} · Contacts · Switchboard` },
];

const RELATED_LIMIT = 10;

export const loader = (args: LoaderFunctionArgs) =>
  loadRecordPage(args, { entity: "contact" }, async (scope, id) => {
    const record = await getContact(scope, id);
    const deals = await listDeals(
      scope,
      listQuerySchema.parse({ limit: RELATED_LIMIT, "filter.contactId": id }),
    );
    return {
      record,
      companies: await companyChoices(scope, record.companyId),
      deals: deals.rows,
      moreDeals: deals.nextCursor !== null,
    };
  });

/** The list with its primary entry replaced by `entry` (or removed when null). */
function replacePrimary<T extends { primary: boolean }>(list: T[], entry: T | null): T[] {
  const others = list.filter((item) => !item.primary);
  return entry ? [entry, ...others] : others;
}

/**
 * An inline edit of "Email" or "Phone" changes the primary address or number and keeps the
 * others (the API's `email`/`phone` shorthands would replace the whole list).
 */
async function updateFromForm(scope: TenantScope, id: string, body: Record<string, unknown>) {
  const { email, phone, ...rest } = body;
  const input: Record<string, unknown> = rest;
  if (email !== undefined || phone !== undefined) {
    const current = await getContact(scope, id);
    if (email !== undefined) {
      input.emails = replacePrimary(
        current.emails,
        typeof email === "string" ? { email, primary: true } : null,
      );
    }
    if (phone !== undefined) {
      input.phones = replacePrimary(
        current.phones,
        // e164 is recomputed from `raw` by the service.
        typeof phone === "string" ? { raw: phone, e164: null, primary: true } : null,
      );
    }
  }
  return updateContact(scope, id, parseForm(updateContactBodySchema, input));
}

export const action = (args: ActionFunctionArgs) =>
  recordPageAction(args, {
    entity: "contact",
    path: "/app/contacts",
    one: "contact",
    fields: contactSpecs(),
    update: updateFromForm,
    remove: deleteContact,
    restore: restoreContact,
  });

function primary<T extends { primary: boolean }>(entries: T[]): T | undefined {
  return entries.find((entry) => entry.primary) ?? entries[0];
}

export default function ContactPage() {
  const data = useLoaderData<typeof loader>();
  const { record } = data;
  const name = fullName(record) || "Unnamed contact";
  const specs = contactSpecs({
    owners: ownerOptions(data.members, data.me),
    companies: data.companies,
  });
  const values = {
    ...record,
    email: primary(record.emails)?.email ?? null,
    phone: primary(record.phones)?.raw ?? null,
  };
  const owner = memberName(data.members, record.ownerId);
  const subtitle = [record.title, record.company?.name].filter(Boolean).join(" at ");
  return (
    <RecordPage
      entity="contact"
      noun="contact"
      listPath="/app/contacts"
      listLabel="Contacts"
      data={data}
      title={name}
      label={name}
      description={
        <>
          {subtitle ? `${subtitle} · ` : null}
          {owner ? `Owner: ${owner}` : "No owner"}
          {record.doNotContact ? " · Do not contact" : null}
        </>
      }
      details={specs.map((spec) => (
        <InlineField
          key={spec.name}
          spec={spec}
          record={values}
          readOnly={spec.name === "ownerId" && !data.canReassign && record.ownerId !== null}
          display={
            spec.name === "companyId" && record.company ? (
              <Link
                to={`/app/companies/${record.company.id}`}
                className="font-medium text-indigo-700 hover:text-indigo-600"
              >
                {record.company.name}
              </Link>
            ) : spec.name === "email" && record.emails.length > 1 ? (
              <EntryList
                items={record.emails.map((entry) => ({ key: entry.email, primary: entry.primary }))}
              />
            ) : spec.name === "phone" && record.phones.length > 0 ? (
              <PhoneNumberList phones={record.phones} contactId={record.id} />
            ) : undefined
          }
        />
      ))}
      aside={
        <RelatedList
          id="deals"
          title="Deals"
          empty="No deals with this contact yet."
          items={data.deals.map((deal) => ({
            id: deal.id,
            to: `/app/deals/${deal.id}`,
            title: deal.title,
            detail: formatMoney(deal.amount, deal.currency),
          }))}
          more={
            data.moreDeals
              ? { to: `/app/deals?filter.contactId=${record.id}`, label: "All deals" }
              : undefined
          }
        />
      }
    />
  );
}

/** Several addresses or numbers: the primary one first, marked. */
function EntryList({ items }: { items: { key: string; primary: boolean }[] }) {
  return (
    <ul className="space-y-0.5">
      {items.map((item) => (
        <li key={item.key}>
          {item.key}
          {item.primary ? <span className="text-xs text-slate-500"> (primary)</span> : null}
        </li>
      ))}
    </ul>
  );
}

export function ErrorBoundary() {
  return <RecordPageError noun="contact" listPath="/app/contacts" />;
}
