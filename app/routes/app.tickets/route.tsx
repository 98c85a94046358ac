import type { MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useLoaderData, useNavigate, useSearchParams } from "@remix-run/react";
import { useId } from "react";
import { TICKET_PRIORITIES, TICKET_STATUSES } from "../../../shared/desk";
import { useListActionData } from "../../components/record-list/action-data";
import { useSelection } from "../../components/record-list/selection";
import { RouteError } from "../../components/route-error";
import { Alert, buttonClass, controlClass, cx, focusRing } from "../../components/ui";
import { SearchIcon } from "../app.inbox/inbox-icons";
import { NewTicketDialog } from "./new-ticket";
import { TicketBulkBar } from "./ticket-bulk-bar";
import { PRIORITY_LABELS, STATUS_LABELS } from "./ticket-format";
import { TicketRows } from "./ticket-list";
import {
  TICKET_VIEW_IDS,
  type TicketFilters,
  type TicketViewId,
  ticketsHref,
  VIEW_LABELS,
} from "./ticket-params";
import type { loader } from "./tickets.server";
import { liveTicketList, useTicketsLive } from "./use-tickets-live";

export { action, loader } from "./tickets.server";

export const meta: MetaFunction = () => [{ title: "Tickets · Switchboard" }];

/*
 * The support desk's ticket list: the views (with their counts) on the left, or above on a
 * phone; the filters; the tickets, most recently updated first, kept live through the socket.
 * "New ticket" opens a dialog (`?new=1`, so it works without JavaScript too).
 */

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

export default function TicketsPage() {
  const data = useLoaderData<typeof loader>();
  const live = useTicketsLive();
  const { filters } = data;
  const tickets = liveTicketList(data.tickets, live, filters, data.me);
  const names = new Map(data.members.map((member) => [member.userId, member.name]));
  const filtered = Boolean(filters.status || filters.priority || filters.q);
  const selection = useSelection(tickets);
  const outcome = useListActionData();
  const bulkFailure = outcome.failure?.intent.startsWith("bulk-") ? outcome.failure : undefined;
  return (
    <div className="flex min-h-[calc(100dvh-3.1rem)] flex-col bg-white lg:min-h-dvh xl:flex-row">
      <ViewsColumn data={data} />
      <section aria-labelledby="tickets-view-title" className="flex min-w-0 flex-1 flex-col">
        <div className="space-y-3 border-b border-slate-200 px-4 py-3 sm:px-6">
          <h2
            id="tickets-view-title"
            className="sr-only text-base font-semibold text-slate-900 xl:not-sr-only"
            data-testid="tickets-view-title"
          >
            {VIEW_LABELS[filters.view]}
          </h2>
          <Filters filters={filters} />
          {outcome.success?.intent.startsWith("bulk-") ? (
            <Alert tone="success" focusOnMount={false}>
              {outcome.success.message}
            </Alert>
          ) : null}
          {bulkFailure ? (
            <Alert title={bulkFailure.message}>
              {Object.values(bulkFailure.fieldErrors).flat().join(" ") || null}
            </Alert>
          ) : null}
        </div>
        {data.canWrite && tickets.length > 0 ? (
          <TicketBulkBar
            selected={selection.selected.size}
            onPage={tickets.length}
            onToggleAll={(checked) => selection.toggleAll(tickets, checked)}
            members={data.members}
            me={data.me}
            canDelete={data.canDelete}
          />
        ) : null}
        {data.invalidFilters ? (
          <p className="px-6 py-8 text-sm text-slate-600">
            These filters do not read.{" "}
            <Link to="/app/tickets" className="text-indigo-700 underline">
              Show all unsolved tickets
            </Link>
            .
          </p>
        ) : tickets.length === 0 ? (
          <div className="px-6 py-12 text-center" data-testid="tickets-empty">
            <p className="text-sm font-medium text-slate-900">
              {filtered ? "No tickets match these filters." : emptyText(filters.view)}
            </p>
            {filtered ? (
              <Link
                to={ticketsHref(filters, { status: "", priority: "", q: "" })}
                className={cx("mt-3", buttonClass("secondary", "sm"))}
              >
                Clear the filters
              </Link>
            ) : null}
          </div>
        ) : (
          <TicketRows
            tickets={tickets}
            names={names}
            selection={data.canWrite ? selection : undefined}
          />
        )}
        <Pages filters={filters} nextCursor={data.nextCursor} />
      </section>
      <NewTicketDialog
        members={data.members}
        me={data.me}
        canWrite={data.canWrite}
        customFields={data.customFields}
      />
    </div>
  );
}

function emptyText(view: TicketViewId): string {
  switch (view) {
    case "my_open":
      return "Nothing is waiting on you: no unsolved ticket is assigned to you.";
    case "unassigned":
      return "Every unsolved ticket has someone on it.";
    case "unsolved":
      return "No unsolved tickets. Nice work.";
    case "breaching_soon":
      return "No SLA target is about to be missed.";
    case "overdue":
      return "No ticket is past its SLA target.";
    default:
      return "No tickets yet.";
  }
}

function countOf(view: TicketViewId, counts: Data["counts"]): number | null {
  switch (view) {
    case "my_open":
      return counts.myOpen;
    case "unassigned":
      return counts.unassigned;
    case "unsolved":
      return counts.unsolved;
    case "breaching_soon":
      return counts.breachingSoon;
    case "overdue":
      return counts.overdue;
    default:
      return null;
  }
}

function NewTicketButton() {
  const [searchParams] = useSearchParams();
  const next = new URLSearchParams(searchParams);
  next.set("new", "1");
  return (
    <Link to={`?${next.toString()}`} preventScrollReset className={buttonClass("primary", "sm")}>
      <span aria-hidden="true">+</span>
      New ticket
    </Link>
  );
}

function ViewsColumn({ data }: { data: Data }) {
  const { filters, counts } = data;
  return (
    <aside className="shrink-0 border-b border-slate-200 bg-slate-50/70 xl:w-56 xl:border-r xl:border-b-0">
      <div className="flex items-center justify-between gap-3 px-4 pt-4 pb-3">
        <h1 className="text-lg font-semibold tracking-tight text-slate-900">Tickets</h1>
        <Link
          to="/app/kb"
          className={cx("ml-auto xl:hidden", buttonClass("ghost", "sm"))}
          data-testid="kb-link"
        >
          Knowledge base
        </Link>
        {data.canWrite ? <NewTicketButton /> : null}
      </div>
      <nav aria-label="Views" className="px-3 pb-3">
        <ul
          className="grid grid-cols-2 gap-1 sm:grid-cols-3 xl:grid-cols-1"
          data-testid="ticket-views"
        >
          {TICKET_VIEW_IDS.map((view) => {
            const current = filters.view === view;
            const count = countOf(view, counts);
            return (
              <li key={view}>
                <Link
                  to={ticketsHref(filters, { view })}
                  aria-current={current ? "page" : undefined}
                  className={cx(
                    "flex items-center justify-between gap-2 rounded-md px-2.5 py-1.5 text-sm",
                    focusRing,
                    current
                      ? "bg-white font-semibold text-slate-900 shadow-xs ring-1 ring-slate-200"
                      : "text-slate-700 hover:bg-white hover:text-slate-900",
                  )}
                >
                  <span className="min-w-0 truncate">{VIEW_LABELS[view]}</span>
                  {count !== null ? (
                    <span
                      className={cx(
                        "shrink-0 text-xs tabular-nums",
                        current ? "text-indigo-700" : "text-slate-500",
                      )}
                      data-testid={`count-${view}`}
                    >
                      {count}
                    </span>
                  ) : null}
                </Link>
              </li>
            );
          })}
        </ul>
        <Link
          to="/app/tickets/reports"
          className={cx(
            "mt-2 flex items-center rounded-md px-2.5 py-1.5 text-sm text-slate-700 hover:bg-white hover:text-slate-900",
            focusRing,
          )}
        >
          Reports: satisfaction and SLA
        </Link>
      </nav>
      <p className="hidden px-5 pb-4 text-sm xl:block">
        <Link to="/app/kb" className="text-indigo-700 hover:underline">
          Knowledge base
        </Link>
      </p>
    </aside>
  );
}

function Filters({ filters }: { filters: TicketFilters }) {
  const id = useId();
  const navigate = useNavigate();
  return (
    <Form
      method="get"
      role="search"
      className="flex flex-wrap items-center gap-2"
      key={`${filters.view}|${filters.status}|${filters.priority}|${filters.q}`}
    >
      {filters.view !== "unsolved" ? (
        <input type="hidden" name="view" value={filters.view} />
      ) : null}
      <div className="relative min-w-0 basis-full sm:flex-1 sm:basis-auto">
        <label htmlFor={`${id}-q`} className="sr-only">
          Search tickets
        </label>
        <SearchIcon className="pointer-events-none absolute top-2 left-2.5 size-4 text-slate-400" />
        <input
          id={`${id}-q`}
          type="search"
          name="q"
          defaultValue={filters.q}
          maxLength={200}
          placeholder="Search subjects and comments"
          className={cx(controlClass(false, "sm"), "pl-8")}
        />
      </div>
      <label htmlFor={`${id}-status`} className="sr-only">
        Status
      </label>
      <select
        id={`${id}-status`}
        name="status"
        defaultValue={filters.status}
        onChange={(event) =>
          navigate(
            ticketsHref(filters, { status: event.currentTarget.value as TicketFilters["status"] }),
          )
        }
        className={cx(controlClass(false, "sm"), "min-w-0 flex-1 pr-7 sm:w-40 sm:flex-none")}
      >
        <option value="">Any status</option>
        {TICKET_STATUSES.map((status) => (
          <option key={status} value={status}>
            {STATUS_LABELS[status]}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-priority`} className="sr-only">
        Priority
      </label>
      <select
        id={`${id}-priority`}
        name="priority"
        defaultValue={filters.priority}
        onChange={(event) =>
          navigate(
            ticketsHref(filters, {
              priority: event.currentTarget.value as TicketFilters["priority"],
            }),
          )
        }
        className={cx(controlClass(false, "sm"), "min-w-0 flex-1 pr-7 sm:w-40 sm:flex-none")}
      >
        <option value="">Any priority</option>
        {TICKET_PRIORITIES.map((priority) => (
          <option key={priority} value={priority}>
            {PRIORITY_LABELS[priority]}
          </option>
        ))}
      </select>
      <noscript>
        <button type="submit" className={buttonClass("secondary", "sm")}>
          Apply
        </button>
      </noscript>
    </Form>
  );
}

function Pages({ filters, nextCursor }: { filters: TicketFilters; nextCursor: string | null }) {
  if (!nextCursor && !filters.cursor) return null;
  return (
    <nav
      aria-label="Pages"
      className="flex items-center justify-between gap-3 border-t border-slate-200 px-4 py-3 sm:px-6"
    >
      {filters.cursor ? (
        <Link to={ticketsHref(filters)} className={buttonClass("secondary", "sm")}>
          Newest tickets
        </Link>
      ) : (
        <span />
      )}
      {nextCursor ? (
        <Link
          to={ticketsHref(filters, { cursor: nextCursor })}
          className={buttonClass("secondary", "sm")}
        >
          Older tickets
        </Link>
      ) : null}
    </nav>
  );
}

export function ErrorBoundary() {
  return <RouteError />;
}
