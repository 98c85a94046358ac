import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/cloudflare";
import { Form, Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { z } from "zod";
import { getImport, startImport } from "../../worker/imports/service";
import { ApiError } from "../../worker/lib/errors";
import { formatCount } from "../components/charts";
import {
  CRM_ENTITY_TEXT,
  capitalized,
  type ImportCounts,
  ImportProgressBar,
  ImportSteps,
  ImportTotals,
  RowErrorsTable,
} from "../components/import-parts";
import { PageBody, PageHeader } from "../components/page";
import { RouteError } from "../components/route-error";
import { Alert, Button, buttonClass, Section } from "../components/ui";
import { formFailure, readForm } from "../lib/actions.server";
import { failureFor } from "../lib/forms";
import { useRecordEvents } from "../lib/realtime-context";
import { requireUser, runAsUser } from "../lib/session.server";
import { useActionResult } from "../lib/use-action-result";
import { useSubmitting } from "../lib/use-pending";

export const meta: MetaFunction = () => [{ title: "Import progress · Switchboard" }];

/** Without progress events for this long (no socket, or a lost one), the page polls the job. */
const POLL_MS = 2000;

const idSchema = z.string().uuid();

async function loadJob(args: LoaderFunctionArgs | ActionFunctionArgs) {
  const session = await requireUser(args.request, args.context);
  const id = args.params.id ?? "";
  if (!idSchema.safeParse(id).success) {
    throw new Response("No such import.", { status: 404, headers: session.headers });
  }
  return { session, id };
}

function asResponse(error: unknown, headers: Headers): unknown {
  if (error instanceof ApiError && (error.status === 404 || error.status === 403)) {
    return new Response(error.message, { status: error.status, headers });
  }
  return error;
}

export async function loader(args: LoaderFunctionArgs) {
  const { session, id } = await loadJob(args);
  try {
    const job = await runAsUser(args.context, session, (scope) => getImport(scope, id));
    return json({ job }, { headers: session.headers });
  } catch (error) {
    throw asResponse(error, session.headers);
  }
}

/** Starts an import that was checked but not started (from "Recent imports"). */
export async function action(args: ActionFunctionArgs) {
  const { session, id } = await loadJob(args);
  const form = await readForm(args.request);
  try {
    if (form.intent !== "start") throw ApiError.badRequest("That action is not available here.");
    await runAsUser(args.context, session, (scope) => startImport(scope, id));
    return json({ ok: true as const, intent: "start" }, { headers: session.headers });
  } catch (error) {
    return formFailure(error, form, session.headers);
  }
}

type Job = ReturnType<typeof useLoaderData<typeof loader>>["job"];

function countsOf(job: Job): ImportCounts {
  return {
    status: job.status,
    total: job.totalRows,
    processed: job.processedRows,
    created: job.createdRows,
    updated: job.updatedRows,
    skipped: job.skippedRows,
    failed: job.failedRows,
  };
}

const FINISHED = new Set(["completed", "failed"]);
const STATUS_ORDER = { pending: 0, running: 1, completed: 2, failed: 2 } as const;

/** The further along of two snapshots (events and polls can arrive in any order). */
function newer(a: ImportCounts, b: ImportCounts | null): ImportCounts {
  if (!b) return a;
  if (STATUS_ORDER[b.status] !== STATUS_ORDER[a.status]) {
    return STATUS_ORDER[b.status] > STATUS_ORDER[a.status] ? b : a;
  }
  return b.processed > a.processed ? b : a;
}

/**
 * Live counts: `import.progress` events for this job as they arrive; when none came for a
 * while (no socket), the job is re-read every 2 s until it finishes. The final reload brings
 * the failed rows.
 */
function useImportProgress(job: Job): ImportCounts {
  const revalidator = useRevalidator();
  const [live, setLive] = useState<ImportCounts | null>(null);
  const lastEventAt = useRef(0);
  const counts = newer(countsOf(job), live);
  const running = !FINISHED.has(counts.status);
  const loadedFinished = FINISHED.has(job.status);

  useRecordEvents((event) => {
    if (event.type !== "import.progress" || event.jobId !== job.id) return;
    lastEventAt.current = Date.now();
    const { type: _type, jobId: _jobId, ...snapshot } = event;
    setLive((previous) => newer(snapshot, previous));
  });

  useEffect(() => {
    if (!running || job.status === "pending") return;
    const timer = window.setInterval(() => {
      const quiet = Date.now() - lastEventAt.current > POLL_MS;
      if (quiet && revalidator.state === "idle") revalidator.revalidate();
    }, POLL_MS);
    return () => window.clearInterval(timer);
  }, [running, job.status, revalidator]);

  // Finished according to an event, not yet according to the loader: fetch the final job.
  useEffect(() => {
    if (!running && !loadedFinished && revalidator.state === "idle") revalidator.revalidate();
  }, [running, loadedFinished, revalidator]);

  return counts;
}

const STATUS_TEXT: Record<ImportCounts["status"], string> = {
  pending: "Checked, not started yet.",
  running: "Importing…",
  completed: "Import finished.",
  failed: "The import stopped with an error.",
};

export default function ImportProgress() {
  const { job } = useLoaderData<typeof loader>();
  const counts = useImportProgress(job);
  const text = CRM_ENTITY_TEXT[job.entity];
  const finished = FINISHED.has(counts.status);
  return (
    <>
      <PageHeader
        eyebrow="Import"
        title={`Importing ${text.many}`}
        description={`${formatCount(job.totalRows)} rows · duplicates: ${job.duplicates}`}
      />
      <PageBody>
        <ImportSteps current={3} />
        <Section id="progress" title="Progress" description={STATUS_TEXT[counts.status]}>
          <div className="space-y-5 px-5 py-5">
            {counts.status === "pending" ? <StartPending /> : null}
            <ImportProgressBar counts={counts} />
            <ImportTotals counts={counts} />
            <p role="status" className="text-sm text-slate-700" data-testid="import-status">
              {finished
                ? `${STATUS_TEXT[counts.status]} ${formatCount(counts.created)} created, ${formatCount(
                    counts.updated,
                  )} updated, ${formatCount(counts.skipped)} skipped, ${formatCount(counts.failed)} failed.`
                : ""}
            </p>
            {finished ? (
              <div className="flex flex-wrap gap-2">
                <Link to={text.path} className={buttonClass("primary")}>
                  Go to {text.many}
                </Link>
                <Link to={`/app/import?entity=${job.entity}`} className={buttonClass("secondary")}>
                  Import another file
                </Link>
              </div>
            ) : null}
          </div>
        </Section>
        {finished && job.errors.length > 0 ? (
          <Section
            id="failed-rows"
            title="Rows that were not imported"
            description={
              counts.failed > job.errors.length
                ? `The first ${formatCount(job.errors.length)} of ${formatCount(counts.failed)} failed rows.`
                : "Fix these rows in your file and import them again."
            }
          >
            <RowErrorsTable errors={job.errors} caption="Rows that were not imported" />
          </Section>
        ) : null}
        <p className="text-sm text-slate-600">
          {capitalized(text.many)} appear in the list as soon as each chunk of 1,000 rows is saved;
          you can leave this page, the import goes on.
        </p>
      </PageBody>
    </>
  );
}

function StartPending() {
  const actionData = useActionResult<typeof action>();
  const failure = failureFor(actionData, "start");
  const starting = useSubmitting("start");
  return (
    <Form method="post" className="space-y-3">
      {failure ? <Alert>{failure.message}</Alert> : null}
      <input type="hidden" name="intent" value="start" />
      <Button pending={starting}>Start the import</Button>
    </Form>
  );
}

export function ErrorBoundary() {
  return <RouteError />;
}
