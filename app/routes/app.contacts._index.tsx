import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { useLoaderData } from "@remix-run/react";
import { createContactBodySchema } from "../../worker/contacts/schemas";
import { createContact, listContacts, restoreContact } from "../../worker/contacts/service";
import type { TenantScope } from "../../worker/lib/scope";
import type { Column } from "../components/data-table";
import { PageBody, PageHeader } from "../components/page";
import { sharedRecordColumns } from "../components/record-columns";
import { EmptyValue } from "../components/record-fields";
import {
  RecordLink,
  RecordList,
  type RecordListConfig,
} from "../components/record-list/record-list";
import { RouteError } from "../components/route-error";
import { Badge } from "../components/ui";
import { parseForm } from "../lib/actions.server";
import { ownerFilterOptions } from "../lib/record-fields";
import { fullName, LIFECYCLE_STAGES, labelOf } from "../lib/record-format";
import { loadRecordList, recordListAction } from "../lib/record-list.server";
import { contactSpecs } from "../lib/record-specs";

export const meta: MetaFunction = () => [{ title: "Contacts · Switchboard" }];

const listConfig: RecordListConfig = {
  entity: "contact",
  path: "/app/contacts",
  one: "contact",
  many: "contacts",
  defaultSort: "-createdAt",
};

const server = {
  ...listConfig,
  defaultColumns: ["name", "email", "phone", "company", "lifecycleStage", "owner"],
  list: listContacts,
  create: (scope: TenantScope, body: Record<string, unknown>) =>
    createContact(scope, parseForm(createContactBodySchema, body)),
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

function columns(data: Data): Column<Row>[] {
  return [
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
    ...sharedRecordColumns<Row>(data.members),
  ];
}

export default function Contacts() {
  const data = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title="Contacts" description="The people your team talks to." />
      <PageBody>
        <RecordList
          data={data}
          config={listConfig}
          columns={columns(data)}
          filters={[
            {
              name: "filter.ownerId",
              label: "Owner",
              options: ownerFilterOptions(data.members, data.me),
            },
            { name: "filter.lifecycleStage", label: "Lifecycle stage", options: LIFECYCLE_STAGES },
            { name: "filter.tags", label: "Tag", placeholder: "Any tag" },
          ]}
          createFields={contactSpecs()}
          searchPlaceholder="Name, email, phone, title"
          rowLabel={(row) => fullName(row)}
        />
      </PageBody>
    </>
  );
}

export function ErrorBoundary() {
  return <RouteError />;
}
