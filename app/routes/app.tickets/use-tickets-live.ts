import { useState } from "react";
import { UNSOLVED_TICKET_STATUSES } from "../../../shared/desk";
import type { TicketView } from "../../../worker/tickets/schemas";
import { useRecordEvents } from "../../lib/realtime-context";
import { useCoalescedReload } from "../../lib/use-live";
import { byUpdated, newerTicket, slaStanding } from "./ticket-format";
import type { TicketFilters } from "./ticket-params";

/*
 * The ticket list stays current without reloading: every `ticket.updated` from the socket is
 * kept as the newest version of its ticket and laid over what the loader read (a new ticket
 * appears, a solved one leaves "All unsolved", at once), and the loader runs again shortly
 * after (coalesced) for the views' counts and the server's own matching of words.
 */

/** Ticket events kept at most (the oldest are dropped first); the loader has the rest. */
const MAX_KEPT = 500;

export function useTicketsLive(): ReadonlyMap<string, TicketView> {
  const [live, setLive] = useState<ReadonlyMap<string, TicketView>>(() => new Map());
  const reload = useCoalescedReload({ delayMs: 400, maxWaitMs: 3000 });
  useRecordEvents((event) => {
    if (event.type !== "ticket.updated") return;
    const ticket = event.ticket;
    setLive((current) => {
      const known = current.get(ticket.id);
      if (known && known.version >= ticket.version) return current;
      const next = new Map(current);
      next.delete(ticket.id);
      next.set(ticket.id, ticket);
      if (next.size > MAX_KEPT) {
        const oldest = next.keys().next().value;
        if (oldest !== undefined) next.delete(oldest);
      }
      return next;
    });
    reload();
  });
  return live;
}

const UNSOLVED = new Set<string>(UNSOLVED_TICKET_STATUSES);

/** Whether a ticket belongs in the list the filters describe (`q` aside: the server's). */
export function matchesTicketFilters(ticket: TicketView, filters: TicketFilters, me: string) {
  switch (filters.view) {
    case "my_open":
      if (!UNSOLVED.has(ticket.status) || ticket.assigneeId !== me) return false;
      break;
    case "unassigned":
      if (!UNSOLVED.has(ticket.status) || ticket.assigneeId !== null) return false;
      break;
    case "unsolved":
      if (!UNSOLVED.has(ticket.status)) return false;
      break;
    case "breaching_soon":
      if (slaStanding(ticket) !== "soon") return false;
      break;
    case "overdue":
      if (slaStanding(ticket) !== "overdue") return false;
      break;
    default:
      break;
  }
  if (filters.status && ticket.status !== filters.status) return false;
  if (filters.priority && ticket.priority !== filters.priority) return false;
  return true;
}

/**
 * The list as it is now: the loaded rows in their newest versions, plus tickets that opened or
 * came into the filters since (on the first page, and not when searching), minus those that
 * left them; most recently updated first.
 */
export function liveTicketList(
  loaded: TicketView[],
  live: ReadonlyMap<string, TicketView>,
  filters: TicketFilters,
  me: string,
): TicketView[] {
  const byId = new Map<string, TicketView>();
  for (const row of loaded) byId.set(row.id, newerTicket(live.get(row.id), row));
  if (!filters.q && !filters.cursor) {
    for (const ticket of live.values()) {
      if (!byId.has(ticket.id)) byId.set(ticket.id, ticket);
    }
  }
  return [...byId.values()]
    .filter((ticket) => matchesTicketFilters(ticket, filters, me))
    .sort(byUpdated);
}
