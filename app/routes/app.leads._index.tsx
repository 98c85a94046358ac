import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { useLoaderData } from "@remix-run/react";
import { createLeadBodySchema } from "../../worker/leads/schemas";
import { createLead, listLeads, restoreLead } from "../../worker/leads/service";
import { organizationDefaults } from "../../worker/organization/service";
import type { Column } from "../components/data-table";
import { LeadStatus } from "../components/record-badges";
import { EmptyValue } from "../components/record-fields";
import { RecordLink } from "../components/record-list/record-list";
import { RecordListPage, recordListConfig } from "../components/record-list/record-list-page";
import { RouteError } from "../components/route-error";
import { formatMoney, LEAD_STATUSES } from "../lib/record-format";
import { createParsed, loadRecordList, recordListAction } from "../lib/record-list.server";
import { leadSpecs } from "../lib/record-specs";

export const meta: MetaFunction = () => [{ title: "Leads · Switchboard" }];

const listConfig = recordListConfig("lead", "leads");

const server = {
  ...listConfig,
  defaultColumns: ["title", "person", "companyName", "status", "source", "owner", "createdAt"],
  list: listLeads,
  create: createParsed(createLeadBodySchema, createLead),
  restore: restoreLead,
  createFields: leadSpecs(),
};

export const loader = (args: LoaderFunctionArgs) =>
  loadRecordList(args, server, async (scope) => ({
    currency: (await organizationDefaults(scope)).currency,
  }));
export const action = (args: ActionFunctionArgs) => recordListAction(args, server);

type Data = ReturnType<typeof useLoaderData<typeof loader>>;
type Row = Data["rows"][number];

function columns(data: Data): Column<Row>[] {
  return [
    {
      key: "title",
      label: "Lead",
      sort: "title",
      render: (row) => <RecordLink to={`/app/leads/${row.id}`}>{row.title}</RecordLink>,
    },
    {
      key: "person",
      label: "Person",
      render: (row) => {
        const name = [row.firstName, row.lastName].filter(Boolean).join(" ");
        const reach = row.email ?? row.phone;
        if (!name && !reach) return <EmptyValue />;
        return (
          <span className="flex flex-col">
            <span>{name || reach}</span>
            {name && reach ? <span className="text-xs text-slate-500">{reach}</span> : null}
          </span>
        );
      },
    },
    {
      key: "companyName",
      label: "Company",
      render: (row) => row.companyName ?? <EmptyValue />,
    },
    {
      key: "amount",
      label: "Amount",
      align: "right",
      render: (row) =>
        row.amount === null ? (
          <EmptyValue />
        ) : (
          formatMoney(row.amount, row.currency ?? data.extra.currency)
        ),
    },
    { key: "status", label: "Status", render: (row) => <LeadStatus lead={row} /> },
    { key: "source", label: "Source", render: (row) => row.source ?? <EmptyValue /> },
    {
      key: "score",
      label: "Score",
      sort: "score",
      firstDirection: "descending",
      align: "right",
      render: (row) => row.score ?? <EmptyValue />,
    },
  ];
}

export default function Leads() {
  const data = useLoaderData<typeof loader>();
  return (
    <RecordListPage
      title="Leads"
      description="Possible business to qualify, then convert into deals."
      data={data}
      config={listConfig}
      columns={columns(data)}
      filters={[
        { name: "filter.status", label: "Status", options: LEAD_STATUSES },
        { name: "filter.source.contains", label: "Source", placeholder: "Any source" },
      ]}
      createFields={leadSpecs()}
      searchPlaceholder="Title, person, company, e-mail or phone"
      rowLabel={(row) => row.title}
    />
  );
}

export function ErrorBoundary() {
  return <RouteError />;
}
