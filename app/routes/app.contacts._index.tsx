import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { useLoaderData } from "@remix-run/react";
import { createContactBodySchema } from "../../worker/contacts/schemas";
import { createContact, listContacts, restoreContact } from "../../worker/contacts/service";
import type { Column } from "../components/data-table";
import { EmptyValue } from "../components/record-fields";
import { RecordLink } from "../components/record-list/record-list";
import { RecordListPage, recordListConfig } from "../components/record-list/record-list-page";
import { RouteError } from "../components/route-error";
import { Badge } from "../components/ui";
import { fullName, LIFECYCLE_STAGES, labelOf } from "../lib/record-format";
import { createParsed, loadRecordList, recordListAction } from "../lib/record-list.server";
import { contactSpecs } from "../lib/record-specs";

export const meta: MetaFunction = () => [{ title: "Contacts · Switchboard" }];

const listConfig = recordListConfig("contact", "contacts");

const server = {
  ...listConfig,
  defaultColumns: ["name", "email", "phone", "company", "lifecycleStage", "owner"],
  list: listContacts,
  create: createParsed(createContactBodySchema, createContact),
  restore: restoreContact,
  createFields: contactSpecs(),
};

export const loader = (args: LoaderFunctionArgs) => loadRecordList(args, server);
export const action = (args: ActionFunctionArgs) => recordListAction(args, server);

type Data = ReturnType<typeof useLoaderData<typeof loader>>;
type Row = Data["rows"][number];

function primary<T extends { primary: boolean }>(entries: T[]): T | undefined {
  return entries.find((entry) => entry.primary) ?? entries[0];
}

const columns: Column<Row>[] = [
  {
    key: "name",
    label: "Name",
    sort: "lastName",
    render: (row) => (
      <RecordLink to={`/app/contacts/${row.id}`}>{fullName(row) || "Unnamed"}</RecordLink>
    ),
  },
  {
    key: "email",
    label: "Email",
    render: (row) => primary(row.emails)?.email ?? <EmptyValue />,
  },
  {
    key: "phone",
    label: "Phone",
    wide: true,
    render: (row) => primary(row.phones)?.raw ?? <EmptyValue />,
  },
  {
    key: "company",
    label: "Company",
    render: (row) =>
      row.company ? (
        <RecordLink to={`/app/companies/${row.company.id}`}>{row.company.name}</RecordLink>
      ) : (
        <EmptyValue />
      ),
  },
  { key: "title", label: "Job title", wide: true, render: (row) => row.title ?? <EmptyValue /> },
  {
    key: "lifecycleStage",
    label: "Stage",
    render: (row) => <Badge>{labelOf(LIFECYCLE_STAGES, row.lifecycleStage)}</Badge>,
  },
];

export default function Contacts() {
  const data = useLoaderData<typeof loader>();
  return (
    <RecordListPage
      title="Contacts"
      description="The people your team talks to."
      data={data}
      config={listConfig}
      columns={columns}
      filters={[
        { name: "filter.lifecycleStage", label: "Lifecycle stage", options: LIFECYCLE_STAGES },
      ]}
      createFields={contactSpecs()}
      searchPlaceholder="Name, email, phone, title"
      rowLabel={(row) => fullName(row)}
    />
  );
}

export function ErrorBoundary() {
  return <RouteError />;
}
