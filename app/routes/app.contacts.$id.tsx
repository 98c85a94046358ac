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
import { CallButton } from "../components/calls/call-button";
import { PhoneList } from "../components/record-field-groups";
import { InlineField } from "../components/record-fields";
import { RecordPage, RecordPageError, RelatedList } from "../components/record-page";
import { parseForm } from "../lib/actions.server";
import { inlineSpecs, memberName, ownerOptions } from "../lib/record-fields";
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

export const action = (args: ActionFunctionArgs) =>
  recordPageAction(args, {
    entity: "contact",
    path: "/app/contacts",
    one: "contact",
    fields: inlineSpecs(contactSpecs()),
    update: (scope, id, body) => updateContact(scope, id, parseForm(updateContactBodySchema, body)),
    remove: deleteContact,
    restore: restoreContact,
  });

export default function ContactPage() {
  const data = useLoaderData<typeof loader>();
  const { record } = data;
  const name = fullName(record) || "Unnamed contact";
  const specs = inlineSpecs(
    contactSpecs({ owners: ownerOptions(data.members, data.me), companies: data.companies }),
  );
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
          record={record}
          readOnly={spec.name === "ownerId" && !data.canReassign && record.ownerId !== null}
          display={
            spec.name === "companyId" && record.company ? (
              <Link
                to={`/app/companies/${record.company.id}`}
                className="font-medium text-indigo-700 hover:text-indigo-600"
              >
                {record.company.name}
              </Link>
            ) : spec.name === "phones" && record.phones.length > 0 ? (
              <PhoneList
                phones={record.phones}
                action={(phone) => (
                  <CallButton
                    number={phone.e164 ?? phone.raw}
                    contactId={record.id}
                    label={phone.raw}
                  />
                )}
              />
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

export function ErrorBoundary() {
  return <RecordPageError noun="contact" listPath="/app/contacts" />;
}
