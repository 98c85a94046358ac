import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/cloudflare";
import { Form, Link, useLoaderData, useSubmit } from "@remix-run/react";
import { z } from "zod";
import { can } from "../../worker/auth/permissions";
import { canEdit } from "../../worker/crm/access";
import { pageLookups } from "../../worker/crm/record-lookups";
import { getBoard } from "../../worker/deals/list";
import { createDealBodySchema } from "../../worker/deals/schemas";
import { createDeal, updateDeal } from "../../worker/deals/service";
import type { DealView } from "../../worker/deals/views";
import { ApiError } from "../../worker/lib/errors";
import type { TenantScope } from "../../worker/lib/scope";
import { listMembers } from "../../worker/members/service";
import { listPipelines } from "../../worker/pipelines/service";
import { ExportButton } from "../components/export-button";
import { KanbanBoard } from "../components/kanban-board";
import type { BoardColumn } from "../components/kanban-model";
import { useDealMoves } from "../components/kanban-moves";
import { currencyOptions, QuickAddDeal } from "../components/kanban-quick-add";
import { RouteError } from "../components/route-error";
import {
  Alert,
  Button,
  buttonClass,
  cx,
  focusRing,
  SelectField,
  useHydrated,
} from "../components/ui";
import { formFailure, parseForm, readForm } from "../lib/actions.server";
import { failureFor } from "../lib/forms";
import { parseMoney } from "../lib/record-format";
import { requireUser, runAsUser } from "../lib/session.server";
import { useActionResult } from "../lib/use-action-result";
import { useRevalidateOnEvents } from "../lib/use-live";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.pipeline.name ?? "Deals"} board · Switchboard` },
];

/** Cards loaded per stage; the column header still counts and totals every card. */
const CARDS_PER_STAGE = 200;
const MEMBER_LIMIT = 1000;

const pipelineIdSchema = z.string().uuid();

/** Who may move which card, per distinct owner (the service checks again on save). */
async function editableOwners(scope: TenantScope, deals: DealView[]) {
  const owners = [...new Set(deals.map((deal) => deal.ownerId))];
  const entries = await Promise.all(
    owners.map(async (ownerId) => [ownerId, await canEdit(scope, ownerId)] as const),
  );
  return new Map(entries);
}

async function boardMembers(scope: TenantScope) {
  const members = await listMembers(scope, { limit: MEMBER_LIMIT });
  return members.rows.map((member) => ({
    userId: member.userId,
    name: member.name,
    active: member.status === "active",
  }));
}

/** `?owner=<member id>` shows one member's deals, `?owner=none` those nobody owns. */
const ownerParamSchema = z.union([z.literal("none"), z.string().uuid()]);

function ownerFilter(owner: string | undefined): string | null | undefined {
  if (owner === undefined) return undefined;
  return owner === "none" ? null : owner;
}

/** The currency most cards use (for the quick-add form), USD on an empty board. */
function mainCurrency(deals: DealView[]) {
  const counts = new Map<string, number>();
  for (const deal of deals) counts.set(deal.currency, (counts.get(deal.currency) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "USD";
}

async function loadBoard(
  scope: TenantScope,
  pipelineId: string | undefined,
  owner: string | undefined,
) {
  const pipelines = await listPipelines(scope);
  const board = await getBoard(scope, {
    pipelineId,
    limit: CARDS_PER_STAGE,
    ownerId: ownerFilter(owner),
  });
  const deals = board.stages.flatMap((stage) => stage.deals);
  const members = await boardMembers(scope);
  const names = new Map(members.map((member) => [member.userId, member.name]));
  const lookups = await pageLookups(scope.tx, { members: new Map(), stages: new Map() }, deals);
  const editable = await editableOwners(scope, deals);
  const columns: BoardColumn[] = board.stages.map((stage) => ({
    id: stage.id,
    name: stage.name,
    isWon: stage.isWon,
    isLost: stage.isLost,
    count: stage.count,
    amountByCurrency: stage.amountByCurrency,
    cards: stage.deals.map((deal) => ({
      id: deal.id,
      title: deal.title,
      amount: deal.amount,
      currency: deal.currency,
      version: deal.version,
      ownerName: deal.ownerId ? (names.get(deal.ownerId) ?? null) : null,
      companyName: lookups.companyName(deal.companyId),
      contactName: lookups.contactName(deal.contactId),
      editable: editable.get(deal.ownerId) ?? false,
    })),
  }));
  return {
    pipeline: board.pipeline,
    pipelines: pipelines.map((pipeline) => ({ id: pipeline.id, name: pipeline.name })),
    columns,
    currencies: [...new Set(deals.map((deal) => deal.currency))],
    mainCurrency: mainCurrency(deals),
    owner: owner ?? "",
    owners: [
      { value: "", label: "Everyone" },
      { value: "none", label: "Nobody" },
      ...members
        .filter((member) => member.active || member.userId === owner)
        .map((member) => ({
          value: member.userId,
          label: member.userId === scope.actor.userId ? `${member.name} (you)` : member.name,
        })),
    ],
    canWrite: can(scope.actor.role, "crm:write"),
    canImport: can(scope.actor.role, "crm:import"),
    canExport: can(scope.actor.role, "crm:export"),
    canConfigure: can(scope.actor.role, "crm:configure"),
  };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireUser(request, context);
  const searchParams = new URL(request.url).searchParams;
  const requested = searchParams.get("pipelineId") || undefined;
  if (requested !== undefined && !pipelineIdSchema.safeParse(requested).success) {
    throw new Response("No such pipeline.", { status: 404, headers: session.headers });
  }
  // An unknown owner value shows everyone's deals rather than an error page.
  const ownerParam = ownerParamSchema.safeParse(searchParams.get("owner") || undefined);
  const owner = ownerParam.success ? ownerParam.data : undefined;
  try {
    const data = await runAsUser(context, session, (scope) => loadBoard(scope, requested, owner));
    return json(data, { headers: session.headers });
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 403)) {
      throw new Response(error.message, { status: error.status, headers: session.headers });
    }
    throw error;
  }
}

const uuid = z.string().uuid("Unknown item.");
const optionalInt = (min: number) =>
  z.preprocess(
    (value) => (value === "" || value === undefined ? undefined : Number(value)),
    z.number().int().min(min).optional(),
  );
const moveForm = z.object({
  dealId: uuid,
  stageId: uuid,
  position: optionalInt(0),
  version: optionalInt(1),
});

function amountFrom(values: Record<string, string>) {
  const currency = values.currency ?? "";
  const typed = values.amount?.trim() ?? "";
  const amount = typed === "" ? 0 : parseMoney(typed, currency);
  if (amount === null) {
    throw ApiError.validation(
      { amount: ["Enter an amount such as 1200 or 1200.50."] },
      "Check the highlighted fields.",
    );
  }
  return amount;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requireUser(request, context);
  const form = await readForm(request);
  try {
    switch (form.intent) {
      case "move": {
        const { dealId, stageId, position, version } = parseForm(moveForm, form.values);
        const deal = await runAsUser(context, session, (scope) =>
          updateDeal(scope, dealId, { stageId, position, version }),
        );
        return json(
          { ok: true as const, intent: "move" as const, dealId: deal.id, message: "Deal moved." },
          { headers: session.headers },
        );
      }
      case "create": {
        const input = parseForm(createDealBodySchema, {
          title: form.values.title ?? "",
          amount: amountFrom(form.values),
          currency: form.values.currency ?? "",
          stageId: form.values.stageId,
          pipelineId: form.values.pipelineId,
        });
        const deal = await runAsUser(context, session, (scope) => createDeal(scope, input));
        return json(
          {
            ok: true as const,
            intent: "create" as const,
            stageId: deal.stageId,
            message: `Added “${deal.title}”.`,
          },
          { headers: session.headers },
        );
      }
      default:
        throw ApiError.badRequest("That action is not available on this page.");
    }
  } catch (error) {
    return formFailure(form.intent === "move" ? moveError(error) : error, form, session.headers);
  }
}

/** A stale move (409) is explained for the board, which reloads right after. */
function moveError(error: unknown): unknown {
  if (!(error instanceof ApiError) || error.status !== 409) return error;
  return ApiError.conflict(
    "Someone changed this deal a moment ago. The board now shows the latest; move it again if you still want to.",
  );
}

/** Other people's moves, edits, new and deleted deals reload the board (coalesced). */
function useLiveBoard() {
  useRevalidateOnEvents((event) => event.type.startsWith("deal."), {
    delayMs: 120,
    maxWaitMs: Number.POSITIVE_INFINITY,
  });
}

export default function DealBoard() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionResult<typeof action>();
  const moves = useDealMoves(data.columns);
  useLiveBoard();
  const pageMoveFailure = failureFor(actionData, "move");
  const pageMoved = actionData?.ok && actionData.intent === "move";
  const currencies = currencyOptions([data.mainCurrency, ...data.currencies]);

  return (
    <>
      <header className="border-b border-slate-200 bg-white">
        <div className="flex flex-wrap items-end justify-between gap-4 px-4 py-6 sm:px-6 lg:px-8">
          <div className="min-w-0">
            <p className="text-xs font-medium tracking-wide text-slate-500 uppercase">Deals</p>
            <h1 className="mt-1 text-2xl font-semibold tracking-tight text-slate-900">
              {data.pipeline.name} board
            </h1>
            <p className="mt-1.5 text-sm text-slate-600">
              Drag a card, or focus it and press Space, to move it to another stage.
            </p>
          </div>
          <div className="flex flex-wrap items-center gap-2">
            <OwnerFilter owner={data.owner} owners={data.owners} pipelineId={data.pipeline.id} />
            <Link to="/app/deals" className={buttonClass("secondary")}>
              Table
            </Link>
            {data.canImport ? (
              <Link to="/app/import?entity=deal" className={buttonClass("secondary")}>
                Import deals
              </Link>
            ) : null}
            {data.canExport ? (
              <ExportButton
                entity="deal"
                query={{ "filter.pipelineId": data.pipeline.id }}
                label="Export CSV"
              />
            ) : null}
            {data.canConfigure ? (
              <Link to="/app/settings/pipelines" className={buttonClass("ghost")}>
                Edit stages
              </Link>
            ) : null}
          </div>
        </div>
        {data.pipelines.length > 1 ? (
          <PipelineTabs
            pipelines={data.pipelines}
            currentId={data.pipeline.id}
            owner={data.owner}
          />
        ) : null}
      </header>
      <div className="space-y-4 px-4 py-6 sm:px-6 lg:px-8">
        {moves.notice ? (
          <div className="flex items-start gap-3">
            <div className="flex-1">
              <Alert focusOnMount={false}>{moves.notice.text}</Alert>
            </div>
            <Button type="button" variant="ghost" size="sm" onClick={() => moves.setNotice(null)}>
              Dismiss
            </Button>
          </div>
        ) : null}
        {pageMoveFailure ? (
          <Alert title="The deal was not moved">{pageMoveFailure.message}</Alert>
        ) : pageMoved ? (
          <Alert tone="success">{actionData.message}</Alert>
        ) : null}
        {!data.canWrite ? (
          <Alert tone="info" focusOnMount={false}>
            You can look at the board; moving and adding deals needs an agent role or higher.
          </Alert>
        ) : null}
        <KanbanBoard
          columns={moves.columns}
          canWrite={data.canWrite}
          savingIds={moves.savingIds}
          onMove={moves.move}
          footer={(column) =>
            data.canWrite ? (
              <QuickAddDeal
                stageId={column.id}
                stageName={column.name}
                pipelineId={data.pipeline.id}
                defaultCurrency={data.mainCurrency}
                currencies={currencies}
              />
            ) : null
          }
        />
        {moves.submissions}
      </div>
    </>
  );
}

/** Whose deals the board shows, kept in the URL (`?owner=`); it applies on change. */
function OwnerFilter({
  owner,
  owners,
  pipelineId,
}: {
  owner: string;
  owners: { value: string; label: string }[];
  pipelineId: string;
}) {
  const submit = useSubmit();
  const hydrated = useHydrated();
  return (
    <Form method="get" className="flex items-end gap-1.5" aria-label="Filter the board">
      <input type="hidden" name="pipelineId" value={pipelineId} />
      <SelectField
        label="Owner"
        hideLabel
        name="owner"
        options={owners.map((option) =>
          option.value === "" ? { ...option, label: "Owner: everyone" } : option,
        )}
        // A different value (back/forward) re-renders the select with it.
        key={owner}
        defaultValue={owner}
        className="w-48"
        onChange={(event) => {
          const form = new FormData(event.currentTarget.form ?? undefined);
          if (!form.get("owner")) form.delete("owner");
          submit(form, { method: "get", replace: true, preventScrollReset: true });
        }}
      />
      {hydrated ? null : (
        <Button variant="secondary" type="submit">
          Show
        </Button>
      )}
    </Form>
  );
}

function PipelineTabs({
  pipelines,
  currentId,
  owner,
}: {
  pipelines: { id: string; name: string }[];
  currentId: string;
  owner: string;
}) {
  return (
    <nav aria-label="Pipelines" className="px-4 sm:px-6 lg:px-8">
      <ul className="-mb-px flex gap-4 overflow-x-auto">
        {pipelines.map((pipeline) => {
          const current = pipeline.id === currentId;
          return (
            <li key={pipeline.id}>
              <Link
                to={`?pipelineId=${pipeline.id}${owner ? `&owner=${owner}` : ""}`}
                aria-current={current ? "page" : undefined}
                className={cx(
                  "inline-block border-b-2 px-1 pb-2.5 text-sm font-medium whitespace-nowrap",
                  focusRing,
                  current
                    ? "border-indigo-600 text-indigo-700"
                    : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900",
                )}
              >
                {pipeline.name}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

export function ErrorBoundary() {
  return <RouteError />;
}
