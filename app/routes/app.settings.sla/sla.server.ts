import { type ActionFunctionArgs, json, type LoaderFunctionArgs } from "@remix-run/cloudflare";
import { slaPolicyKey } from "../../../shared/desk";
import { can } from "../../../worker/auth/permissions";
import { ApiError } from "../../../worker/lib/errors";
import type { TenantScope } from "../../../worker/lib/scope";
import type { SlaPolicyView } from "../../../worker/sla/schemas";
import {
  getBusinessCalendar,
  listSlaPolicies,
  replaceBusinessCalendar,
  replaceSlaPolicies,
} from "../../../worker/sla/service";
import { listTeams } from "../../../worker/teams/service";
import { formFailure } from "../../lib/actions.server";
import { readPostedForm } from "../../lib/record-forms.server";
import { requireUser, runAsUser } from "../../lib/session.server";
import { timeZoneOptions } from "../../lib/time-zones.server";
import {
  holidayFromForm,
  orgWidePoliciesFromForm,
  overrideScopeFromForm,
  policyFromForm,
  readAll,
  timeZoneFromForm,
  weekFromForm,
} from "./sla-forms.server";

/*
 * Settings -> SLA: the loader and action of app/routes/app.settings.sla/route.tsx. The page
 * shows the organization-wide policy of each priority, the overrides for a team and/or a
 * ticket type, and the business calendar; admins change them. Each form posts what it
 * changes, and the action writes the whole set through the SLA service (the same replace as
 * `PUT /sla/policies` and `PUT /sla/calendar`), in one unit of work.
 */

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireUser(request, context);
  const data = await runAsUser(context, session, async (scope) => ({
    policies: await listSlaPolicies(scope),
    calendar: await getBusinessCalendar(scope),
    teams: (await listTeams(scope)).map((team) => ({ id: team.id, name: team.name })),
  }));
  return json(
    {
      ...data,
      canManage: can(session.me.role, "desk:configure"),
      timeZones: timeZoneOptions(data.calendar.timeZone),
    },
    { headers: session.headers },
  );
}

const isScoped = (policy: SlaPolicyView) => policy.teamId !== null || policy.ticketType !== null;

/** The policy a form names by its key, or a 404 (someone removed it meanwhile). */
function policyByKey(policies: SlaPolicyView[], key: string | undefined) {
  const policy = policies.find((candidate) => slaPolicyKey(candidate) === key);
  if (!policy) throw ApiError.notFound("That override");
  return policy;
}

/** The service names a refused team by its place in the list; the page names its own field. */
async function savePolicies(scope: TenantScope, policies: SlaPolicyView[], teamField: string) {
  try {
    return await replaceSlaPolicies(scope, policies);
  } catch (error) {
    const teamError = error instanceof ApiError && error.status === 422 && error.fieldErrors;
    if (!teamError || !Object.keys(teamError).some((key) => key.endsWith(".teamId"))) throw error;
    throw ApiError.validation({ [teamField]: ["No such team."] }, "Check the highlighted fields.");
  }
}

type Values = Record<string, string>;

const policyWork: Record<
  string,
  (values: Values, current: SlaPolicyView[]) => { policies: SlaPolicyView[]; message: string }
> = {
  "save-policies": (values, current) => ({
    policies: [
      ...orgWidePoliciesFromForm(values).map((p) => ({ ...p, teamId: null, ticketType: null })),
      ...current.filter(isScoped),
    ],
    message: "SLA policies saved.",
  }),
  "add-override": (values, current) => {
    const scope = overrideScopeFromForm(values, "new");
    const policy = policyFromForm(values, "new", scope, false);
    if (!policy) throw ApiError.badRequest("Set the override's targets.");
    if (current.some((other) => slaPolicyKey(other) === slaPolicyKey(scope))) {
      throw ApiError.validation(
        { "new.priority": ["There is an override for this already: change it in the list."] },
        "Check the highlighted fields.",
      );
    }
    return { policies: [...current, { ...policy, ...scope }], message: "Override added." };
  },
  "save-override": (values, current) => {
    const existing = policyByKey(current, values.key);
    const policy = policyFromForm(values, "edit", existing, false);
    return {
      policies: current.map((other) =>
        other === existing && policy ? { ...existing, ...policy } : other,
      ),
      message: "Override saved.",
    };
  },
  "remove-override": (values, current) => {
    const existing = policyByKey(current, values.key);
    return {
      policies: current.filter((other) => other !== existing),
      message: "Override removed.",
    };
  },
};

type Calendar = Awaited<ReturnType<typeof getBusinessCalendar>>;

const calendarWork: Record<string, (values: Values, current: Calendar) => Calendar> = {
  "save-calendar": (values, current) => {
    const [timeZone, week] = readAll<[string, Calendar["week"]]>(
      () => timeZoneFromForm(values),
      () => weekFromForm(values),
    );
    return { ...current, timeZone, week };
  },
  "add-holiday": (values, current) => ({
    ...current,
    holidays: [...current.holidays, holidayFromForm(values)],
  }),
  "remove-holiday": (values, current) => ({
    ...current,
    holidays: current.holidays.filter((day) => day !== values.holiday),
  }),
};

const CALENDAR_MESSAGES: Record<string, string> = {
  "save-calendar": "Business hours saved.",
  "add-holiday": "Holiday added.",
  "remove-holiday": "Holiday removed.",
};

export type ActionSuccess = { ok: true; intent: string; message: string };

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requireUser(request, context);
  const form = await readPostedForm(request);
  const done = (message: string) =>
    json<ActionSuccess>({ ok: true, intent: form.intent, message }, { headers: session.headers });
  try {
    const forPolicies = policyWork[form.intent];
    if (forPolicies) {
      const message = await runAsUser(context, session, async (scope) => {
        const change = forPolicies(form.values, await listSlaPolicies(scope));
        const field = form.intent === "add-override" ? "new.teamId" : "edit.teamId";
        await savePolicies(scope, change.policies, field);
        return change.message;
      });
      return done(message);
    }
    const forCalendar = calendarWork[form.intent];
    if (forCalendar) {
      await runAsUser(context, session, async (scope) => {
        const next = forCalendar(form.values, await getBusinessCalendar(scope));
        await replaceBusinessCalendar(scope, next);
      });
      return done(CALENDAR_MESSAGES[form.intent] ?? "Saved.");
    }
    throw ApiError.badRequest("That action is not available on this page.");
  } catch (error) {
    return formFailure(error, form, session.headers);
  }
}
