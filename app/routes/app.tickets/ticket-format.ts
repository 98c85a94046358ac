import type { TicketPriority, TicketStatus, TicketType, TicketVia } from "../../../shared/desk";
import type { TicketView } from "../../../worker/tickets/schemas";

/* How the support desk reads: labels, colours, sizes, and which of two versions is newer. */

export const STATUS_LABELS: Record<TicketStatus, string> = {
  new: "New",
  open: "Open",
  pending: "Pending",
  on_hold: "On hold",
  solved: "Solved",
  closed: "Closed",
};

/** Zendesk's colours: new amber, open red, pending blue, on hold dark, solved and closed grey. */
export const STATUS_TONES: Record<TicketStatus, string> = {
  new: "bg-amber-100 text-amber-900 ring-amber-300",
  open: "bg-rose-100 text-rose-800 ring-rose-300",
  pending: "bg-sky-100 text-sky-800 ring-sky-300",
  on_hold: "bg-slate-800 text-white ring-slate-800",
  solved: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  closed: "bg-slate-100 text-slate-600 ring-slate-200",
};

export const PRIORITY_LABELS: Record<TicketPriority, string> = {
  low: "Low",
  normal: "Normal",
  high: "High",
  urgent: "Urgent",
};

export const TYPE_LABELS: Record<TicketType, string> = {
  question: "Question",
  incident: "Incident",
  problem: "Problem",
  task: "Task",
};

export const VIA_LABELS: Record<TicketVia, string> = {
  agent: "an agent",
  email: "email",
  api: "the API",
  web_form: "the web form",
  conversation: "a conversation",
};

/** What an agent may submit a reply as (new is where tickets start; closed comes later). */
export const SUBMIT_STATUSES = [
  "open",
  "pending",
  "on_hold",
  "solved",
] as const satisfies readonly TicketStatus[];

/** The status a reply is submitted as unless the agent picks another. */
export function defaultSubmitStatus(status: TicketStatus): TicketStatus {
  return (SUBMIT_STATUSES as readonly TicketStatus[]).includes(status) ? status : "open";
}

/** "1.2 MB", "830 KB", "12 bytes". */
export function formatBytes(size: number): string {
  if (size < 1024) return `${size} ${size === 1 ? "byte" : "bytes"}`;
  if (size < 1024 * 1024) return `${Math.round(size / 1024)} KB`;
  return `${(size / (1024 * 1024)).toFixed(1)} MB`;
}

/** The newer of two versions of a ticket (every change raises its version). */
export function newerTicket(known: TicketView | undefined, candidate: TicketView): TicketView {
  return known && known.version > candidate.version ? known : candidate;
}

/** Most recently updated first; ties by id, as the server orders them. */
export function byUpdated(a: TicketView, b: TicketView): number {
  return b.updatedAt.localeCompare(a.updatedAt) || b.id.localeCompare(a.id);
}

/** "#1001". */
export const ticketNumber = (ticket: { number: number }) => `#${ticket.number}`;

/**
 * Where a ticket stands against its running SLA targets (met and paused ones aside), as the
 * server's "Overdue" and "Breaching soon" views count it: past due, in the warning window, or
 * neither.
 */
export function slaStanding(ticket: TicketView, now = Date.now()): "overdue" | "soon" | null {
  if (!["new", "open", "pending", "on_hold"].includes(ticket.status)) return null;
  let due: number | null = null;
  let warn: number | null = null;
  for (const target of ticket.sla?.targets ?? []) {
    if (target.achievedAt || target.paused || !target.dueAt) continue;
    due = Math.min(due ?? Number.POSITIVE_INFINITY, Date.parse(target.dueAt));
    if (target.warnAt) warn = Math.min(warn ?? Number.POSITIVE_INFINITY, Date.parse(target.warnAt));
  }
  if (due !== null && due <= now) return "overdue";
  if (warn !== null && warn <= now) return "soon";
  return null;
}

/** An SLA policy by its scope: "Urgent", "High · Billing team", "Normal · Incident". */
export function slaPolicyLabel(policy: {
  priority: TicketPriority;
  teamName: string | null;
  ticketType: TicketType | null;
}): string {
  return [
    PRIORITY_LABELS[policy.priority],
    policy.teamName === null ? null : `${policy.teamName} team`,
    policy.ticketType === null ? null : TYPE_LABELS[policy.ticketType],
  ]
    .filter(Boolean)
    .join(" · ");
}
