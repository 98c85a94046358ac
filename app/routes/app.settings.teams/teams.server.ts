import { type ActionFunctionArgs, json, type LoaderFunctionArgs } from "@remix-run/cloudflare";
import { z } from "zod";
import { can, type Role } from "../../../worker/auth/permissions";
import { ApiError } from "../../../worker/lib/errors";
import type { TenantScope } from "../../../worker/lib/scope";
import { createTeamBodySchema, updateTeamBodySchema } from "../../../worker/teams/schemas";
import { createTeam, deleteTeam, listTeams, updateTeam } from "../../../worker/teams/service";
import { formFailure, parseForm } from "../../lib/actions.server";
import { memberDirectory } from "../../lib/members.server";
import { type PostedForm, readPostedForm } from "../../lib/record-forms.server";
import { requireUser, runAsUser } from "../../lib/session.server";

/*
 * Settings -> Teams: the loader and action of app/routes/app.settings.teams/route.tsx (which
 * keeps the page and re-exports these).
 */

export interface TeamMember {
  userId: string;
  name: string;
  role: Role;
  active: boolean;
}

async function membersByName(scope: TenantScope): Promise<TeamMember[]> {
  return (await memberDirectory(scope)).map((member) => ({
    userId: member.userId,
    name: member.name,
    role: member.role,
    active: member.status === "active",
  }));
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireUser(request, context);
  const data = await runAsUser(context, session, async (scope) => ({
    teams: await listTeams(scope),
    members: await membersByName(scope),
  }));
  return json(
    { ...data, canManage: can(session.me.role, "members:manage") },
    { headers: session.headers },
  );
}

const teamRef = z.object({ teamId: z.string().uuid("Unknown team.") });

/** The team form's name and checked members, as the teams service takes them. */
function teamFields(form: PostedForm) {
  return { name: form.values.name ?? "", memberIds: form.all("memberIds") };
}

/** The submitted form with every checked member kept (comma-separated), to refill the checkboxes. */
function withCheckedMembers(form: PostedForm) {
  return { ...form, values: { ...form.values, memberIds: form.all("memberIds").join(",") } };
}

export type ActionSuccess = { ok: true; intent: string; teamId: string; message: string };

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requireUser(request, context);
  const form = await readPostedForm(request);
  const run = <T>(work: (scope: TenantScope) => Promise<T>) => runAsUser(context, session, work);
  const done = (teamId: string, message: string) =>
    json<ActionSuccess>(
      { ok: true, intent: form.intent, teamId, message },
      { headers: session.headers },
    );
  try {
    switch (form.intent) {
      case "create-team": {
        const body = parseForm(createTeamBodySchema, teamFields(form));
        const team = await run((scope) => createTeam(scope, body));
        return done(team.id, `Team “${team.name}” created.`);
      }
      case "update-team": {
        const { teamId } = parseForm(teamRef, form.values);
        const body = parseForm(updateTeamBodySchema, teamFields(form));
        const team = await run((scope) => updateTeam(scope, teamId, body));
        return done(team.id, `Team “${team.name}” saved.`);
      }
      case "delete-team": {
        const { teamId } = parseForm(teamRef, form.values);
        await run((scope) => deleteTeam(scope, teamId));
        return done(teamId, "Team deleted.");
      }
      default:
        throw ApiError.badRequest("That action is not available on this page.");
    }
  } catch (error) {
    return formFailure(error, withCheckedMembers(form), session.headers);
  }
}
