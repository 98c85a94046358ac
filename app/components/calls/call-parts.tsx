import { Link } from "@remix-run/react";
import { useEffect, useState } from "react";
import {
  type CallView,
  callResult,
  DIRECTION_LABELS,
  elapsedSeconds,
  formatDuration,
  otherNumber,
  STATUS_LABELS,
  statusTone,
} from "../../lib/call-format";
import { Badge, Button, cx, focusRing } from "../ui";
import { usePhone } from "./phone-context";

/* Small pieces every call screen shares: the running time, state badges, the contact link. */

/** The current time, ticking every second while `active`; null until the page runs. */
export function useNow(active: boolean): number | null {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    if (!active) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [active]);
  return now;
}

/** Ringing time while ringing, talk time once answered, the duration once over. */
export function CallTimer({ call, className }: { call: CallView; className?: string }) {
  const live = call.endedAt === null;
  const now = useNow(live);
  const text = live && now === null ? "" : formatDuration(elapsedSeconds(call, now ?? 0));
  return (
    <span
      role="timer"
      aria-label={call.answeredAt ? "Talk time" : "Ringing time"}
      className={cx("font-mono text-sm tabular-nums", className)}
      data-testid="call-timer"
    >
      {text}
    </span>
  );
}

/** "Ringing", "Answered", "On hold", "Ended"... as a badge. */
export function CallStateBadge({ call }: { call: CallView }) {
  const ended = call.endedAt !== null;
  return (
    <span data-testid="call-state" data-state={ended ? "ended" : call.status}>
      <Badge tone={ended ? "neutral" : statusTone(call.status)}>
        {ended ? "Ended" : STATUS_LABELS[call.status]}
      </Badge>
    </span>
  );
}

/** How a call in a list ended, or its live state. */
export function CallResultBadge({ call }: { call: CallView }) {
  const result = callResult(call);
  return <Badge tone={result.tone}>{result.label}</Badge>;
}

const arrows: Record<CallView["direction"], string> = {
  inbound: "↙",
  outbound: "↗",
  internal: "↔",
};

export function DirectionLabel({ call }: { call: CallView }) {
  return (
    <span className="inline-flex items-center gap-1 whitespace-nowrap">
      <span aria-hidden="true" className="text-slate-500">
        {arrows[call.direction]}
      </span>
      {DIRECTION_LABELS[call.direction]}
    </span>
  );
}

const linkClass = cx(
  "rounded-sm font-medium text-indigo-700 hover:text-indigo-600 hover:underline",
  focusRing,
);

/** The other party: their number and contact (linked). */
export function CallParty({ call }: { call: CallView }) {
  const number = otherNumber(call);
  return (
    <span className="min-w-0">
      <span className="font-medium text-slate-900 tabular-nums">{number}</span>
      {call.contact && call.contact.name !== number ? (
        <>
          {" · "}
          <Link to={`/app/contacts/${call.contact.id}`} className={linkClass}>
            {call.contact.name}
          </Link>
        </>
      ) : call.fromName && call.direction === "inbound" ? (
        <span className="text-slate-600"> · {call.fromName}</span>
      ) : null}
    </span>
  );
}

/**
 * For a call from an unknown number: "Create contact" (creates it with the number, links the
 * call, opens it). Nothing when the call has a contact, is internal, or the member may not.
 */
export function CreateContactButton({
  call,
  size = "sm",
  variant = "secondary",
}: {
  call: CallView;
  size?: "sm" | "md";
  variant?: "primary" | "secondary";
}) {
  const phone = usePhone();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!phone?.canCreateContacts || !phone.canCall || call.contact || !call.customerNumber) {
    return null;
  }
  return (
    <span className="inline-flex flex-col gap-1">
      <Button
        type="button"
        size={size}
        variant={variant}
        pending={pending}
        disabled={pending}
        onClick={async () => {
          setPending(true);
          setError(null);
          const failure = await phone.createContactFor(call);
          setPending(false);
          setError(failure);
        }}
      >
        Create contact
      </Button>
      {error ? (
        <span role="alert" className="text-xs font-medium text-red-700">
          {error}
        </span>
      ) : null}
    </span>
  );
}
