import {
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  type TicketPriority,
  type TicketStatus,
} from "../../../shared/desk";

/*
 * The ticket list's URL: `?view=unassigned&status=pending&priority=high&q=words&cursor=…`.
 * Plain functions, read by the loader and by the page (links keep the other filters).
 */

export const TICKET_VIEW_IDS = [
  "my_open",
  "unassigned",
  "unsolved",
  "breaching_soon",
  "overdue",
  "all",
] as const;
export type TicketViewId = (typeof TICKET_VIEW_IDS)[number];

export const VIEW_LABELS: Record<TicketViewId, string> = {
  my_open: "My open tickets",
  unassigned: "Unassigned",
  unsolved: "All unsolved",
  breaching_soon: "Breaching soon",
  overdue: "Overdue",
  all: "All tickets",
};

/** The view a bare /app/tickets shows: everything the team still has work in. */
export const DEFAULT_VIEW: TicketViewId = "unsolved";

export interface TicketFilters {
  view: TicketViewId;
  status: TicketStatus | "";
  priority: TicketPriority | "";
  q: string;
  /** The page after the first (opaque, from the service). */
  cursor: string;
}

export function readTicketFilters(search: URLSearchParams): TicketFilters {
  const view = search.get("view");
  const status = search.get("status");
  const priority = search.get("priority");
  return {
    view: TICKET_VIEW_IDS.find((value) => value === view) ?? DEFAULT_VIEW,
    status: TICKET_STATUSES.find((value) => value === status) ?? "",
    priority: TICKET_PRIORITIES.find((value) => value === priority) ?? "",
    q: (search.get("q") ?? "").trim().slice(0, 200),
    cursor: (search.get("cursor") ?? "").slice(0, 200),
  };
}

/**
 * `/app/tickets?…` for these filters with some changed (defaults left out). Any change but
 * the cursor's starts from the first page again.
 */
export function ticketsHref(filters: TicketFilters, change: Partial<TicketFilters> = {}): string {
  const next = { ...filters, cursor: "", ...change };
  const params = new URLSearchParams();
  if (next.view !== DEFAULT_VIEW) params.set("view", next.view);
  if (next.status) params.set("status", next.status);
  if (next.priority) params.set("priority", next.priority);
  if (next.q) params.set("q", next.q);
  if (next.cursor) params.set("cursor", next.cursor);
  const search = params.toString();
  return search ? `/app/tickets?${search}` : "/app/tickets";
}
