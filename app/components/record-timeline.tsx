import { Link, useFetcher, useLocation, useSearchParams } from "@remix-run/react";
import { type ReactNode, useEffect, useId, useRef, useState } from "react";
import type { TicketPriority, TicketStatus } from "../../shared/desk";
import { failureFor } from "../lib/forms";
import { useActionResult } from "../lib/use-action-result";
import { StatusPill } from "../routes/app.tickets/ticket-parts";
import { PhoneIcon } from "./icons";
import { LocalTime } from "./local-time";
import {
  Alert,
  Badge,
  Button,
  buttonClass,
  cx,
  focusRing,
  SelectField,
  TextAreaField,
  TextField,
  useHydrated,
} from "./ui";

/*
 * A record's history, newest first (notes, tasks, calls, meetings, a deal's stage moves, the
 * support tickets about it, the record's creation), with "Load more" for older entries and the forms that add to it.
 */

interface TimelineActivity {
  id: string;
  type: "note" | "task" | "call" | "message" | "meeting";
  subject: string;
  body: string | null;
  occurredAt: string;
  dueAt: string | null;
  doneAt: string | null;
  assigneeId: string | null;
  createdBy: string | null;
  version: number;
  /** A call activity's `callId`, `direction`, `outcome`, `durationSeconds`. */
  metadata?: Record<string, unknown>;
}

export interface TimelineEntry {
  kind: "activity" | "stage_change" | "created" | "ticket";
  at: string;
  id: string;
  activity?: TimelineActivity | undefined;
  stageChange?:
    | {
        fromStageName: string | null;
        toStageName: string | null;
        changedBy: string | null;
      }
    | undefined;
  ticket?:
    | {
        id: string;
        number: number;
        subject: string;
        status: TicketStatus;
        priority: TicketPriority;
      }
    | undefined;
}

export interface TimelinePage {
  rows: TimelineEntry[];
  nextCursor: string | null;
}

interface Member {
  userId: string;
  name: string;
  active: boolean;
}

const TYPE_LABELS: Record<TimelineActivity["type"], string> = {
  note: "Note",
  task: "Task",
  call: "Call",
  message: "Message",
  meeting: "Meeting",
};

const TYPE_TONES: Record<TimelineEntry["kind"] | TimelineActivity["type"], string> = {
  note: "bg-amber-100 text-amber-800",
  task: "bg-sky-100 text-sky-800",
  call: "bg-emerald-100 text-emerald-800",
  message: "bg-violet-100 text-violet-800",
  meeting: "bg-indigo-100 text-indigo-800",
  activity: "bg-slate-100 text-slate-700",
  stage_change: "bg-fuchsia-100 text-fuchsia-800",
  created: "bg-slate-100 text-slate-700",
  ticket: "bg-rose-100 text-rose-800",
};

function Marker({ tone, letter }: { tone: string; letter: ReactNode }) {
  return (
    <span
      aria-hidden="true"
      className={cx(
        "flex size-7 shrink-0 items-center justify-center rounded-full text-xs font-semibold ring-4 ring-white",
        tone,
      )}
    >
      {letter}
    </span>
  );
}

function TaskToggle({ activity }: { activity: TimelineActivity }) {
  const fetcher = useFetcher();
  const done = activity.doneAt !== null;
  return (
    <fetcher.Form method="post">
      <input type="hidden" name="intent" value={done ? "reopen-task" : "complete-task"} />
      <input type="hidden" name="activityId" value={activity.id} />
      <input type="hidden" name="activityVersion" value={activity.version} />
      <Button variant="secondary" size="sm" pending={fetcher.state !== "idle"}>
        {done ? "Reopen" : "Mark done"}
        <span className="sr-only"> {activity.subject}</span>
      </Button>
    </fetcher.Form>
  );
}

/**
 * What a note says: its body, or (a note written through the API or the demo data with only a
 * subject) its subject. Other activities show their subject as the title and the body below.
 */
function noteText(activity: TimelineActivity) {
  return activity.body?.trim() ? activity.body : activity.subject;
}

const DELETE_FETCHER = "timeline-delete-activity";

function ActivityEntry({
  activity,
  at,
  nameOf,
  canWrite,
  canChange,
}: {
  activity: TimelineActivity;
  at: string;
  nameOf(userId: string | null): string | null;
  canWrite: boolean;
  /** The reader may edit and delete it (its author, or by the ownership rule). */
  canChange: boolean;
}) {
  const [editing, setEditing] = useState(false);
  const author = nameOf(activity.createdBy);
  const assignee = nameOf(activity.assigneeId);
  const isTask = activity.type === "task";
  const isNote = activity.type === "note";
  const done = activity.doneAt !== null;
  const callId = activity.type === "call" ? activity.metadata?.callId : undefined;
  const editable = canChange && (isNote || isTask);
  const body = isNote ? noteText(activity) : activity.body;
  if (editing) {
    return <ActivityEditor activity={activity} onDone={() => setEditing(false)} />;
  }
  return (
    <div className="min-w-0 flex-1">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <p className="text-sm text-slate-900">
          <span className="font-medium">{TYPE_LABELS[activity.type]}</span>
          {activity.type === "note" ? null : (
            <>
              {" · "}
              <span className={isTask && done ? "text-slate-500 line-through" : undefined}>
                {activity.subject}
              </span>
            </>
          )}
          {isTask && done ? (
            <>
              {" "}
              <Badge tone="success">Done</Badge>
            </>
          ) : null}
        </p>
        <div className="flex items-center gap-1">
          {isTask && canWrite ? <TaskToggle activity={activity} /> : null}
          {editable ? <ActivityMenu activity={activity} onEdit={() => setEditing(true)} /> : null}
        </div>
      </div>
      {body ? (
        <p className="mt-1 text-sm break-words whitespace-pre-wrap text-slate-700">{body}</p>
      ) : null}
      <p className="mt-1 text-xs text-slate-500">
        <LocalTime iso={at} />
        {author ? ` · ${author}` : null}
        {isTask && activity.dueAt ? (
          <>
            {" · due "}
            <LocalTime iso={activity.dueAt} />
          </>
        ) : null}
        {isTask && assignee ? ` · assigned to ${assignee}` : null}
        {activity.type === "call" && assignee ? ` · ${assignee}` : null}
        {typeof callId === "string" ? (
          <>
            {" · "}
            <Link
              to={`/app/calls/${callId}`}
              className={cx("font-medium text-indigo-700 hover:text-indigo-600", focusRing)}
            >
              Call details
            </Link>
          </>
        ) : null}
      </p>
    </div>
  );
}

function EntryRow({
  entry,
  noun,
  nameOf,
  canWrite,
  canChange,
}: {
  entry: TimelineEntry;
  noun: string;
  nameOf(userId: string | null): string | null;
  canWrite: boolean;
  canChange: boolean;
}) {
  let marker: ReactNode;
  let content: ReactNode;
  if (entry.kind === "activity" && entry.activity) {
    const type = entry.activity.type;
    marker = (
      <Marker
        tone={TYPE_TONES[type]}
        letter={type === "call" ? <PhoneIcon className="size-3.5" /> : TYPE_LABELS[type].charAt(0)}
      />
    );
    content = (
      <ActivityEntry
        activity={entry.activity}
        at={entry.at}
        nameOf={nameOf}
        canWrite={canWrite}
        canChange={canChange}
      />
    );
  } else if (entry.kind === "stage_change" && entry.stageChange) {
    const change = entry.stageChange;
    const who = nameOf(change.changedBy);
    marker = <Marker tone={TYPE_TONES.stage_change} letter="→" />;
    content = (
      <div className="min-w-0 flex-1">
        <p className="text-sm text-slate-900">
          {change.fromStageName ? (
            <>
              Moved from <span className="font-medium">{change.fromStageName}</span> to{" "}
              <span className="font-medium">{change.toStageName ?? "another stage"}</span>
            </>
          ) : (
            <>
              Opened in <span className="font-medium">{change.toStageName ?? "a stage"}</span>
            </>
          )}
        </p>
        <p className="mt-1 text-xs text-slate-500">
          <LocalTime iso={entry.at} />
          {who ? ` · ${who}` : null}
        </p>
      </div>
    );
  } else if (entry.kind === "ticket" && entry.ticket) {
    const ticket = entry.ticket;
    marker = <Marker tone={TYPE_TONES.ticket} letter="#" />;
    content = (
      <div className="min-w-0 flex-1">
        <p className="text-sm text-slate-900">
          <Link
            to={`/app/tickets/${ticket.id}`}
            className={cx("font-medium text-indigo-700 hover:text-indigo-600", focusRing)}
          >
            Ticket #{ticket.number}
          </Link>{" "}
          opened: <span className="break-words">{ticket.subject}</span>{" "}
          <StatusPill status={ticket.status} className="align-middle" />
        </p>
        <p className="mt-1 text-xs text-slate-500">
          <LocalTime iso={entry.at} />
        </p>
      </div>
    );
  } else {
    marker = <Marker tone={TYPE_TONES.created} letter="+" />;
    content = (
      <div className="min-w-0 flex-1">
        <p className="text-sm text-slate-900">
          {noun.charAt(0).toUpperCase() + noun.slice(1)} created
        </p>
        <p className="mt-1 text-xs text-slate-500">
          <LocalTime iso={entry.at} />
        </p>
      </div>
    );
  }
  return (
    <li className="group relative flex gap-3 pb-5 last:pb-0">
      <span
        aria-hidden="true"
        className="absolute top-7 bottom-0 left-3.5 w-px bg-slate-200 group-last:hidden"
      />
      {marker}
      {content}
    </li>
  );
}

export type TimelineType = TimelineActivity["type"];

/** The timeline's filter: every kind of entry, or one type of activity (`?activity=`). */
const TIMELINE_FILTERS: { type: TimelineType | null; label: string }[] = [
  { type: null, label: "All" },
  { type: "note", label: "Notes" },
  { type: "task", label: "Tasks" },
  { type: "call", label: "Calls" },
  { type: "message", label: "Emails & messages" },
  { type: "meeting", label: "Meetings" },
];

function TimelineFilter({ current }: { current: TimelineType | null }) {
  const { pathname } = useLocation();
  return (
    <nav aria-label="Show on the timeline" className="mb-4">
      <ul className="flex flex-wrap gap-1.5">
        {TIMELINE_FILTERS.map((filter) => (
          <li key={filter.label}>
            <Link
              to={filter.type ? `${pathname}?activity=${filter.type}` : pathname}
              preventScrollReset
              replace
              aria-current={filter.type === current ? "page" : undefined}
              className={cx(
                "inline-flex h-7 items-center rounded-full px-3 text-xs font-medium ring-1 ring-inset",
                filter.type === current
                  ? "bg-slate-900 text-white ring-slate-900"
                  : "bg-white text-slate-700 ring-slate-300 hover:bg-slate-50",
                focusRing,
              )}
            >
              {filter.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

interface TimelineLoad {
  timeline: TimelinePage;
  changeableActivities: string[];
}

/** The timeline with "Load more" (fetched in place; a plain link to the older page without JS). */
export function RecordTimeline({
  timeline,
  paged,
  noun,
  members,
  canWrite,
  type,
  changeable,
}: {
  timeline: TimelinePage;
  /** This page starts at a cursor (an older page, reached without JavaScript). */
  paged: boolean;
  noun: string;
  members: readonly Member[];
  canWrite: boolean;
  /** Only this type of activity is shown (`?activity=`), or everything. */
  type: TimelineType | null;
  /** The activities on this page the reader may edit and delete. */
  changeable: readonly string[];
}) {
  const { pathname } = useLocation();
  const fetcher = useFetcher<TimelineLoad>();
  const [older, setOlder] = useState<TimelineLoad[]>([]);
  const newest = timeline.rows[0]?.id;
  // A refreshed first page (a note was added, the filter changed) makes older pages stale.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the newest entry changes
  useEffect(() => setOlder([]), [newest, type]);
  useEffect(() => {
    const data = fetcher.data;
    if (fetcher.state === "idle" && data?.timeline) {
      setOlder((pages) => (pages.at(-1) === data ? pages : [...pages, data]));
    }
  }, [fetcher.state, fetcher.data]);

  const rows = [...timeline.rows, ...older.flatMap((page) => page.timeline.rows)];
  const unique = [...new Map(rows.map((row) => [row.id, row])).values()];
  const mayChange = new Set([...changeable, ...older.flatMap((page) => page.changeableActivities)]);
  const nextCursor =
    older.length > 0 ? (older.at(-1)?.timeline.nextCursor ?? null) : timeline.nextCursor;
  const nameOf = (userId: string | null) =>
    members.find((member) => member.userId === userId)?.name ?? null;
  const filterParam = type ? `&activity=${type}` : "";
  const nextHref = nextCursor
    ? `${pathname}?timeline=${encodeURIComponent(nextCursor)}${filterParam}`
    : null;
  const filterLabel = TIMELINE_FILTERS.find((filter) => filter.type === type)?.label;

  return (
    <div>
      <TimelineFilter current={type} />
      <DeletedActivityNotice />
      {paged ? (
        <p className="mb-4 text-sm">
          <Link
            to={type ? `${pathname}?activity=${type}` : pathname}
            className={cx("font-medium text-indigo-700", focusRing)}
          >
            ← Back to the newest activity
          </Link>
        </p>
      ) : null}
      {unique.length === 0 ? (
        <p className="text-sm text-slate-600">
          {type
            ? `No ${filterLabel?.toLowerCase() ?? "activities"} here yet.`
            : "Nothing has happened here yet."}
        </p>
      ) : (
        <ol className="space-y-0" aria-label="Timeline" data-testid="timeline">
          {unique.map((entry) => (
            <EntryRow
              key={entry.id}
              entry={entry}
              noun={noun}
              nameOf={nameOf}
              canWrite={canWrite}
              canChange={mayChange.has(entry.id)}
            />
          ))}
        </ol>
      )}
      {nextHref ? (
        <div className="mt-4">
          <Link
            to={nextHref}
            preventScrollReset
            onClick={(event) => {
              event.preventDefault();
              if (fetcher.state === "idle") fetcher.load(nextHref);
            }}
            className={buttonClass("secondary", "sm")}
            aria-busy={fetcher.state !== "idle" || undefined}
          >
            {fetcher.state !== "idle" ? "Loading…" : "Load more"}
          </Link>
        </div>
      ) : null}
    </div>
  );
}

interface ActivityActionResult {
  ok: boolean;
  intent?: string;
  message?: string;
  activity?: { id: string; type: string };
  fieldErrors?: Record<string, string[]>;
}

/** "Edit" and "Delete" beside a note or task the reader may change. */
function ActivityMenu({ activity, onEdit }: { activity: TimelineActivity; onEdit: () => void }) {
  const remover = useFetcher<ActivityActionResult>({ key: DELETE_FETCHER });
  const what = `${TYPE_LABELS[activity.type].toLowerCase()}: ${activity.subject}`;
  return (
    <>
      <Button variant="ghost" size="sm" type="button" onClick={onEdit}>
        Edit<span className="sr-only"> {what}</span>
      </Button>
      <remover.Form method="post">
        <input type="hidden" name="intent" value="delete-activity" />
        <input type="hidden" name="activityId" value={activity.id} />
        <Button
          variant="ghost"
          size="sm"
          className="text-red-700 hover:bg-red-50 hover:text-red-800"
          pending={remover.state !== "idle" && remover.formData?.get("activityId") === activity.id}
        >
          Delete<span className="sr-only"> {what}</span>
        </Button>
      </remover.Form>
    </>
  );
}

/** After a delete from the timeline: what went, with "Undo" (it is restorable for 30 days). */
function DeletedActivityNotice() {
  const remover = useFetcher<ActivityActionResult>({ key: DELETE_FETCHER });
  const restorer = useFetcher<ActivityActionResult>();
  const deleted = remover.state === "idle" ? remover.data : undefined;
  if (deleted && !deleted.ok) return <Alert>{deleted.message}</Alert>;
  if (!deleted?.activity) return null;
  const restored =
    restorer.data?.ok && restorer.data.activity?.id === deleted.activity.id
      ? restorer.data
      : undefined;
  if (restored) {
    return (
      <div className="mb-4">
        <Alert tone="success" focusOnMount={false}>
          {restored.message}
        </Alert>
      </div>
    );
  }
  return (
    <div className="mb-4">
      <Alert tone="info" focusOnMount={false}>
        <div className="flex flex-wrap items-center justify-between gap-3">
          <span>{deleted.message} You can restore it for 30 days.</span>
          <restorer.Form method="post">
            <input type="hidden" name="intent" value="restore-activity" />
            <input type="hidden" name="activityId" value={deleted.activity.id} />
            <Button size="sm" variant="secondary" pending={restorer.state !== "idle"}>
              Undo
            </Button>
          </restorer.Form>
        </div>
      </Alert>
    </div>
  );
}

/** Edits a note's text, or a task's title and details, in place (with the version it read). */
function ActivityEditor({ activity, onDone }: { activity: TimelineActivity; onDone: () => void }) {
  const fetcher = useFetcher<ActivityActionResult>();
  const isNote = activity.type === "note";
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  const onDoneRef = useRef(onDone);
  onDoneRef.current = onDone;
  useEffect(() => {
    if (result?.ok) onDoneRef.current();
  }, [result]);
  const errors = result && !result.ok ? (result.fieldErrors ?? {}) : {};
  const label = isNote ? "Edit note" : "Edit task";
  return (
    <fetcher.Form method="post" aria-label={label} className="min-w-0 flex-1 space-y-2">
      <input type="hidden" name="intent" value="edit-activity" />
      <input type="hidden" name="activityId" value={activity.id} />
      <input type="hidden" name="activityVersion" value={activity.version} />
      <input type="hidden" name="activityType" value={activity.type} />
      {result && !result.ok && Object.keys(errors).length === 0 ? (
        <Alert>{result.message}</Alert>
      ) : null}
      {isNote ? (
        <TextAreaField
          label="Note"
          name="body"
          rows={3}
          autoFocus
          defaultValue={noteText(activity)}
          errors={errors.body}
        />
      ) : (
        <>
          <TextField
            label="Task"
            name="subject"
            autoFocus
            defaultValue={activity.subject}
            errors={errors.subject}
          />
          <TextAreaField
            label="Details (optional)"
            name="body"
            rows={2}
            defaultValue={activity.body ?? ""}
            errors={errors.body}
          />
        </>
      )}
      <div className="flex gap-2">
        <Button size="sm" pending={fetcher.state !== "idle"}>
          Save
        </Button>
        <Button size="sm" variant="secondary" type="button" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </fetcher.Form>
  );
}

type ComposeKind = "note" | "task" | "meeting";
const COMPOSE_KINDS: { kind: ComposeKind; label: string }[] = [
  { kind: "note", label: "Note" },
  { kind: "task", label: "Task" },
  { kind: "meeting", label: "Meeting" },
];

/** The browser's UTC offset for datetime-local inputs (the server reads UTC without it). */
export function TimeZoneOffset() {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (ref.current) ref.current.value = String(new Date().getTimezoneOffset());
  }, []);
  return <input ref={ref} type="hidden" name="tzOffset" defaultValue="0" />;
}

interface ComposeResult {
  ok: boolean;
  intent?: string;
  message?: string;
  fieldErrors?: Record<string, string[]>;
}

/** Add a note, a task (due date, assignee) or a meeting to the record. */
export function ActivityComposer({ members, me }: { members: readonly Member[]; me: string }) {
  const [searchParams] = useSearchParams();
  const requested = searchParams.get("compose");
  const [kind, setKind] = useState<ComposeKind>(
    requested === "task" || requested === "meeting" ? requested : "note",
  );
  const fetcher = useFetcher<ComposeResult>();
  const formRef = useRef<HTMLFormElement>(null);
  const actionData = useActionResult();
  const intent = `add-${kind}`;
  const serverFailure = failureFor(actionData, intent);
  const result = fetcher.data;
  const failure = result && !result.ok && result.intent === intent ? result : serverFailure;
  const serverSuccess =
    actionData && typeof actionData === "object" && "ok" in actionData && actionData.ok === true
      ? (actionData as ComposeResult)
      : undefined;
  const success =
    fetcher.state === "idle" && result?.ok
      ? result
      : serverSuccess?.intent === intent
        ? serverSuccess
        : undefined;
  const id = useId();

  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data?.ok) formRef.current?.reset();
  }, [fetcher.state, fetcher.data]);

  const assignees = [
    { value: "", label: "Nobody" },
    ...members
      .filter((member) => member.active)
      .map((member) => ({
        value: member.userId,
        label: member.userId === me ? `${member.name} (you)` : member.name,
      })),
  ];
  const fieldErrors = failure?.fieldErrors ?? {};
  const values = serverFailure?.values ?? {};
  const hydrated = useHydrated();

  return (
    <div>
      <div
        role="tablist"
        aria-label="Add to the timeline"
        className="flex gap-1"
        onKeyDown={(event) => {
          // Arrow keys move between the tabs (the tab pattern); Tab goes on to the form.
          if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return;
          event.preventDefault();
          const index = COMPOSE_KINDS.findIndex((option) => option.kind === kind);
          const step = event.key === "ArrowRight" ? 1 : COMPOSE_KINDS.length - 1;
          const next = COMPOSE_KINDS[(index + step) % COMPOSE_KINDS.length]?.kind ?? "note";
          setKind(next);
          document.getElementById(`${id}-${next}`)?.focus();
        }}
      >
        {COMPOSE_KINDS.map((option) => (
          <Link
            key={option.kind}
            id={`${id}-${option.kind}`}
            role="tab"
            aria-selected={kind === option.kind}
            aria-controls={`${id}-panel`}
            tabIndex={hydrated && kind !== option.kind ? -1 : undefined}
            to={`?compose=${option.kind}`}
            preventScrollReset
            replace
            onClick={(event) => {
              event.preventDefault();
              setKind(option.kind);
            }}
            className={cx(
              "rounded-md px-3 py-1.5 text-sm font-medium",
              kind === option.kind
                ? "bg-slate-900 text-white"
                : "text-slate-700 hover:bg-slate-100",
              focusRing,
            )}
          >
            {option.label}
          </Link>
        ))}
      </div>
      <fetcher.Form
        ref={formRef}
        method="post"
        id={`${id}-panel`}
        role="tabpanel"
        aria-labelledby={`${id}-${kind}`}
        className="mt-3 space-y-3"
        noValidate
      >
        <input type="hidden" name="intent" value={intent} />
        <TimeZoneOffset />
        {success?.message ? (
          <Alert tone="success" focusOnMount={false}>
            {success.message}
          </Alert>
        ) : null}
        {failure && Object.keys(fieldErrors).length === 0 ? <Alert>{failure.message}</Alert> : null}
        {kind === "note" ? (
          <TextAreaField
            key="note"
            label="Note"
            name="body"
            rows={3}
            placeholder="What happened? What should the team know?"
            defaultValue={values.body}
            errors={fieldErrors.body}
          />
        ) : (
          <>
            <TextField
              key={`${kind}-subject`}
              label={kind === "task" ? "Task" : "Meeting title"}
              name="subject"
              placeholder={kind === "task" ? "e.g. Send the proposal" : "e.g. Discovery call"}
              defaultValue={values.subject}
              errors={fieldErrors.subject}
            />
            {kind === "task" ? (
              <div className="grid gap-3 sm:grid-cols-2">
                <TextField
                  label="Due"
                  name="dueAt"
                  type="datetime-local"
                  defaultValue={values.dueAt}
                  errors={fieldErrors.dueAt}
                />
                <SelectField
                  label="Assignee"
                  name="assigneeId"
                  options={assignees}
                  defaultValue={values.assigneeId ?? me}
                  errors={fieldErrors.assigneeId}
                />
              </div>
            ) : (
              <TextField
                label="When"
                name="occurredAt"
                type="datetime-local"
                hint="Leave empty for now."
                defaultValue={values.occurredAt}
                errors={fieldErrors.occurredAt}
              />
            )}
            <TextAreaField
              key={`${kind}-body`}
              label={kind === "task" ? "Details (optional)" : "Notes (optional)"}
              name="body"
              rows={2}
              defaultValue={values.body}
              errors={fieldErrors.body}
            />
          </>
        )}
        <Button pending={fetcher.state === "submitting"}>
          {kind === "note" ? "Add note" : kind === "task" ? "Add task" : "Log meeting"}
        </Button>
      </fetcher.Form>
    </div>
  );
}
