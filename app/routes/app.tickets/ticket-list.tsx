import { Link, useLocation } from "@remix-run/react";
import type { TicketView } from "../../../worker/tickets/schemas";
import { cx, focusRing } from "../../components/ui";
import { useNow } from "../../lib/use-live";
import { shortAge } from "../app.inbox/inbox-format";
import { TICKET_BULK_FORM } from "./ticket-bulk-bar";
import { slaStanding, ticketNumber } from "./ticket-format";
import { PriorityText, StatusPill } from "./ticket-parts";

/*
 * The tickets as rows: on a desk a table-like grid (number, subject, requester, status,
 * priority, assignee, updated), on a phone a card per ticket. Each row is one link to the
 * ticket. The requester has a column of its own when there is room, else it sits under the
 * subject (from 1600 px up it has its own). With bulk actions, a checkbox sits before each
 * row (outside its link), belonging to the bulk bar's form.
 */

export interface TicketSelection {
  selected: ReadonlySet<string>;
  toggle(id: string, checked: boolean): void;
}

const ROW_GRID = cx(
  "md:grid md:items-center md:gap-x-3",
  "md:max-[1599px]:grid-cols-[4rem_minmax(0,1fr)_6rem_5.5rem_8rem_3.5rem]",
  "min-[1600px]:grid-cols-[4rem_minmax(0,1fr)_11rem_6rem_5.5rem_8rem_3.5rem]",
);

export function TicketRows({
  tickets,
  names,
  selection,
}: {
  tickets: TicketView[];
  names: ReadonlyMap<string, string>;
  selection?: TicketSelection;
}) {
  const now = useNow(30_000);
  // The ticket's "Tickets" link leads back to this list, filters and all.
  const { pathname, search } = useLocation();
  const from = `${pathname}${search}`;
  return (
    <div className="min-w-0">
      <div
        aria-hidden="true"
        className={cx(
          "hidden border-b border-slate-200 bg-slate-50/70 py-2 pr-4 text-xs font-medium text-slate-600 sm:pr-6",
          selection ? "pl-12 sm:pl-14" : "pl-4 sm:pl-6",
          ROW_GRID,
        )}
      >
        <span>Number</span>
        <span>Subject</span>
        <span className="hidden min-[1600px]:block">Requester</span>
        <span>Status</span>
        <span>Priority</span>
        <span>Assignee</span>
        <span className="text-right">Updated</span>
      </div>
      <ul aria-label="Tickets" className="divide-y divide-slate-100" data-testid="ticket-list">
        {tickets.map((ticket) => (
          <TicketRow
            key={ticket.id}
            ticket={ticket}
            assignee={ticket.assigneeId ? (names.get(ticket.assigneeId) ?? "Former member") : null}
            now={now}
            from={from}
            selection={selection}
          />
        ))}
      </ul>
    </div>
  );
}

function requesterName(ticket: TicketView): string | null {
  return ticket.requester?.name || ticket.requester?.email || null;
}

function TicketRow({
  ticket,
  assignee,
  now,
  from,
  selection,
}: {
  ticket: TicketView;
  assignee: string | null;
  now: number | null;
  from: string;
  selection?: TicketSelection;
}) {
  const requester = requesterName(ticket);
  const age = shortAge(ticket.updatedAt, now);
  const fresh = ticket.status === "new";
  return (
    <li
      data-ticket={ticket.id}
      data-number={ticket.number}
      data-status={ticket.status}
      className={cx("flex items-stretch", selection?.selected.has(ticket.id) && "bg-indigo-50/60")}
    >
      {selection ? (
        <span className="flex shrink-0 items-start pt-3.5 pl-4 sm:pl-6 md:items-center md:pt-0">
          <input
            type="checkbox"
            name="ids"
            value={`${ticket.id}:${ticket.version}`}
            form={TICKET_BULK_FORM}
            checked={selection.selected.has(ticket.id)}
            onChange={(event) => selection.toggle(ticket.id, event.currentTarget.checked)}
            aria-label={`Select ticket ${ticketNumber(ticket)}`}
            className={cx("size-4 rounded border-slate-300 accent-indigo-600", focusRing)}
          />
        </span>
      ) : null}
      <Link
        to={`/app/tickets/${ticket.id}`}
        prefetch="intent"
        state={{ from }}
        className={cx(
          "block min-w-0 flex-1 py-3 pr-4 hover:bg-slate-50 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-600 sm:pr-6 md:py-2.5",
          selection ? "pl-3 sm:pl-4" : "pl-4 sm:pl-6",
        )}
      >
        {/* A phone: a card. */}
        <span className="block md:hidden">
          <span className="flex items-start gap-2">
            <span
              className={cx(
                "min-w-0 flex-1 text-sm break-words text-slate-900",
                fresh ? "font-semibold" : "font-medium",
              )}
            >
              {ticket.subject}
            </span>
            <time dateTime={ticket.updatedAt} className="shrink-0 text-xs text-slate-500">
              {age}
            </time>
          </span>
          <span className="mt-1 flex items-center gap-2">
            <span className="min-w-0 flex-1 truncate text-xs text-slate-600">
              <span className="tabular-nums">{ticketNumber(ticket)}</span>
              {requester ? ` · ${requester}` : ""}
            </span>
            <SlaFlag ticket={ticket} now={now} />
            <StatusPill status={ticket.status} />
          </span>
          <span className="mt-1 flex items-center justify-between gap-2 text-xs">
            <PriorityText priority={ticket.priority} />
            <span className="min-w-0 truncate text-slate-600">{assignee ?? "Unassigned"}</span>
          </span>
        </span>
        {/* A desk: a row. */}
        <span className={cx("hidden text-sm", ROW_GRID)}>
          <span className="text-slate-500 tabular-nums">{ticketNumber(ticket)}</span>
          <span className="min-w-0">
            <span
              className={cx(
                "block truncate text-slate-900",
                fresh ? "font-semibold" : "font-medium",
              )}
              title={ticket.subject}
            >
              {ticket.subject}
            </span>
            <span className="block truncate text-xs text-slate-500 min-[1600px]:hidden">
              {requester ?? "No requester"}
            </span>
          </span>
          <span className="hidden min-w-0 truncate text-slate-700 min-[1600px]:block">
            {requester ?? <span className="text-slate-400">—</span>}
          </span>
          <span className="flex items-center gap-1">
            <StatusPill status={ticket.status} />
            <SlaFlag ticket={ticket} now={now} />
          </span>
          <span className="text-xs">
            <PriorityText priority={ticket.priority} />
          </span>
          <span className={cx("min-w-0 truncate", assignee ? "text-slate-700" : "text-slate-400")}>
            {assignee ?? "Unassigned"}
          </span>
          <time
            dateTime={ticket.updatedAt}
            className="text-right text-xs text-slate-500 tabular-nums"
          >
            {age}
          </time>
        </span>
      </Link>
    </li>
  );
}

/**
 * A hollow ring after the status (priority has the filled dots): red when an SLA target is
 * overdue, amber when it is breaching soon.
 */
function SlaFlag({ ticket, now }: { ticket: TicketView; now: number | null }) {
  const standing = now === null ? null : slaStanding(ticket, now);
  if (!standing) return null;
  const label = standing === "overdue" ? "SLA overdue" : "SLA breaching soon";
  return (
    <span
      title={label}
      data-sla={standing}
      className={cx(
        "inline-block size-2.5 shrink-0 rounded-full border-2",
        standing === "overdue" ? "border-red-600" : "border-amber-500",
      )}
    >
      <span className="sr-only">{label}</span>
    </span>
  );
}
