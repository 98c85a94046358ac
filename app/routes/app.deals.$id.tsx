import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/cloudflare";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { updateDealBodySchema } from "../../worker/deals/schemas";
import { deleteDeal, getDeal, restoreDeal, updateDeal } from "../../worker/deals/service";
import { LocalTime } from "../components/local-time";
import { StageBadge } from "../components/record-badges";
import { useRecordEdit } from "../components/record-edit";
import { InlineField } from "../components/record-fields";
import { RecordPage, RecordPageError } from "../components/record-page";
import { Button, Section } from "../components/ui";
import { parseForm } from "../lib/actions.server";
import { type FieldSpec, memberName, ownerOptions } from "../lib/record-fields";
import { formatDay, formatMoney, moneyInputValue } from "../lib/record-format";
import { companyChoices, contactChoices, stageChoices } from "../lib/record-options.server";
import { loadRecordPage, recordPageAction } from "../lib/record-page.server";
import { dealSpecs } from "../lib/record-specs";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.record.title ?? "Deal"} · Deals · Switchboard` },
];

export const loader = (args: LoaderFunctionArgs) =>
  loadRecordPage(args, { entity: "deal" }, async (scope, id) => {
    const record = await getDeal(scope, id);
    return {
      record,
      stages: await stageChoices(scope),
      contacts: await contactChoices(scope, record.contactId),
      companies: await companyChoices(scope, record.companyId),
    };
  });

export const action = (args: ActionFunctionArgs) =>
  recordPageAction(args, {
    entity: "deal",
    path: "/app/deals",
    one: "deal",
    fields: dealSpecs(),
    update: (scope, id, body) => updateDeal(scope, id, parseForm(updateDealBodySchema, body)),
    remove: deleteDeal,
    restore: restoreDeal,
  });

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

export default function DealPage() {
  const data = useLoaderData<typeof loader>();
  const { record } = data;
  const specs = dealSpecs({
    owners: ownerOptions(data.members, data.me),
    contacts: data.contacts,
    companies: data.companies,
    stages: data.stages,
  });
  const spec = (name: string) => specs.find((candidate) => candidate.name === name) as FieldSpec;
  const stage = data.stages.find((candidate) => candidate.value === record.stageId);
  const owner = memberName(data.members, record.ownerId);
  const amount = formatMoney(record.amount, record.currency);
  const editable = { ...record, amount: moneyInputValue(record.amount, record.currency) };
  const inline = (name: string) => (
    <InlineField
      key={name}
      spec={spec(name)}
      record={editable}
      readOnly={name === "ownerId" && !data.canReassign && record.ownerId !== null}
      display={referenceLink(name, record, specs)}
    />
  );
  return (
    <RecordPage
      entity="deal"
      noun="deal"
      listPath="/app/deals"
      listLabel="Deals"
      data={data}
      title={record.title}
      label={record.title}
      description={
        <span className="inline-flex flex-wrap items-center gap-2">
          <span className="font-semibold text-slate-900">{amount}</span>
          <StageBadge stage={stage} />
          {record.expectedCloseDate ? (
            <span>Expected to close {formatDay(record.expectedCloseDate)}</span>
          ) : null}
          {record.closedAt ? <span>Closed {formatDay(record.closedAt)}</span> : null}
          <span>{owner ? `Owner: ${owner}` : "No owner"}</span>
        </span>
      }
      actions={<StageMover data={data} />}
      details={
        <>
          {inline("title")}
          <InlineField
            spec={spec("amount")}
            companion={spec("currency")}
            record={editable}
            display={<span className="tabular-nums">{amount}</span>}
          />
          {["expectedCloseDate", "contactId", "companyId", "ownerId", "tags"].map(inline)}
        </>
      }
      aside={<StageHistory data={data} />}
    />
  );
}

function referenceLink(name: string, record: Data["record"], specs: FieldSpec[]) {
  const id =
    name === "contactId" ? record.contactId : name === "companyId" ? record.companyId : null;
  if (!id) return undefined;
  const option = specs.find((spec) => spec.name === name)?.options?.find((o) => o.value === id);
  const path = name === "contactId" ? "/app/contacts" : "/app/companies";
  return (
    <Link to={`${path}/${id}`} className="font-medium text-indigo-700 hover:text-indigo-600">
      {option?.label ?? "Open"}
    </Link>
  );
}

/** Moves the deal to another stage (submits on change; a button without JavaScript). */
function StageMover({ data }: { data: Data }) {
  const { version, canEdit, reportConflict, reportSaved } = useRecordEdit();
  const fetcher = useFetcher<{ ok: boolean; conflict?: boolean; version?: number }>();
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data) return;
    if (fetcher.data.ok) reportSaved(fetcher.data.version);
    else if (fetcher.data.conflict) reportConflict();
  }, [fetcher.state, fetcher.data, reportConflict, reportSaved]);
  if (!canEdit) return null;
  return (
    <fetcher.Form ref={formRef} method="post" className="flex items-center gap-2">
      <input type="hidden" name="intent" value="update" />
      <input type="hidden" name="fields" value="stageId" />
      <input type="hidden" name="version" value={version} />
      <label htmlFor="deal-stage" className="text-sm font-medium text-slate-700">
        Stage
      </label>
      <select
        id="deal-stage"
        name="stageId"
        key={data.record.stageId}
        defaultValue={data.record.stageId}
        onChange={() => formRef.current?.requestSubmit()}
        className="block h-8 rounded-md border-0 bg-white pr-8 pl-2.5 text-sm text-slate-900 shadow-xs ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-indigo-600 focus:outline-none"
        aria-busy={fetcher.state !== "idle" || undefined}
      >
        {data.stages.map((stage) => (
          <option key={stage.value} value={stage.value}>
            {stage.label}
          </option>
        ))}
      </select>
      <noscript>
        <Button size="sm" variant="secondary">
          Move
        </Button>
      </noscript>
    </fetcher.Form>
  );
}

function StageHistory({ data }: { data: Data }) {
  const history = [...data.record.stageHistory].reverse();
  const stageName = (id: string | null) =>
    data.stages.find((stage) => stage.value === id)?.label ?? "a removed stage";
  return (
    <Section id="stage-history" title="Stage history">
      <ol className="divide-y divide-slate-100">
        {history.map((change) => (
          <li key={change.id} className="px-5 py-2.5 text-sm">
            <p className="text-slate-900">
              {change.fromStageId ? (
                <>
                  {stageName(change.fromStageId)} →{" "}
                  <span className="font-medium">{stageName(change.toStageId)}</span>
                </>
              ) : (
                <>
                  Opened in <span className="font-medium">{stageName(change.toStageId)}</span>
                </>
              )}
            </p>
            <p className="text-xs text-slate-500">
              <LocalTime iso={change.changedAt} />
              {change.changedBy ? ` · ${memberName(data.members, change.changedBy)}` : null}
            </p>
          </li>
        ))}
      </ol>
    </Section>
  );
}

export function ErrorBoundary() {
  return <RecordPageError noun="deal" listPath="/app/deals" />;
}
