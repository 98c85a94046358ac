import { type ActionFunctionArgs, json, type LoaderFunctionArgs } from "@remix-run/cloudflare";
import { z } from "zod";
import { can } from "../../../worker/auth/permissions";
import { jobListQuerySchema } from "../../../worker/jobs/schemas";
import { listJobs, retryJob } from "../../../worker/jobs/service";
import { formFailure, parseForm, readForm } from "../../lib/actions.server";
import { requireUser, runAsUser, type UserSession } from "../../lib/session.server";

/* Settings -> Jobs: the loader and action of app/routes/app.settings.jobs/route.tsx. */

function requireJobsPermission(session: UserSession) {
  if (!can(session.me.role, "jobs:manage")) {
    throw new Response("Jobs are for owners and admins.", {
      status: 403,
      headers: session.headers,
    });
  }
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireUser(request, context);
  requireJobsPermission(session);
  const status = new URL(request.url).searchParams.get("status") || undefined;
  const query = jobListQuerySchema.safeParse({ status });
  const filter = query.success ? query.data : jobListQuerySchema.parse({});
  const list = await runAsUser(context, session, (scope) => listJobs(scope, filter));
  return json({ ...list, status: filter.status ?? null }, { headers: session.headers });
}

const retryForm = z.object({ jobId: z.string().uuid() });

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requireUser(request, context);
  requireJobsPermission(session);
  const form = await readForm(request);
  try {
    const { jobId } = parseForm(retryForm, form.values);
    const job = await runAsUser(context, session, (scope) => retryJob(scope, jobId));
    return json(
      { ok: true as const, message: `The ${job.type} job was queued again.` },
      { headers: session.headers },
    );
  } catch (error) {
    return formFailure(error, form, session.headers);
  }
}
