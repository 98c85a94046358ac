import { type ActionFunctionArgs, json, type LoaderFunctionArgs } from "@remix-run/cloudflare";
import { z } from "zod";
import { completeActivity } from "../../../worker/activities/service";
import { listMyOpenTasks, type TaskView } from "../../../worker/activities/tasks";
import { can } from "../../../worker/auth/permissions";
import { ApiError } from "../../../worker/lib/errors";
import { formFailure, parseForm, readForm } from "../../lib/actions.server";
import { requireUser, runAsUser } from "../../lib/session.server";

/*
 * Tasks: the signed-in person's open tasks (or, `?view=others`, the ones they created for
 * someone else), grouped by when they are due in the organization's time zone: overdue, today,
 * upcoming, no due date. The server groups and formats, so the page reads the same everywhere.
 */

export type TaskGroupKey = "overdue" | "today" | "upcoming" | "none";

export interface TaskRow extends TaskView {
  /** The due time as the organization's clock says it ("today, 14:30", "Mon 3 Mar, 09:00"). */
  dueText: string | null;
}

/** YYYY-MM-DD of an instant in a time zone. */
function dayIn(timeZone: string, at: Date): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(at);
}

function groupTasks(tasks: TaskView[], timeZone: string, now: Date) {
  const today = dayIn(timeZone, now);
  const thisYear = today.slice(0, 4);
  const time = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit" });
  const dateTime = (withYear: boolean) =>
    new Intl.DateTimeFormat("en-GB", {
      timeZone,
      weekday: "short",
      day: "numeric",
      month: "short",
      ...(withYear ? { year: "numeric" } : {}),
      hour: "2-digit",
      minute: "2-digit",
    });
  const groups: Record<TaskGroupKey, TaskRow[]> = {
    overdue: [],
    today: [],
    upcoming: [],
    none: [],
  };
  for (const task of tasks) {
    if (!task.dueAt) {
      groups.none.push({ ...task, dueText: null });
      continue;
    }
    const due = new Date(task.dueAt);
    const day = dayIn(timeZone, due);
    const dueText =
      day === today
        ? `today, ${time.format(due)}`
        : dateTime(!day.startsWith(thisYear)).format(due);
    const row = { ...task, dueText };
    if (due.getTime() < now.getTime()) groups.overdue.push(row);
    else if (day === today) groups.today.push(row);
    else groups.upcoming.push(row);
  }
  return groups;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireUser(request, context);
  const { me } = session;
  const others = new URL(request.url).searchParams.get("view") === "others";
  const tasks = await runAsUser(context, session, (scope) =>
    listMyOpenTasks(scope, { createdForOthers: others }),
  );
  const timeZone = me.organization.timeZone || "UTC";
  return json(
    {
      view: others ? ("others" as const) : ("mine" as const),
      timeZone,
      total: tasks.length,
      groups: groupTasks(tasks, timeZone, new Date()),
      canComplete: can(me.role, "crm:write"),
    },
    { headers: session.headers },
  );
}

const completeForm = z.object({
  activityId: z.string().uuid("Unknown task."),
  version: z.coerce.number().int().min(1).optional(),
});

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requireUser(request, context);
  const form = await readForm(request);
  try {
    if (form.intent !== "complete-task") {
      throw ApiError.badRequest("That action is not available on this page.");
    }
    const { activityId, version } = parseForm(completeForm, form.values);
    const task = await runAsUser(context, session, (scope) =>
      completeActivity(scope, activityId, { done: true, version }),
    );
    return json(
      { ok: true as const, intent: "complete-task", message: `“${task.subject}” is done.` },
      { headers: session.headers },
    );
  } catch (error) {
    return formFailure(error, form, session.headers);
  }
}
