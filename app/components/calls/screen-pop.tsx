import { Link } from "@remix-run/react";
import { type CallView, otherNumber, STATUS_LABELS, statusTone } from "../../lib/call-format";
import { CloseIcon, PhoneIcon } from "../icons";
import { Badge, buttonClass, cx, focusRing } from "../ui";
import { CallTimer, CreateContactButton } from "./call-parts";
import { usePhone } from "./phone-context";

/*
 * The screen-pop: a card when an inbound call rings at the member's phone, with who is calling
 * and a way to their contact record (or to create one for an unknown number). One at a time
 * (the newest call). It floats over the page in the bottom corner (the bottom edge on a
 * phone), clear of the call bar and never moving the page; a spacer after the page lets its
 * last lines scroll out from under the card. It stays while the call lasts, until dismissed or
 * the contact is opened.
 */

export function ScreenPops() {
  const phone = usePhone();
  if (!phone || phone.pops.length === 0) return null;
  return (
    <>
      <div
        data-phone-ui=""
        className="fixed inset-x-3 bottom-3 z-40 sm:inset-x-auto sm:right-6 sm:bottom-6 sm:w-96"
      >
        {phone.pops.map((call) => (
          <ScreenPop key={call.id} call={call} onDismiss={() => phone.dismissPop(call.id)} />
        ))}
      </div>
      <div aria-hidden="true" className="h-52" />
    </>
  );
}

function ScreenPop({ call, onDismiss }: { call: CallView; onDismiss: () => void }) {
  const number = otherNumber(call);
  const ringing = call.status === "ringing";
  return (
    <section
      aria-label="Incoming call"
      data-testid="screen-pop"
      data-call-id={call.id}
      className="w-full rounded-lg bg-white shadow-lg ring-1 ring-slate-200"
    >
      <div className="flex items-start gap-3 px-4 pt-4">
        <span
          aria-hidden="true"
          className={cx(
            "flex size-10 shrink-0 items-center justify-center rounded-full",
            ringing
              ? "animate-pulse bg-amber-100 text-amber-700"
              : "bg-emerald-100 text-emerald-700",
          )}
        >
          <PhoneIcon className="size-5" />
        </span>
        <div className="min-w-0 flex-1">
          <p className="flex items-center gap-2 text-xs font-medium text-slate-600">
            Incoming call
            <Badge tone={statusTone(call.status)}>{STATUS_LABELS[call.status]}</Badge>
            <CallTimer call={call} className="text-xs text-slate-500" />
          </p>
          <p className="mt-1 truncate text-lg font-semibold text-slate-900 tabular-nums">
            {number}
          </p>
          <p className="truncate text-sm text-slate-700">
            {call.contact ? (
              call.contact.name
            ) : (
              <span className="text-slate-600">
                {call.fromName ? `${call.fromName} · ` : null}Unknown number
              </span>
            )}
          </p>
          {call.queue ? <p className="text-xs text-slate-500">Queue: {call.queue}</p> : null}
        </div>
        <button
          type="button"
          onClick={onDismiss}
          className={cx(
            "-m-1 rounded-md p-1 text-slate-500 hover:bg-slate-100 hover:text-slate-800",
            focusRing,
          )}
        >
          <span className="sr-only">Dismiss</span>
          <CloseIcon className="size-4" />
        </button>
      </div>
      <div className="flex flex-wrap items-center gap-2 px-4 pt-3 pb-4">
        {call.contact ? (
          <Link
            to={`/app/contacts/${call.contact.id}`}
            onClick={onDismiss}
            className={buttonClass("primary", "sm")}
          >
            Open contact
          </Link>
        ) : (
          <CreateContactButton call={call} variant="primary" />
        )}
      </div>
    </section>
  );
}
