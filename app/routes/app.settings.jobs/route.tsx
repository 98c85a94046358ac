import type { MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useLoaderData } from "@remix-run/react";
import type { JobView } from "../../../worker/jobs/schemas";
import { PageBody, PageHeader } from "../../components/page";
import { RouteError } from "../../components/route-error";
import { FormOutcome, SettingsTable } from "../../components/settings-parts";
import { Badge, Button, cx, Section } from "../../components/ui";
import { type FormFailure, failureFor } from "../../lib/forms";
import { useActionResult } from "../../lib/use-action-result";
import { useSubmitting } from "../../lib/use-pending";
import type { action, loader } from "./jobs.server";

export { action, loader } from "./jobs.server";

export const meta: MetaFunction = () => [{ title: "Jobs · Settings · Switchboard" }];

const STATUS_LABELS: Record<JobView["status"], string> = {
  pending: "Waiting",
  done: "Done",
  failed: "Failed, retrying",
  dead: "Dead-lettered",
};

const STATUS_TONES = {
  pending: "accent",
  done: "success",
  failed: "warning",
  dead: "danger",
} as const;

const FILTERS: { status: JobView["status"] | null; label: string }[] = [
  { status: null, label: "Recent" },
  { status: "failed", label: "Failed" },
  { status: "dead", label: "Dead-lettered" },
  { status: "pending", label: "Waiting" },
];

function when(iso: string | null) {
  return iso ? new Date(iso).toLocaleString("en-GB", { timeZone: "UTC" }) : "—";
}

export default function JobSettings() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionResult<typeof action>() as
    | { ok: true; message: string }
    | FormFailure
    | undefined;
  const failure = failureFor(actionData, "retry");
  return (
    <>
      <PageHeader
        eyebrow="Settings"
        title="Jobs"
        description="Imports and exports run in the background. A failed job is retried by the queue with growing pauses; one that runs out of retries is dead-lettered and waits for you to retry it."
      />
      <PageBody>
        <FormOutcome
          failure={failure}
          success={actionData?.ok ? actionData : undefined}
          failureTitle="The job was not retried"
        />
        <Section
          id="jobs"
          title="Background jobs"
          description={`${data.counts.pending} waiting, ${data.counts.failed} failed, ${data.counts.dead} dead-lettered, ${data.counts.done} done.`}
          actions={
            <nav aria-label="Filter jobs" className="flex flex-wrap gap-1 text-sm">
              {FILTERS.map((filter) => (
                <Link
                  key={filter.label}
                  to={filter.status ? `?status=${filter.status}` : "."}
                  aria-current={data.status === filter.status ? "page" : undefined}
                  className={cx(
                    "rounded-md px-2 py-1",
                    data.status === filter.status
                      ? "bg-slate-900 text-white"
                      : "text-slate-700 hover:bg-slate-100",
                  )}
                >
                  {filter.label}
                </Link>
              ))}
            </nav>
          }
        >
          {data.jobs.length === 0 ? (
            <p className="px-5 py-5 text-sm text-slate-600">No jobs here.</p>
          ) : (
            <SettingsTable
              caption="Background jobs, newest first"
              columns={[
                "Job",
                "Status",
                "Attempts",
                { label: "Created (UTC)", wide: true },
                { label: "Last error", wide: true },
              ]}
              actions
            >
              {data.jobs.map((job) => (
                <JobRow key={job.id} job={job} />
              ))}
            </SettingsTable>
          )}
        </Section>
      </PageBody>
    </>
  );
}

function JobRow({ job }: { job: JobView }) {
  const retrying = useSubmitting("retry", { name: "jobId", value: job.id });
  const retryable = job.status === "failed" || job.status === "dead";
  return (
    <tr>
      <td className="px-5 py-3">
        <span className="font-mono text-xs text-slate-900">{job.type}</span>
        {job.subjectId ? (
          <span className="block text-xs text-slate-500">for {job.subjectId}</span>
        ) : null}
      </td>
      <td className="px-3 py-3">
        <Badge tone={STATUS_TONES[job.status]}>{STATUS_LABELS[job.status]}</Badge>
      </td>
      <td className="px-3 py-3 tabular-nums">{job.attempts}</td>
      <td className="hidden px-3 py-3 md:table-cell">{when(job.createdAt)}</td>
      <td className="hidden max-w-xs truncate px-3 py-3 text-xs text-slate-600 md:table-cell">
        {job.lastError ?? "—"}
      </td>
      <td className="px-5 py-3 text-right">
        {retryable ? (
          <Form method="post">
            <input type="hidden" name="intent" value="retry" />
            <input type="hidden" name="jobId" value={job.id} />
            <Button type="submit" size="sm" variant="secondary" pending={retrying}>
              Retry
            </Button>
          </Form>
        ) : null}
      </td>
    </tr>
  );
}

export function ErrorBoundary() {
  return <RouteError />;
}
