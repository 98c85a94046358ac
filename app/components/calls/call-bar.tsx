import { useRevalidator } from "@remix-run/react";
import { type FormEvent, type ReactNode, useId, useState } from "react";
import { callApi, errorMessage } from "../../lib/api-client";
import {
  type CallView,
  callResult,
  DIRECTION_LABELS,
  DISPOSITIONS,
  otherNumber,
} from "../../lib/call-format";
import { PhoneIcon } from "../icons";
import { Button, cx, SelectField, TextAreaField, TextField } from "../ui";
import { CallParty, CallStateBadge, CallTimer, CreateContactButton } from "./call-parts";
import { usePhone } from "./phone-context";

/*
 * The call bar at the top of every page while the member is on a call: who, the state
 * (Ringing → Answered ⇄ On hold), the running time and the controls. When the call ends it
 * becomes the wrap-up (notes and a disposition), which is saved or skipped.
 */

export function CallBar() {
  const phone = usePhone();
  if (!phone) return null;
  const { liveCalls, wrapUps } = phone;
  if (liveCalls.length === 0 && wrapUps.length === 0) return null;
  // The region named "Current call" is the oldest live call, or the wrap-up when none is live.
  const [first, ...otherLive] = liveCalls;
  return (
    <div className="sticky top-0 z-30 border-b border-slate-200 bg-white/95 shadow-sm backdrop-blur">
      {first ? <LiveCall call={first} label="Current call" /> : null}
      {otherLive.map((call) => (
        <LiveCall key={call.id} call={call} label={`Other call with ${otherNumber(call)}`} />
      ))}
      {wrapUps.map((call, index) => (
        <WrapUp
          key={call.id}
          call={call}
          label={!first && index === 0 ? "Current call" : "Call wrap-up"}
        />
      ))}
    </div>
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

function WrapUp({ call, label }: { call: CallView; label: string }) {
  const phone = usePhone();
  const revalidator = useRevalidator();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!phone) return null;
  const result = callResult(call);

  const save = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const notes = String(form.get("notes") ?? "").trim();
    const disposition = String(form.get("disposition") ?? "");
    setPending(true);
    setError(null);
    try {
      await phone.updateCall(call, { notes: notes || null, disposition: disposition || null });
      phone.dismissWrapUp(call.id);
      // The notes land on the contact's timeline: show them there (a newer revalidation
      // replaces one already under way, which may have read the timeline before the save).
      revalidator.revalidate();
    } catch (failure) {
      setError(errorMessage(failure, "The wrap-up was not saved."));
      setPending(false);
    }
  };

  return (
    <BarShell call={call} label={label}>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <CallSummary call={call} />
        {call.outcome && call.outcome !== "answered" ? (
          <span className="text-sm text-slate-600">{result.label}</span>
        ) : null}
      </div>
      {phone.canCall ? (
        <form onSubmit={save} className="mt-3 grid gap-3 sm:grid-cols-4" aria-label="Wrap-up">
          <SelectField
            label="Disposition"
            name="disposition"
            defaultValue={call.disposition ?? ""}
            options={[{ value: "", label: "Choose…" }, ...DISPOSITIONS]}
          />
          <TextAreaField
            label="Notes"
            name="notes"
            rows={2}
            defaultValue={call.notes ?? ""}
            placeholder="What was the call about?"
            className="sm:col-span-3"
          />
          <div className="flex flex-wrap items-center gap-2 sm:col-span-4">
            <Button size="sm" pending={pending} disabled={pending}>
              Save wrap-up
            </Button>
            <Button
              type="button"
              size="sm"
              variant="ghost"
              onClick={() => phone.dismissWrapUp(call.id)}
            >
              Skip
            </Button>
            <CreateContactButton call={call} />
            {error ? (
              <p role="alert" className="text-sm font-medium text-red-700">
                {error}
              </p>
            ) : null}
          </div>
        </form>
      ) : (
        <div className="mt-2">
          <Button
            type="button"
            size="sm"
            variant="ghost"
            onClick={() => phone.dismissWrapUp(call.id)}
          >
            Dismiss
          </Button>
        </div>
      )}
    </BarShell>
  );
}
