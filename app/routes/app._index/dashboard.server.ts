import { type ActionFunctionArgs, json, type LoaderFunctionArgs } from "@remix-run/cloudflare";
import { z } from "zod";
import { completeActivity } from "../../../worker/activities/service";
import { listMyOpenTasks } from "../../../worker/activities/tasks";
import { can } from "../../../worker/auth/permissions";
import { callStats } from "../../../worker/calls/stats";
import { ApiError } from "../../../worker/lib/errors";
import { listPipelines } from "../../../worker/pipelines/service";
import { dashboard } from "../../../worker/reports/service";
import { utcDayStart } from "../../components/call-stats";
import { formFailure, parseForm, readForm } from "../../lib/actions.server";
import { requireUser, runAsUser } from "../../lib/session.server";

const TASKS_SHOWN = 8;
/** The calls block covers today and the 6 days before it (UTC). */
const CALL_DAYS = 7;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireUser(request, context);
  const { me } = session;
  const requested = new URL(request.url).searchParams.get("pipelineId") || undefined;
  const pipelineId = z.string().uuid().safeParse(requested).success ? requested : undefined;
  try {
    const data = await runAsUser(context, session, async (scope) => ({
      report: await dashboard(scope, pipelineId),
      pipelines: (await listPipelines(scope)).map(({ id, name }) => ({ id, name })),
      tasks: await listMyOpenTasks(scope, { limit: TASKS_SHOWN }),
      calls: can(me.role, "calls:read")
        ? await callStats(scope, { from: utcDayStart(new Date(), CALL_DAYS - 1).toISOString() })
        : null,
    }));
    return json(
      {
        ...data,
        firstName: me.user.name.split(/\s+/)[0] ?? me.user.name,
        organization: me.organization.name,
        role: me.role,
        canImport: can(me.role, "crm:import"),
        canConfigure: can(me.role, "crm:configure"),
        canManageTeam: can(me.role, "invitations:manage"),
      },
      { headers: session.headers },
    );
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      throw new Response(error.message, { status: 404, headers: session.headers });
    }
    throw error;
  }
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
