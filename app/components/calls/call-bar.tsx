import { useRevalidator } from "@remix-run/react";
import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from "react";
import { callApi, errorMessage } from "../../lib/api-client";
import {
  type CallView,
  callResult,
  DIRECTION_LABELS,
  DISPOSITIONS,
  otherNumber,
  STATUS_LABELS,
} from "../../lib/call-format";
import { PhoneIcon } from "../icons";
import { Button, cx, SelectField, TextAreaField, TextField } from "../ui";
import { CallParty, CallStateBadge, CallTimer, CreateContactButton } from "./call-parts";
import { hasCallBar, usePhone } from "./phone-context";

/*
 * The call bar at the top of every page: one current call (who, Ringing → Answered ⇄ On
 * hold, the running time and the controls), and under it a row of fixed height with the
 * member's other calls and the inbound calls ringing for the team (someone else's phone, or
 * nobody's yet) as compact chips, one per call.
 * With no call live it shows one wrap-up form, the oldest finished call waiting for one,
 * with how many wait; the draft is kept on the server as it is typed, and a wrap-up not saved
 * closes itself at its due time with what was typed.
 */

/** The call the bar shows: the one being talked on, else the newest ringing, else the oldest. */
function currentOf(calls: CallView[], chosen: string | null): CallView | undefined {
  return (
    calls.find((call) => call.id === chosen) ??
    calls.find((call) => call.status === "answered") ??
    calls.findLast((call) => call.status === "ringing") ??
    calls[0]
  );
}

export function CallBar() {
  const phone = usePhone();
  const [chosen, setChosen] = useState<string | null>(null);
  if (!phone) return null;
  const { liveCalls, wrapUps } = phone;
  // Calls ringing for the team matter to people who take calls (an extension).
  const isAgent = phone.agent !== null;
  const teamRinging = isAgent ? phone.teamRinging : [];
  if (!hasCallBar(phone)) return null;
  const current = currentOf(liveCalls, chosen);
  const others = liveCalls.filter((call) => call !== current);
  const [oldestWrapUp] = wrapUps;
  const items: StripItem[] = [
    ...others.map((call) => ({
      key: call.id,
      chip: (
        <button
          type="button"
          data-testid="call-chip"
          data-call-id={call.id}
          onClick={() => setChosen(call.id)}
          className={cx(chipClass, "bg-slate-100 text-slate-700 ring-slate-200 hover:bg-slate-200")}
        >
          <span className="font-medium">{STATUS_LABELS[call.status]}</span>
          <span className="truncate tabular-nums">{otherNumber(call)}</span>
        </button>
      ),
      listed: (
        <button
          type="button"
          onClick={() => setChosen(call.id)}
          className="w-full rounded px-2 py-1 text-left hover:bg-slate-100"
        >
          {STATUS_LABELS[call.status]} · <span className="tabular-nums">{otherNumber(call)}</span>
        </button>
      ),
    })),
    ...(current && wrapUps.length > 0
      ? [
          {
            key: "wrap-ups",
            chip: (
              <span
                data-testid="wrap-up-count"
                className={cx(chipClass, "bg-amber-50 text-amber-800 ring-amber-200")}
              >
                {wrapUps.length} {wrapUps.length === 1 ? "wrap-up" : "wrap-ups"} waiting
              </span>
            ),
            listed: (
              <span className="block px-2 py-1">
                {wrapUps.length} {wrapUps.length === 1 ? "wrap-up" : "wrap-ups"} waiting
              </span>
            ),
          },
        ]
      : []),
    ...teamRinging.map((call) => ({
      key: call.id,
      chip: (
        <span
          data-testid="team-call-chip"
          data-call-id={call.id}
          title={teamCallTitle(call)}
          className={cx(chipClass, "bg-sky-50 text-sky-800 ring-sky-200")}
        >
          <span className="font-medium">Ringing for team</span>
          <span className="truncate tabular-nums">{otherNumber(call)}</span>
        </span>
      ),
      listed: (
        <span className="block px-2 py-1" title={teamCallTitle(call)}>
          Ringing for team · <span className="tabular-nums">{otherNumber(call)}</span>
          {call.queue ? <span className="text-slate-500"> · {call.queue}</span> : null}
        </span>
      ),
    })),
  ];
  return (
    <div
      data-phone-ui=""
      className="z-30 border-b border-slate-200 bg-white/95 shadow-sm backdrop-blur sm:sticky sm:top-0"
    >
      {current ? (
        <LiveCall key={current.id} call={current} label="Current call" />
      ) : oldestWrapUp ? (
        <WrapUp key={oldestWrapUp.id} call={oldestWrapUp} waiting={wrapUps} />
      ) : null}
      {isAgent || items.length > 0 ? <CallStrip items={items} /> : null}
    </div>
  );
}

function teamCallTitle(call: CallView) {
  const who = call.contact?.name ?? call.fromName;
  const where = call.queue ? `in queue ${call.queue}` : "for the team";
  return `${who ? `${who}, ` : ""}${otherNumber(call)}: ringing ${where}`;
}

const chipClass =
  "inline-flex max-w-[16rem] shrink-0 items-center gap-1.5 truncate rounded-full px-2.5 py-1 text-xs ring-1";

interface StripItem {
  key: string;
  /** The chip in the row. */
  chip: ReactNode;
  /** The same call as a line of the "+N more" list. */
  listed: ReactNode;
}

/**
 * How many chips the row shows at each width (one on a phone, two from `sm`, four from `lg`);
 * the rest fold into "+N more", which lists them all. The row keeps one height whatever the
 * number of calls, and stays (saying none ring) while there are none, so the page below it
 * never moves as calls come and go.
 */
const SHOWN = { base: 1, sm: 2, lg: 4 } as const;

function shownClass(index: number) {
  if (index >= SHOWN.lg) return "hidden";
  if (index >= SHOWN.sm) return "max-lg:hidden";
  if (index >= SHOWN.base) return "max-sm:hidden";
  return undefined;
}

function CallStrip({ items }: { items: StripItem[] }) {
  const total = items.length;
  const more = {
    base: total - SHOWN.base,
    sm: total - SHOWN.sm,
    lg: total - SHOWN.lg,
  };
  return (
    <div
      data-testid="team-ringing"
      className="mx-auto flex h-10 max-w-5xl items-center gap-2 px-4 sm:px-6 lg:px-8"
    >
      {total === 0 ? (
        <p className="truncate text-xs text-slate-500">No calls ringing for the team.</p>
      ) : (
        <ul aria-label="Other calls" className="flex min-w-0 items-center gap-2 overflow-hidden">
          {items.map((item, index) => (
            <li key={item.key} className={cx("flex min-w-0", shownClass(index))}>
              {item.chip}
            </li>
          ))}
        </ul>
      )}
      {more.base > 0 ? (
        <details
          className={cx(
            "relative shrink-0",
            more.lg > 0 ? undefined : more.sm > 0 ? "lg:hidden" : "sm:hidden",
          )}
        >
          <summary className="cursor-pointer list-none rounded-full px-2.5 py-1 text-xs font-medium text-slate-700 ring-1 ring-slate-200 hover:bg-slate-100 [&::-webkit-details-marker]:hidden">
            <MoreCount count={more.base} className="sm:hidden" />
            <MoreCount count={more.sm} className="hidden sm:inline lg:hidden" />
            <MoreCount count={more.lg} className="hidden lg:inline" />
          </summary>
          <ul className="absolute right-0 z-40 mt-2 max-h-80 w-72 overflow-y-auto rounded-lg bg-white p-1 text-xs text-slate-700 shadow-lg ring-1 ring-slate-200 max-sm:-right-2">
            {items.map((item) => (
              <li key={item.key}>{item.listed}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

function MoreCount({ count, className }: { count: number; className: string }) {
  if (count <= 0) return null;
  return (
    <span data-testid="team-call-more" className={className}>
      +{count} more
    </span>
  );
}

function BarShell({
  call,
  label,
  children,
}: {
  call: CallView;
  label: string;
  children: ReactNode;
}) {
  const ended = call.endedAt !== null;
  return (
    <section
      aria-label={label}
      data-testid="call-bar"
      data-call-id={call.id}
      data-state={ended ? "ended" : call.status}
      className="border-b border-slate-100 last:border-b-0"
    >
      <div className="mx-auto max-w-5xl px-4 py-3 sm:px-6 lg:px-8">{children}</div>
    </section>
  );
}

function CallSummary({ call }: { call: CallView }) {
  const live = call.endedAt === null;
  return (
    <div className="flex min-w-0 flex-wrap items-center gap-x-3 gap-y-1 text-sm text-slate-700">
      <span
        aria-hidden="true"
        className={cx(
          "flex size-8 shrink-0 items-center justify-center rounded-full",
          !live
            ? "bg-slate-100 text-slate-500"
            : call.status === "ringing"
              ? "animate-pulse bg-amber-100 text-amber-700"
              : call.status === "held"
                ? "bg-indigo-100 text-indigo-700"
                : "bg-emerald-100 text-emerald-700",
        )}
      >
        <PhoneIcon />
      </span>
      <CallStateBadge call={call} />
      <span className="text-slate-600">{DIRECTION_LABELS[call.direction]}</span>
      <CallParty call={call} />
      <CallTimer call={call} className="text-slate-800" />
      {call.queue ? <span className="text-xs text-slate-500">Queue: {call.queue}</span> : null}
    </div>
  );
}

type Command = "hold" | "resume" | "transfer" | "recording" | "hangup";

function LiveCall({ call, label }: { call: CallView; label: string }) {
  const phone = usePhone();
  const [pending, setPending] = useState<Command | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [transferring, setTransferring] = useState(false);
  const transferId = useId();
  if (!phone) return null;
  const talking = call.status === "answered" || call.status === "held";
  const recording = phone.recording.has(call.id);

  const send = async (command: Command, body?: unknown) => {
    setPending(command);
    setError(null);
    try {
      await callApi(
        `/calls/${call.id}/${command}`,
        { method: "POST", body },
        "The phone system did not take that.",
      );
      if (command === "recording") phone.setRecording(call.id, !recording);
      if (command === "transfer") setTransferring(false);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setPending(null);
    }
  };

  const transfer = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const to = String(new FormData(event.currentTarget).get("to") ?? "").trim();
    if (!to) {
      setError("Enter an extension or a number to transfer to.");
      return;
    }
    void send("transfer", { to });
  };

  return (
    <BarShell call={call} label={label}>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <CallSummary call={call} />
        {phone.canCall ? (
          <div className="flex flex-wrap items-center gap-2">
            {talking ? (
              <>
                <Button
                  type="button"
                  size="sm"
                  variant="secondary"
                  pending={pending === "hold" || pending === "resume"}
                  disabled={pending !== null}
                  onClick={() => send(call.status === "held" ? "resume" : "hold")}
                >
                  {call.status === "held" ? "Resume" : "Hold"}
                </Button>
                <Button
                  type="button"
                  size="sm"
                  variant="secondary"
                  aria-expanded={transferring}
                  aria-controls={transferId}
                  disabled={pending !== null}
                  onClick={() => setTransferring((open) => !open)}
                >
                  Transfer
                </Button>
                <Button
                  type="button"
                  size="sm"
                  variant="secondary"
                  aria-pressed={recording}
                  pending={pending === "recording"}
                  disabled={pending !== null}
                  onClick={() => send("recording", { action: recording ? "stop" : "start" })}
                >
                  {recording ? (
                    <>
                      <span
                        aria-hidden="true"
                        className="size-2 animate-pulse rounded-full bg-red-600"
                      />
                      Stop recording
                    </>
                  ) : (
                    "Record"
                  )}
                </Button>
              </>
            ) : null}
            <CreateContactButton call={call} />
            <Button
              type="button"
              size="sm"
              variant="danger"
              pending={pending === "hangup"}
              disabled={pending !== null}
              onClick={() => send("hangup")}
            >
              Hang up
            </Button>
          </div>
        ) : null}
      </div>
      {transferring && talking ? (
        <form
          id={transferId}
          onSubmit={transfer}
          className="mt-3 flex flex-wrap items-end gap-2"
          aria-label="Transfer the call"
        >
          <TextField
            label="Transfer to"
            name="to"
            placeholder="Extension (1002) or number"
            autoFocus
            autoComplete="off"
            className="w-64"
          />
          <Button size="sm" pending={pending === "transfer"} disabled={pending !== null}>
            Transfer call
          </Button>
          <Button type="button" size="sm" variant="ghost" onClick={() => setTransferring(false)}>
            Cancel
          </Button>
        </form>
      ) : null}
      {error ? (
        <p role="alert" className="mt-2 text-sm font-medium text-red-700">
          {error}
        </p>
      ) : null}
    </BarShell>
  );
}

const DRAFT_SAVE_DELAY_MS = 600;

function WrapUp({ call, waiting }: { call: CallView; waiting: CallView[] }) {
  const phone = usePhone();
  const revalidator = useRevalidator();
  const [notes, setNotes] = useState(call.wrapUp?.draft.notes ?? call.notes ?? "");
  const [disposition, setDisposition] = useState(
    call.wrapUp?.draft.disposition ?? call.disposition ?? "",
  );
  const [pending, setPending] = useState<"complete" | "skip" | "skip-all" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const typed = useRef({ notes, disposition });
  typed.current = { notes, disposition };
  const edited = useRef(false);

  const latest = useRef({ phone, call });
  latest.current = { phone, call };

  // Keep the draft on the server as it is typed (a reload finds it).
  useEffect(() => {
    if (!edited.current) return;
    const timer = setTimeout(() => {
      const { phone: current, call: wrapping } = latest.current;
      void current
        ?.saveWrapUpDraft(wrapping, { notes: notes || null, disposition: disposition || null })
        .catch(() => {});
    }, DRAFT_SAVE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [notes, disposition]);

  const finish = async (action: "complete" | "skip") => {
    if (!phone) return;
    setPending(action);
    setError(null);
    try {
      const { notes: text, disposition: choice } = typed.current;
      await phone.finishWrapUp(call, action, {
        notes: text.trim() || null,
        disposition: choice || null,
      });
      // The notes land on the contact's timeline: show them there.
      if (action === "complete") revalidator.revalidate();
    } catch (failure) {
      setError(errorMessage(failure, "The wrap-up was not saved."));
      setPending(null);
    }
  };
  const finishRef = useRef(finish);
  finishRef.current = finish;

  // Not saved by its due time: it closes itself with what was typed.
  const dueAt = call.wrapUp?.dueAt ?? null;
  useEffect(() => {
    if (!dueAt) return;
    const timer = setTimeout(
      () => void finishRef.current("complete"),
      Math.max(0, Date.parse(dueAt) - Date.now()),
    );
    return () => clearTimeout(timer);
  }, [dueAt]);

  if (!phone) return null;
  const result = callResult(call);
  const more = waiting.length - 1;

  return (
    <BarShell call={call} label="Current call">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <CallSummary call={call} />
        <span className="text-sm text-slate-600" data-testid="wrap-up-count">
          Wrap-up{call.outcome && call.outcome !== "answered" ? ` · ${result.label}` : ""}
          {more > 0 ? ` · ${more} more waiting` : ""}
        </span>
      </div>
      <form
        onSubmit={(event: FormEvent<HTMLFormElement>) => {
          event.preventDefault();
          void finish("complete");
        }}
        className="mt-3 grid gap-3 sm:grid-cols-4"
        aria-label="Wrap-up"
        data-testid="wrap-up-form"
      >
        <SelectField
          label="Disposition"
          name="disposition"
          value={disposition}
          onChange={(event) => {
            edited.current = true;
            setDisposition(event.currentTarget.value);
          }}
          options={[{ value: "", label: "Choose…" }, ...DISPOSITIONS]}
        />
        <TextAreaField
          label="Notes"
          name="notes"
          rows={2}
          value={notes}
          onChange={(event) => {
            edited.current = true;
            setNotes(event.currentTarget.value);
          }}
          placeholder="What was the call about?"
          className="sm:col-span-3"
        />
        <div className="flex flex-wrap items-center gap-2 sm:col-span-4">
          <Button size="sm" pending={pending === "complete"} disabled={pending !== null}>
            Save wrap-up
          </Button>
          <Button
            type="button"
            size="sm"
            variant="ghost"
            disabled={pending !== null}
            onClick={() => void finish("skip")}
          >
            Skip
          </Button>
          {more > 0 ? (
            <Button
              type="button"
              size="sm"
              variant="ghost"
              disabled={pending !== null}
              onClick={async () => {
                setPending("skip-all");
                try {
                  await phone.skipAllWrapUps();
                } catch (failure) {
                  setError(errorMessage(failure));
                }
                setPending(null);
              }}
            >
              Skip all {waiting.length}
            </Button>
          ) : null}
          <CreateContactButton call={call} />
          {error ? (
            <p role="alert" className="text-sm font-medium text-red-700">
              {error}
            </p>
          ) : null}
        </div>
      </form>
      {more > 0 ? (
        <details className="mt-2 text-xs text-slate-600">
          <summary className="cursor-pointer">Waiting for wrap-up, oldest first</summary>
          <ol className="mt-1 space-y-0.5" data-testid="wrap-up-queue">
            {waiting.map((item) => (
              <li key={item.id} className="tabular-nums">
                {otherNumber(item)}
                {item.endedAt ? ` · ended ${new Date(item.endedAt).toLocaleTimeString()}` : ""}
              </li>
            ))}
          </ol>
        </details>
      ) : null}
    </BarShell>
  );
}
