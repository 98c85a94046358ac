import type { SerializeFrom } from "@remix-run/cloudflare";
import { type FetcherWithComponents, useSubmit } from "@remix-run/react";
import { type ReactNode, useEffect, useId, useRef, useState } from "react";
import { CONVERSATION_PRIORITIES } from "../../../shared/inbox";
import type { ConversationView } from "../../../worker/conversations/conversation-view";
import { Button, buttonClass, cx, focusRing } from "../../components/ui";
import { isFailure } from "../../lib/forms";
import type { MemberSummary } from "../../lib/members.server";
import type { action } from "./inbox.server";
import { CHANNEL_LABELS, PRIORITY_LABELS, SNOOZE_PRESETS, STATUS_LABELS } from "./inbox-format";

/*
 * The thread header's actions: assign (or "Assign to me"), priority, labels, resolve or
 * reopen, snooze (1 hour, tomorrow 9:00, next week), mark pending, and merge into another
 * conversation of the same contact (after a confirmation). Each change names the version it
 * was based on; the page shows a change as soon as it is sent, and its answer (or an inline
 * error) when it comes back.
 */

export type ActionsFetcher = FetcherWithComponents<SerializeFrom<typeof action>>;

/** The fields of an update: strings, or a list for `labels`. */
export type UpdateFields = Partial<
  Record<"status" | "assigneeId" | "priority" | "snoozedUntil", string> & { labels: string[] }
>;

/** Sends an update of `conversation` (at its version) through `fetcher`. */
export function submitUpdate(
  fetcher: { submit: (form: FormData, options: { method: "post" }) => void },
  conversation: ConversationView,
  fields: UpdateFields,
) {
  const form = new FormData();
  form.set("intent", "update");
  form.set("conversationId", conversation.id);
  form.set("version", String(conversation.version));
  for (const [name, value] of Object.entries(fields)) {
    if (Array.isArray(value)) {
      form.set("labels", "");
      for (const label of value) form.append("label", label);
    } else if (value !== undefined) form.set(name, value);
  }
  fetcher.submit(form, { method: "post" });
}

/** The conversation as the pending update will leave it (shown while it is on its way). */
export function withPendingUpdate(
  conversation: ConversationView,
  formData: FormData | undefined,
): ConversationView {
  if (!formData) return conversation;
  if (formData.get("intent") !== "update" || formData.get("conversationId") !== conversation.id) {
    return conversation;
  }
  const next = { ...conversation };
  const status = formData.get("status");
  if (typeof status === "string" && status) next.status = status as ConversationView["status"];
  const assignee = formData.get("assigneeId");
  if (typeof assignee === "string") next.assigneeId = assignee || null;
  const priority = formData.get("priority");
  if (typeof priority === "string" && priority) {
    next.priority = priority as ConversationView["priority"];
  }
  if (formData.has("labels")) {
    next.labels = formData.getAll("label").filter((label) => typeof label === "string");
  }
  return next;
}

/** A small <details> menu that closes on Escape, a click outside, or after a choice. */
function Menu({
  label,
  children,
  align = "left",
}: {
  label: string;
  children: (close: () => void) => ReactNode;
  align?: "left" | "right";
}) {
  const ref = useRef<HTMLDetailsElement>(null);
  const close = () => {
    if (ref.current) ref.current.open = false;
  };
  useEffect(() => {
    const details = ref.current;
    if (!details) return;
    const onPointerDown = (event: PointerEvent) => {
      if (details.open && !details.contains(event.target as Node)) details.open = false;
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "Escape" || !details.open) return;
      event.stopPropagation();
      details.open = false;
      details.querySelector("summary")?.focus();
    };
    document.addEventListener("pointerdown", onPointerDown);
    details.addEventListener("keydown", onKeyDown);
    return () => {
      document.removeEventListener("pointerdown", onPointerDown);
      details.removeEventListener("keydown", onKeyDown);
    };
  }, []);
  return (
    <details ref={ref} className="relative">
      <summary
        className={cx(
          buttonClass("secondary", "sm"),
          "cursor-pointer list-none [&::-webkit-details-marker]:hidden",
        )}
      >
        {label} <span aria-hidden="true">▾</span>
      </summary>
      <div
        className={cx(
          "absolute z-20 mt-1 w-56 rounded-md bg-white p-1 shadow-lg ring-1 ring-slate-200",
          align === "right" ? "right-0" : "left-0",
        )}
      >
        {children(close)}
      </div>
    </details>
  );
}

/** A compact select that keeps its own width (the form controls' fill their row). */
const smallSelect = cx(
  "h-8 max-w-40 min-w-0 truncate rounded-md border-0 bg-white pr-7 pl-2.5 text-xs text-slate-900 shadow-xs ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-indigo-600 focus:outline-none disabled:bg-slate-50 disabled:text-slate-500",
);

const menuItem = cx(
  "block w-full rounded px-2.5 py-1.5 text-left text-sm text-slate-800 hover:bg-slate-100",
  focusRing,
);

export function StatusButton({
  conversation,
  fetcher,
  busy,
}: {
  conversation: ConversationView;
  fetcher: ActionsFetcher;
  busy: boolean;
}) {
  const resolved = conversation.status === "resolved";
  return (
    <Button
      type="button"
      size="sm"
      variant={resolved ? "secondary" : "primary"}
      disabled={busy || Boolean(conversation.mergedIntoId)}
      onClick={() =>
        submitUpdate(fetcher, conversation, { status: resolved ? "open" : "resolved" })
      }
      title={resolved ? "Reopen" : "Resolve (E)"}
    >
      {resolved ? "Reopen" : "Resolve"}
    </Button>
  );
}

export function ConversationActions({
  conversation,
  fetcher,
  members,
  me,
  knownLabels,
  others,
  busy,
}: {
  conversation: ConversationView;
  fetcher: ActionsFetcher;
  members: MemberSummary[];
  me: string;
  /** Labels in use on the conversations the page knows, to pick from. */
  knownLabels: string[];
  /** The contact's other conversations (merge targets). */
  others: ConversationView[];
  busy: boolean;
}) {
  const id = useId();
  const update = (fields: UpdateFields) => submitUpdate(fetcher, conversation, fields);
  const [merging, setMerging] = useState(false);
  // A ticket opens as a navigation: the page follows to it.
  const submit = useSubmit();
  const assignable = members.filter(
    (member) => member.active || member.userId === conversation.assigneeId,
  );
  const targets = others.filter((other) => !other.mergedIntoId);
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-1.5">
        <label htmlFor={`${id}-assignee`} className="sr-only">
          Assignee
        </label>
        <select
          id={`${id}-assignee`}
          value={conversation.assigneeId ?? ""}
          disabled={busy}
          onChange={(event) => update({ assigneeId: event.target.value })}
          className={smallSelect}
        >
          <option value="">Unassigned</option>
          {assignable.map((member) => (
            <option key={member.userId} value={member.userId}>
              {member.userId === me ? `${member.name} (you)` : member.name}
            </option>
          ))}
        </select>
        {conversation.assigneeId !== me ? (
          <Button
            type="button"
            variant="secondary"
            size="sm"
            disabled={busy}
            onClick={() => update({ assigneeId: me })}
          >
            Assign to me
          </Button>
        ) : null}
        <label htmlFor={`${id}-priority`} className="sr-only">
          Priority
        </label>
        <select
          id={`${id}-priority`}
          value={conversation.priority}
          disabled={busy}
          onChange={(event) => update({ priority: event.target.value })}
          className={smallSelect}
        >
          {CONVERSATION_PRIORITIES.map((priority) => (
            <option key={priority} value={priority}>
              {priority === "none" ? "No priority" : `${PRIORITY_LABELS[priority]} priority`}
            </option>
          ))}
        </select>
        <Menu label="Snooze">
          {(close) =>
            SNOOZE_PRESETS.map((preset) => (
              <button
                key={preset.id}
                type="button"
                disabled={busy}
                className={menuItem}
                onClick={() => {
                  close();
                  update({ status: "snoozed", snoozedUntil: preset.at(new Date()).toISOString() });
                }}
              >
                {preset.label}
              </button>
            ))
          }
        </Menu>
        <Menu label="More" align="right">
          {(close) => (
            <>
              {conversation.status !== "pending" ? (
                <button
                  type="button"
                  disabled={busy}
                  className={menuItem}
                  onClick={() => {
                    close();
                    update({ status: "pending" });
                  }}
                >
                  Mark pending
                </button>
              ) : null}
              {conversation.status !== "open" ? (
                <button
                  type="button"
                  disabled={busy}
                  className={menuItem}
                  onClick={() => {
                    close();
                    update({ status: "open" });
                  }}
                >
                  Mark open
                </button>
              ) : null}
              <button
                type="button"
                className={menuItem}
                onClick={() => {
                  close();
                  setMerging(true);
                }}
              >
                Merge into another conversation…
              </button>
              <button
                type="button"
                className={menuItem}
                onClick={() => {
                  close();
                  submit({ intent: "ticket", conversationId: conversation.id }, { method: "post" });
                }}
              >
                Open a ticket
              </button>
            </>
          )}
        </Menu>
        <Labels conversation={conversation} known={knownLabels} busy={busy} update={update} />
      </div>
      {merging ? (
        <MergePanel
          conversation={conversation}
          targets={targets}
          fetcher={fetcher}
          onClose={() => setMerging(false)}
        />
      ) : null}
    </div>
  );
}

function Labels({
  conversation,
  known,
  busy,
  update,
}: {
  conversation: ConversationView;
  known: string[];
  busy: boolean;
  update: (fields: UpdateFields) => void;
}) {
  const id = useId();
  const [adding, setAdding] = useState("");
  const add = () => {
    const label = adding.trim().slice(0, 50);
    if (!label || conversation.labels.includes(label)) {
      setAdding("");
      return;
    }
    update({ labels: [...conversation.labels, label] });
    setAdding("");
  };
  return (
    <div className="flex flex-wrap items-center gap-1.5" data-testid="conversation-labels">
      {conversation.labels.map((label) => (
        <span
          key={label}
          className="inline-flex items-center gap-1 rounded-full bg-slate-100 py-0.5 pr-1 pl-2 text-xs font-medium text-slate-700 ring-1 ring-slate-200 ring-inset"
        >
          {label}
          <button
            type="button"
            disabled={busy}
            onClick={() =>
              update({ labels: conversation.labels.filter((other) => other !== label) })
            }
            className={cx(
              "rounded-full px-1 text-slate-500 hover:bg-slate-200 hover:text-slate-900",
              focusRing,
            )}
          >
            <span aria-hidden="true">×</span>
            <span className="sr-only">Remove label {label}</span>
          </button>
        </span>
      ))}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          add();
        }}
        className="inline-flex"
      >
        <label htmlFor={`${id}-label`} className="sr-only">
          Add a label
        </label>
        <input
          id={`${id}-label`}
          list={`${id}-known`}
          value={adding}
          maxLength={50}
          placeholder="+ Label"
          disabled={busy || conversation.labels.length >= 20}
          onChange={(event) => setAdding(event.target.value)}
          className="h-6 w-24 rounded-full border-0 bg-white px-2 text-xs text-slate-900 ring-1 ring-slate-300 ring-inset placeholder:text-slate-500 focus:w-36 focus:ring-2 focus:ring-indigo-600 focus:outline-none"
        />
        <datalist id={`${id}-known`}>
          {known
            .filter((label) => !conversation.labels.includes(label))
            .map((label) => (
              <option key={label} value={label} />
            ))}
        </datalist>
      </form>
    </div>
  );
}

function MergePanel({
  conversation,
  targets,
  fetcher,
  onClose,
}: {
  conversation: ConversationView;
  targets: ConversationView[];
  fetcher: ActionsFetcher;
  onClose: () => void;
}) {
  const id = useId();
  const [intoId, setIntoId] = useState("");
  const [confirming, setConfirming] = useState(false);
  const merging = fetcher.state !== "idle" && fetcher.formData?.get("intent") === "merge";
  const failure = isFailure(fetcher.data, "merge") ? fetcher.data : null;
  const target = targets.find((other) => other.id === intoId);
  return (
    <section
      aria-labelledby={`${id}-title`}
      className="rounded-lg bg-slate-50 px-3 py-3 ring-1 ring-slate-200 ring-inset"
      data-testid="merge-panel"
    >
      <h3 id={`${id}-title`} className="text-sm font-semibold text-slate-900">
        Merge into another conversation
      </h3>
      {targets.length === 0 ? (
        <p className="mt-1 text-sm text-slate-600">
          {conversation.contact
            ? "This contact has no other conversation to merge into."
            : "Only conversations of a known contact can be merged."}
        </p>
      ) : confirming && target ? (
        <div className="mt-2 space-y-2">
          <p className="text-sm text-slate-800">
            Move every message of this conversation into the {CHANNEL_LABELS[target.channel.type]}{" "}
            conversation from {new Date(target.lastMessageAt).toLocaleDateString()} and resolve this
            one? This cannot be undone.
          </p>
          <div className="flex flex-wrap gap-2">
            <Button
              type="button"
              variant="danger"
              size="sm"
              pending={merging}
              disabled={merging}
              onClick={() =>
                fetcher.submit(
                  { intent: "merge", conversationId: conversation.id, intoId: target.id },
                  { method: "post" },
                )
              }
            >
              Merge conversations
            </Button>
            <Button type="button" variant="ghost" size="sm" onClick={() => setConfirming(false)}>
              Back
            </Button>
          </div>
        </div>
      ) : (
        <fieldset className="mt-2">
          <legend className="text-xs text-slate-600">
            Its messages move into the one you pick; this one is resolved.
          </legend>
          <ul className="mt-2 space-y-1.5">
            {targets.map((other) => (
              <li key={other.id}>
                <label className="flex cursor-pointer gap-2 rounded-md bg-white px-2 py-1.5 text-sm ring-1 ring-slate-200 ring-inset">
                  <input
                    type="radio"
                    name={`${id}-into`}
                    value={other.id}
                    checked={intoId === other.id}
                    onChange={() => setIntoId(other.id)}
                    className="mt-1 accent-indigo-600"
                  />
                  <span className="min-w-0">
                    <span className="block text-xs font-medium text-slate-700">
                      {CHANNEL_LABELS[other.channel.type]} · {STATUS_LABELS[other.status]} ·{" "}
                      {new Date(other.lastMessageAt).toLocaleDateString()}
                    </span>
                    <span className="block truncate text-slate-900">
                      {other.lastMessagePreview ?? "No messages"}
                    </span>
                  </span>
                </label>
              </li>
            ))}
          </ul>
          <div className="mt-2 flex flex-wrap gap-2">
            <Button type="button" size="sm" disabled={!target} onClick={() => setConfirming(true)}>
              Merge…
            </Button>
            <Button type="button" variant="ghost" size="sm" onClick={onClose}>
              Cancel
            </Button>
          </div>
        </fieldset>
      )}
      {targets.length === 0 ? (
        <Button type="button" variant="ghost" size="sm" onClick={onClose} className="mt-2">
          Close
        </Button>
      ) : null}
      {failure ? (
        <p role="alert" className="mt-2 text-xs font-medium text-red-700">
          {failure.message}
        </p>
      ) : null}
    </section>
  );
}
