import { useFetcher } from "@remix-run/react";
import { useEffect, useId, useRef, useState } from "react";
import type { TicketStatus } from "../../../shared/desk";
import type { TicketView } from "../../../worker/tickets/schemas";
import { ArticleLinkPicker, insertAtCursor } from "../../components/article-link-picker";
import { Button, cx, focusRing, Kbd } from "../../components/ui";
import { isFailure } from "../../lib/forms";
import { SendIcon } from "../app.inbox/inbox-icons";
import { defaultSubmitStatus, STATUS_LABELS, SUBMIT_STATUSES } from "../app.tickets/ticket-format";
import type { action } from "./ticket.server";

/*
 * The composer under a ticket's comments: a public reply (emailed to the requester) or an
 * internal note (the team only), submitted with the status the ticket should have after it
 * ("Submit as Pending" to wait on the requester, "Submit as Solved" when done). Ctrl+Enter
 * (⌘+Enter) submits. A plain form: it works without JavaScript too.
 */

type Mode = "reply" | "note";

export function TicketComposer({ ticket }: { ticket: TicketView }) {
  const id = useId();
  const fetcher = useFetcher<typeof action>({ key: `ticket-composer-${ticket.id}` });
  const formRef = useRef<HTMLFormElement>(null);
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const [mode, setMode] = useState<Mode>("reply");
  const [chosen, setChosen] = useState<TicketStatus | null>(null);
  const status = chosen ?? defaultSubmitStatus(ticket.status);
  const sending = fetcher.state !== "idle";
  const note = mode === "note";
  const email = ticket.requester?.email ?? null;

  // Sent: the form empties (the comment arrives with the page's data); a failure keeps it.
  const handled = useRef<unknown>(null);
  useEffect(() => {
    const data = fetcher.data;
    if (fetcher.state !== "idle" || !data || handled.current === data) return;
    handled.current = data;
    if (data.ok) {
      formRef.current?.reset();
      setChosen(null);
    }
  });
  const failure = isFailure(fetcher.data) ? fetcher.data : null;

  return (
    <section
      aria-label="Reply"
      className={cx(
        "rounded-lg ring-1 ring-inset",
        note ? "bg-amber-50/70 ring-amber-300" : "bg-white ring-slate-200",
      )}
      data-testid="ticket-composer"
    >
      <fetcher.Form ref={formRef} method="post" className="p-3 sm:p-4">
        <div className="flex flex-wrap items-center justify-between gap-2 pb-2">
          <fieldset className="flex gap-1">
            <legend className="sr-only">Write</legend>
            {(["reply", "note"] as const).map((value) => (
              <label
                key={value}
                className={cx(
                  "cursor-pointer rounded-md px-2.5 py-1 text-xs font-medium has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-indigo-600",
                  mode === value
                    ? value === "note"
                      ? "bg-amber-200/80 text-amber-900"
                      : "bg-indigo-100 text-indigo-800"
                    : "text-slate-600 hover:bg-slate-100 hover:text-slate-900",
                )}
              >
                <input
                  type="radio"
                  name="intent"
                  value={value}
                  checked={mode === value}
                  onChange={() => setMode(value)}
                  className="sr-only"
                />
                {value === "reply" ? "Public reply" : "Internal note"}
              </label>
            ))}
          </fieldset>
          <p className="min-w-0 text-xs break-words text-slate-600" data-testid="composer-hint">
            {note
              ? "Only your team sees internal notes."
              : email
                ? `Emailed to ${email}`
                : "The requester has no email address: the reply stays on the ticket."}
          </p>
        </div>
        {failure ? (
          <p role="alert" className="mb-2 text-xs font-medium text-red-700">
            {Object.values(failure.fieldErrors).flat()[0] ?? failure.message}
          </p>
        ) : null}
        <label htmlFor={`${id}-body`} className="sr-only">
          {note ? "Note for your team" : "Reply to the requester"}
        </label>
        <textarea
          ref={textareaRef}
          id={`${id}-body`}
          name="body"
          rows={5}
          required
          maxLength={50_000}
          placeholder={note ? "Write a note for your team…" : "Write your reply to the requester…"}
          onKeyDown={(event) => {
            if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
              event.preventDefault();
              formRef.current?.requestSubmit();
            }
          }}
          className={cx(
            "block w-full resize-y rounded-md border-0 px-3 py-2 text-sm text-slate-900 ring-1 ring-inset placeholder:text-slate-500 focus:ring-2 focus:outline-none focus:ring-inset",
            note
              ? "bg-white ring-amber-300 focus:ring-amber-500"
              : "bg-white ring-slate-300 focus:ring-indigo-600",
          )}
        />
        <div className="mt-3 flex flex-wrap items-center justify-end gap-2">
          <div className="mr-auto flex items-center gap-2">
            <ArticleLinkPicker
              onPick={(text) => {
                const textarea = textareaRef.current;
                if (!textarea) return;
                const next = insertAtCursor(textarea, text);
                textarea.value = next.value;
                textarea.focus();
                textarea.setSelectionRange(next.caret, next.caret);
              }}
            />
            <p className="hidden text-xs text-slate-500 sm:block">
              <Kbd>Ctrl Enter</Kbd> submits
            </p>
          </div>
          <label htmlFor={`${id}-status`} className="text-xs font-medium text-slate-700">
            Submit as
          </label>
          <select
            id={`${id}-status`}
            name="status"
            value={status}
            onChange={(event) => setChosen(event.currentTarget.value as TicketStatus)}
            className={cx(
              "h-8 rounded-md border-0 bg-white pr-7 pl-2 text-xs text-slate-900 shadow-xs ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-indigo-600",
              focusRing,
            )}
          >
            {SUBMIT_STATUSES.map((value) => (
              <option key={value} value={value}>
                {STATUS_LABELS[value]}
              </option>
            ))}
          </select>
          <Button size="sm" pending={sending} disabled={sending}>
            <SendIcon className="size-3.5" />
            Submit as {STATUS_LABELS[status]}
          </Button>
        </div>
      </fetcher.Form>
    </section>
  );
}
