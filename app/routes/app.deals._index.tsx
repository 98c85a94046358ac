import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Link, useLoaderData } from "@remix-run/react";
import { listDeals } from "../../worker/deals/list";
import { createDealBodySchema } from "../../worker/deals/schemas";
import { createDeal, restoreDeal } from "../../worker/deals/service";
import type { TenantScope } from "../../worker/lib/scope";
import type { Column } from "../components/data-table";
import { PageBody, PageHeader } from "../components/page";
import { StageBadge } from "../components/record-badges";
import { sharedRecordColumns } from "../components/record-columns";
import { EmptyValue } from "../components/record-fields";
import {
  RecordLink,
  RecordList,
  type RecordListConfig,
} from "../components/record-list/record-list";
import { RouteError } from "../components/route-error";
import { buttonClass } from "../components/ui";
import { parseForm } from "../lib/actions.server";
import { ownerFilterOptions } from "../lib/record-fields";
import { formatDay, formatMoney } from "../lib/record-format";
import { loadRecordList, recordListAction } from "../lib/record-list.server";
import { stageChoices } from "../lib/record-options.server";
import { dealSpecs } from "../lib/record-specs";

export const meta: MetaFunction = () => [{ title: "Deals · Switchboard" }];

const listConfig: RecordListConfig = {
  entity: "deal",
  path: "/app/deals",
  one: "deal",
  many: "deals",
  defaultSort: "-createdAt",
};

const server = {
  ...listConfig,
  defaultColumns: ["title", "amount", "stage", "expectedCloseDate", "owner"],
  list: listDeals,
  create: (scope: TenantScope, body: Record<string, unknown>) =>
    createDeal(scope, parseForm(createDealBodySchema, body)),
  restore: restoreDeal,
  createFields: dealSpecs(),
};

export const loader = (args: LoaderFunctionArgs) =>
  loadRecordList(args, server, async (scope) => ({ stages: await stageChoices(scope) }));
export const action = (args: ActionFunctionArgs) => recordListAction(args, server);

type Data = ReturnType<typeof useLoaderData<typeof loader>>;
type Row = Data["rows"][number];

function columns(data: Data): Column<Row>[] {
  const stages = data.extra.stages;
  return [
    {
      key: "title",
      label: "Deal",
      sort: "title",
      render: (row) => <RecordLink to={`/app/deals/${row.id}`}>{row.title}</RecordLink>,
    },
    {
      key: "amount",
      label: "Amount",
      sort: "amount",
      firstDirection: "descending",
      align: "right",
      render: (row) => formatMoney(row.amount, row.currency),
    },
    {
      key: "stage",
      label: "Stage",
      render: (row) => <StageBadge stage={stages.find((stage) => stage.value === row.stageId)} />,
    },
    {
      key: "expectedCloseDate",
      label: "Expected close",
      wide: true,
      render: (row) => (row.expectedCloseDate ? formatDay(row.expectedCloseDate) : <EmptyValue />),
    },
    ...sharedRecordColumns<Row>(data.members),
  ];
}

export default function Deals() {
  const data = useLoaderData<typeof loader>();
  const stages = data.extra.stages;
  return (
    <>
      <PageHeader title="Deals" description="Every open and closed deal, as a table." />
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
            { name: "filter.stageId", label: "Stage", options: stages },
            { name: "filter.tags", label: "Tag", placeholder: "Any tag" },
          ]}
          createFields={dealSpecs({ stages })}
          rowLabel={(row) => row.title}
          searchPlaceholder="Deal title"
          toolbarActions={
            <Link to="/app/deals/board" className={buttonClass("secondary")}>
              Board
            </Link>
          }
        />
      </PageBody>
    </>
  );
}

export function ErrorBoundary() {
  return <RouteError />;
}
