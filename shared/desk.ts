/*
 * The support desk's vocabulary, shared by the Worker and the app as plain constants.
 */

/**
 * Where a ticket stands (Zendesk's): `new` (nobody has answered), `open` (the team works on
 * it), `pending` (waiting on the requester: SLA clocks pause), `on_hold` (waiting on a third
 * party), `solved` (a reply from the requester reopens it), `closed` (final).
 */
export const TICKET_STATUSES = ["new", "open", "pending", "on_hold", "solved", "closed"] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const TICKET_PRIORITIES = ["low", "normal", "high", "urgent"] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

export const TICKET_TYPES = ["question", "incident", "problem", "task"] as const;
export type TicketType = (typeof TICKET_TYPES)[number];

/** How a ticket or a comment came in. */
export const TICKET_VIA = ["agent", "email", "api", "web_form", "conversation"] as const;
export type TicketVia = (typeof TICKET_VIA)[number];

export const TICKET_AUTHOR_KINDS = ["agent", "requester", "system"] as const;
export type TicketAuthorKind = (typeof TICKET_AUTHOR_KINDS)[number];

/** A file that came with a comment, kept in R2 under `key`. */
export interface TicketAttachment {
  key: string;
  filename: string;
  contentType: string;
  size: number;
}

/** Statuses the team still has work in. */
export const UNSOLVED_TICKET_STATUSES: readonly TicketStatus[] = [
  "new",
  "open",
  "pending",
  "on_hold",
];

/** The clocks an SLA policy sets on a ticket. */
export const SLA_METRICS = ["first_response", "next_response", "resolution"] as const;
export type SlaMetric = (typeof SLA_METRICS)[number];

/** A spell in `pending`; `to` is null while it lasts. */
export interface SlaPause {
  from: string;
  to: string | null;
}

/** Per target: when the warning (due within the hour) and the breach were announced. */
export type SlaAlerts = Partial<Record<SlaMetric, { warnedAt?: string; breachedAt?: string }>>;

/** Warn this long before an SLA target is due: an hour, or a quarter of a shorter target. */
export function slaWarningMinutes(targetMinutes: number): number {
  return Math.min(60, Math.ceil(targetMinutes / 4));
}

/** What tells policies apart: priority, team and type (null: any). */
export function slaPolicyKey(policy: {
  priority: string;
  teamId?: string | null;
  ticketType?: string | null;
}): string {
  return `${policy.priority}|${policy.teamId ?? ""}|${policy.ticketType ?? ""}`;
}
