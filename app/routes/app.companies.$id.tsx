import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { useLoaderData } from "@remix-run/react";
import { updateCompanyBodySchema } from "../../worker/companies/schemas";
import {
  deleteCompany,
  getCompany,
  restoreCompany,
  updateCompany,
} from "../../worker/companies/service";
import { listContacts } from "../../worker/contacts/service";
import { listQuerySchema } from "../../worker/crm/list-query";
import { listDeals } from "../../worker/deals/list";
import { InlineField } from "../components/record-fields";
import { RecordPage, RecordPageError, RelatedList } from "../components/record-page";
import { parseForm } from "../lib/actions.server";
import { memberName, ownerOptions } from "../lib/record-fields";
import { COMPANY_SIZES, formatMoney, fullName, labelOf } from "../lib/record-format";
import { loadRecordPage, recordPageAction } from "../lib/record-page.server";
import { companySpecs } from "../lib/record-specs";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.record.name ?? "Company"} · Companies · Switchboard` },
];

const RELATED_LIMIT = 10;

export const loader = (args: LoaderFunctionArgs) =>
  loadRecordPage(args, { entity: "company" }, async (scope, id) => {
    const related = { limit: RELATED_LIMIT, "filter.companyId": id };
    const record = await getCompany(scope, id);
    const contacts = await listContacts(
      scope,
      listQuerySchema.parse({ ...related, sort: "lastName" }),
    );
    const deals = await listDeals(scope, listQuerySchema.parse(related));
    return {
      record,
      contacts: contacts.rows,
      deals: deals.rows,
    };
  });

export const action = (args: ActionFunctionArgs) =>
  recordPageAction(args, {
    entity: "company",
    path: "/app/companies",
    one: "company",
    fields: companySpecs(),
    update: (scope, id, body) => updateCompany(scope, id, parseForm(updateCompanyBodySchema, body)),
    remove: deleteCompany,
    restore: restoreCompany,
  });

export default function CompanyPage() {
  const data = useLoaderData<typeof loader>();
  const { record } = data;
  const specs = companySpecs({ owners: ownerOptions(data.members, data.me) });
  const owner = memberName(data.members, record.ownerId);
  const facts = [
    record.domain,
    record.industry,
    record.size ? `${labelOf(COMPANY_SIZES, record.size)} people` : null,
  ].filter(Boolean);
  return (
    <RecordPage
      entity="company"
      noun="company"
      listPath="/app/companies"
      listLabel="Companies"
      data={data}
      title={record.name}
      label={record.name}
      description={
        <>
          {facts.length > 0 ? `${facts.join(" · ")} · ` : null}
          {owner ? `Owner: ${owner}` : "No owner"}
        </>
      }
      details={specs.map((spec) => (
        <InlineField
          key={spec.name}
          spec={spec}
          record={record}
          readOnly={spec.name === "ownerId" && !data.canReassign && record.ownerId !== null}
          display={
            spec.name === "domain" && record.domain ? (
              <a
                href={`https://${record.domain}`}
                target="_blank"
                rel="noreferrer"
                className="text-indigo-700 hover:text-indigo-600"
              >
                {record.domain}
              </a>
            ) : undefined
          }
        />
      ))}
      aside={
        <>
          <RelatedList
            id="contacts"
            title={`Contacts (${record.contactCount})`}
            empty="No contacts at this company yet."
            items={data.contacts.map((contact) => ({
              id: contact.id,
              to: `/app/contacts/${contact.id}`,
              title: fullName(contact) || "Unnamed",
              detail: contact.title,
            }))}
            more={
              record.contactCount > data.contacts.length
                ? { to: `/app/contacts?filter.companyId=${record.id}`, label: "All contacts" }
                : undefined
            }
          />
          <RelatedList
            id="deals"
            title={`Deals (${record.openDealCount} open)`}
            empty="No deals with this company yet."
            items={data.deals.map((deal) => ({
              id: deal.id,
              to: `/app/deals/${deal.id}`,
              title: deal.title,
              detail: formatMoney(deal.amount, deal.currency),
            }))}
            more={{ to: `/app/deals?filter.companyId=${record.id}`, label: "All deals" }}
          />
        </>
      }
    />
  );
}

export function ErrorBoundary() {
  return <RecordPageError noun="company" listPath="/app/companies" />;
}
