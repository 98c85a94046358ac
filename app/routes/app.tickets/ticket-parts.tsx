import type { TicketPriority, TicketStatus } from "../../../shared/desk";
import { cx } from "../../components/ui";
import { PRIORITY_LABELS, STATUS_LABELS, STATUS_TONES } from "./ticket-format";

/* Small pieces the ticket list and the ticket page share. */

export function StatusPill({ status, className }: { status: TicketStatus; className?: string }) {
  return (
    <span
      className={cx(
        "inline-flex shrink-0 items-center rounded px-1.5 py-px text-[11px] font-semibold tracking-wide whitespace-nowrap uppercase ring-1 ring-inset",
        STATUS_TONES[status],
        className,
      )}
      data-testid="ticket-status"
      data-status={status}
    >
      {STATUS_LABELS[status]}
    </span>
  );
}

const PRIORITY_DOTS: Record<TicketPriority, string> = {
  low: "bg-slate-300",
  normal: "bg-sky-400",
  high: "bg-amber-500",
  urgent: "bg-red-600",
};

export function PriorityText({ priority }: { priority: TicketPriority }) {
  return (
    <span
      className={cx(
        "inline-flex items-center gap-1.5 whitespace-nowrap",
        priority === "urgent" ? "font-semibold text-red-700" : "text-slate-700",
      )}
    >
      <span aria-hidden="true" className={cx("size-2 rounded-full", PRIORITY_DOTS[priority])} />
      {PRIORITY_LABELS[priority]}
    </span>
  );
}
