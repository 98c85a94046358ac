import type { MetaFunction } from "@remix-run/cloudflare";
import { Link, useFetcher, useLoaderData } from "@remix-run/react";
import { useId } from "react";
import { PageBody, PageHeader } from "../../components/page";
import { RouteError } from "../../components/route-error";
import { Alert, cx, focusRing } from "../../components/ui";
import { failureFor } from "../../lib/forms";
import { useActionResult } from "../../lib/use-action-result";
import { useRevalidateOnEvents } from "../../lib/use-live";
import type { action, loader, TaskGroupKey, TaskRow } from "./tasks.server";

export { action, loader } from "./tasks.server";

export const meta: MetaFunction = () => [{ title: "Tasks · Switchboard" }];

const GROUPS: { key: TaskGroupKey; title: string }[] = [
  { key: "overdue", title: "Overdue" },
  { key: "today", title: "Today" },
  { key: "upcoming", title: "Upcoming" },
  { key: "none", title: "No due date" },
];

const RECORD_PATHS = {
  contact: "contacts",
  company: "companies",
  lead: "leads",
  deal: "deals",
} as const;

const COMPLETE_TASK = "complete-task";

export default function Tasks() {
  const data = useLoaderData<typeof loader>();
  // A task added, edited or completed anywhere (another tab, a teammate) refreshes the list.
  useRevalidateOnEvents((event) => event.type.startsWith("activity."));
  const result = useActionResult<typeof action>();
  const failure = failureFor(result, COMPLETE_TASK);
  const fetcher = useFetcher<typeof action>({ key: COMPLETE_TASK });
  const completing =
    fetcher.state !== "idle" ? fetcher.formData?.get("activityId")?.toString() : undefined;
  const fetcherFailure = failureFor(fetcher.data, COMPLETE_TASK);
  const others = data.view === "others";
  return (
    <>
      <PageHeader
        title="Tasks"
        description={`${others ? "Open tasks you created for others" : "Your open tasks"}, by when they are due (${data.timeZone.replaceAll("_", " ")}).`}
      />
      <PageBody>
        <nav aria-label="Whose tasks" className="flex flex-wrap gap-1">
          <ViewLink to="/app/tasks" current={!others}>
            Assigned to me
          </ViewLink>
          <ViewLink to="/app/tasks?view=others" current={others}>
            Created for others
          </ViewLink>
        </nav>
        {(fetcherFailure ?? failure) ? (
          <Alert title="The task was not completed">{(fetcherFailure ?? failure)?.message}</Alert>
        ) : null}
        {data.total === 0 ? (
          <p
            data-testid="tasks-empty"
            className="rounded-lg bg-white px-5 py-10 text-center text-sm text-slate-600 ring-1 ring-slate-200"
          >
            {others
              ? "No open tasks that you assigned to someone else."
              : "Nothing on your plate. Tasks assigned to you show up here."}
          </p>
        ) : (
          GROUPS.map(({ key, title }) => {
            const tasks = data.groups[key].filter((task) => task.id !== completing);
            if (tasks.length === 0) return null;
            return (
              <TaskGroup
                key={key}
                group={key}
                title={title}
                tasks={tasks}
                canComplete={data.canComplete}
              />
            );
          })
        )}
      </PageBody>
    </>
  );
}

function ViewLink({ to, current, children }: { to: string; current: boolean; children: string }) {
  return (
    <Link
      to={to}
      aria-current={current ? "page" : undefined}
      className={cx(
        "rounded-md px-3 py-1.5 text-sm font-medium",
        current ? "bg-slate-900 text-white" : "text-slate-700 ring-1 ring-slate-200 hover:bg-white",
        focusRing,
      )}
    >
      {children}
    </Link>
  );
}

function TaskGroup({
  group,
  title,
  tasks,
  canComplete,
}: {
  group: TaskGroupKey;
  title: string;
  tasks: TaskRow[];
  canComplete: boolean;
}) {
  const id = useId();
  return (
    <section
      aria-labelledby={id}
      data-testid={`tasks-${group}`}
      className="rounded-lg bg-white ring-1 ring-slate-200"
    >
      <h2
        id={id}
        className={cx(
          "flex items-center gap-2 border-b border-slate-200 px-5 py-3 text-sm font-semibold max-sm:px-4",
          group === "overdue" ? "text-red-700" : "text-slate-900",
        )}
      >
        {title}
        <span className="rounded-full bg-slate-100 px-1.5 text-xs leading-5 font-semibold text-slate-700 tabular-nums">
          {tasks.length}
        </span>
      </h2>
      <ul className="divide-y divide-slate-100">
        {tasks.map((task) => (
          <TaskItem
            key={task.id}
            task={task}
            overdue={group === "overdue"}
            canComplete={canComplete}
          />
        ))}
      </ul>
    </section>
  );
}

function TaskItem({
  task,
  overdue,
  canComplete,
}: {
  task: TaskRow;
  overdue: boolean;
  canComplete: boolean;
}) {
  const fetcher = useFetcher({ key: COMPLETE_TASK });
  const record = task.record;
  return (
    <li className="flex items-start gap-3 px-5 py-3 max-sm:px-4">
      {canComplete ? (
        <fetcher.Form method="post" preventScrollReset className="flex h-5 items-center">
          <input type="hidden" name="intent" value={COMPLETE_TASK} />
          <input type="hidden" name="activityId" value={task.id} />
          <input type="hidden" name="version" value={task.version} />
          <input
            type="checkbox"
            checked={fetcher.state !== "idle"}
            onChange={(event) => fetcher.submit(event.currentTarget.form)}
            aria-label={`Complete “${task.subject}”`}
            className="size-4 cursor-pointer accent-indigo-600"
          />
        </fetcher.Form>
      ) : null}
      <div className="min-w-0 flex-1">
        <p className="text-sm font-medium break-words text-slate-900">{task.subject}</p>
        <p className="mt-0.5 flex flex-wrap items-center gap-x-3 gap-y-0.5 text-xs text-slate-600">
          {task.dueText ? (
            <span className={overdue ? "font-medium text-red-700" : undefined}>
              {overdue ? "Was due " : "Due "}
              <time dateTime={task.dueAt ?? undefined}>{task.dueText}</time>
            </span>
          ) : null}
          {record ? (
            <Link
              to={`/app/${RECORD_PATHS[record.entity]}/${record.id}`}
              className={cx(
                "max-w-full truncate font-medium text-indigo-700 hover:text-indigo-600",
                focusRing,
              )}
            >
              {record.name}
            </Link>
          ) : null}
        </p>
      </div>
    </li>
  );
}

export function ErrorBoundary() {
  return <RouteError />;
}
