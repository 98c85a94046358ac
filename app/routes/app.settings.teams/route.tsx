import type { MetaFunction } from "@remix-run/cloudflare";
import { Form, useLoaderData } from "@remix-run/react";
import { useId } from "react";
import type { TeamView } from "../../../worker/teams/service";
import { PageBody, PageHeader } from "../../components/page";
import { RouteError } from "../../components/route-error";
import { Alert, Badge, Button, CheckboxField, Section, TextField } from "../../components/ui";
import { type FormFailure, failureFor } from "../../lib/forms";
import { ROLE_LABELS } from "../../lib/roles";
import { useActionResult } from "../../lib/use-action-result";
import { useSubmitting } from "../../lib/use-pending";
import type { ActionSuccess, action, loader, TeamMember } from "./teams.server";

export { action, loader } from "./teams.server";

export const meta: MetaFunction = () => [{ title: "Teams · Settings · Switchboard" }];

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
type ActionData = ActionSuccess | FormFailure | undefined;

const hasFieldErrors = (failure: FormFailure) => Object.keys(failure.fieldErrors).length > 0;

export default function TeamsSettings() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionResult<typeof action>() as ActionData;
  const failure = actionData && !actionData.ok ? actionData : undefined;
  const created = actionData?.ok && actionData.intent === "create-team" ? actionData : undefined;
  return (
    <>
      <PageHeader
        eyebrow="Settings"
        title="Teams"
        description="Teams group members: a manager may edit records owned by members of their teams."
      />
      <PageBody>
        {!data.canManage ? (
          <Alert tone="info" focusOnMount={false}>
            Only owners and admins can change teams. Here is who belongs to which.
          </Alert>
        ) : null}
        {actionData?.ok ? <Alert tone="success">{actionData.message}</Alert> : null}
        {failure && !hasFieldErrors(failure) ? (
          <Alert title="That change was not saved">{failure.message}</Alert>
        ) : null}
        <TeamsSection data={data} failure={failure} />
        {data.canManage ? (
          <NewTeamSection
            key={created?.teamId ?? "new-team"}
            members={data.members}
            failure={failureFor(actionData, "create-team")}
          />
        ) : null}
      </PageBody>
    </>
  );
}

function TeamsSection({ data, failure }: { data: LoaderData; failure: FormFailure | undefined }) {
  const count = data.teams.length;
  return (
    <Section
      id="teams"
      title="Teams"
      description={count === 0 ? "No teams yet." : `${count} ${count === 1 ? "team" : "teams"}.`}
    >
      {count > 0 ? (
        <ul className="divide-y divide-slate-100">
          {data.teams.map((team) => (
            <TeamRow
              key={`${team.id}:${team.name}:${team.memberIds.join(",")}`}
              team={team}
              members={data.members}
              editable={data.canManage}
              failure={failure?.values.teamId === team.id ? failure : undefined}
            />
          ))}
        </ul>
      ) : (
        <p className="px-5 py-6 text-sm text-slate-600">
          {data.canManage ? "Create the first one below." : "An owner or admin can create them."}
        </p>
      )}
    </Section>
  );
}

function TeamRow({
  team,
  members,
  editable,
  failure,
}: {
  team: TeamView;
  members: TeamMember[];
  editable: boolean;
  failure: FormFailure | undefined;
}) {
  const inTeam = members.filter((member) => team.memberIds.includes(member.userId));
  return (
    <li className="px-5 py-4">
      <p className="flex flex-wrap items-center gap-2 text-sm font-medium text-slate-900">
        {team.name}
        <Badge>
          {inTeam.length} {inTeam.length === 1 ? "member" : "members"}
        </Badge>
      </p>
      {inTeam.length > 0 ? (
        <ul aria-label={`Members of ${team.name}`} className="mt-2 flex flex-wrap gap-1">
          {inTeam.map((member) => (
            <li
              key={member.userId}
              className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700"
            >
              {memberLabel(member)}
            </li>
          ))}
        </ul>
      ) : null}
      {editable ? <ManageTeam team={team} members={members} failure={failure} /> : null}
    </li>
  );
}

/** "Dana Reyes · Manager", or "Dana Reyes · deactivated". */
function memberLabel(member: TeamMember) {
  return `${member.name} · ${member.active ? ROLE_LABELS[member.role] : "deactivated"}`;
}

function ManageTeam({
  team,
  members,
  failure,
}: {
  team: TeamView;
  members: TeamMember[];
  failure: FormFailure | undefined;
}) {
  const saving = useSubmitting("update-team", { name: "teamId", value: team.id });
  const editFailure = failure?.intent === "update-team" ? failure : undefined;
  return (
    <details className="mt-3" open={Boolean(editFailure) || undefined}>
      <summary className="cursor-pointer text-xs font-medium text-indigo-700">
        Edit<span className="sr-only"> team {team.name}</span>
      </summary>
      <Form method="post" className="mt-3 space-y-4" noValidate preventScrollReset>
        <input type="hidden" name="intent" value="update-team" />
        <input type="hidden" name="teamId" value={team.id} />
        <TeamFields team={team} members={members} failure={editFailure} />
        <Button size="sm" pending={saving}>
          Save team
        </Button>
      </Form>
      <DeleteTeam team={team} />
    </details>
  );
}

function DeleteTeam({ team }: { team: TeamView }) {
  const deleting = useSubmitting("delete-team", { name: "teamId", value: team.id });
  return (
    <details className="mt-4 border-t border-slate-100 pt-3">
      <summary className="cursor-pointer text-xs font-medium text-red-700">
        Delete<span className="sr-only"> team {team.name}</span>…
      </summary>
      <Form method="post" className="mt-2 space-y-3" preventScrollReset>
        <input type="hidden" name="intent" value="delete-team" />
        <input type="hidden" name="teamId" value={team.id} />
        <p className="text-sm text-slate-800">
          Delete “{team.name}”? Its managers can no longer edit its members’ records through it.
          Records and members stay.
        </p>
        <Button variant="danger" size="sm" pending={deleting}>
          Delete team
        </Button>
      </Form>
    </details>
  );
}

function NewTeamSection({
  members,
  failure,
}: {
  members: TeamMember[];
  failure: FormFailure | undefined;
}) {
  const creating = useSubmitting("create-team");
  return (
    <Section id="new-team" title="New team" description="Name it and pick its members.">
      <Form method="post" className="space-y-4 px-5 py-4" noValidate>
        <input type="hidden" name="intent" value="create-team" />
        <TeamFields members={members} failure={failure} />
        <Button pending={creating}>Create team</Button>
      </Form>
    </Section>
  );
}

/** The name and member checkboxes of the create and edit forms. */
function TeamFields({
  team,
  members,
  failure,
}: {
  team?: TeamView;
  members: TeamMember[];
  failure: FormFailure | undefined;
}) {
  const checked = failure ? (failure.values.memberIds?.split(",") ?? []) : (team?.memberIds ?? []);
  return (
    <>
      <TextField
        label="Name"
        name="name"
        required
        maxLength={80}
        placeholder={team ? undefined : "e.g. Sales East"}
        defaultValue={failure?.values.name ?? team?.name}
        errors={failure?.fieldErrors.name}
        className="max-w-sm"
      />
      <MemberChecklist
        members={members}
        checked={checked}
        errors={memberErrors(failure, members)}
        leaving={deactivatedIn(team, members)}
      />
    </>
  );
}

function deactivatedIn(team: TeamView | undefined, members: TeamMember[]) {
  return members.filter((member) => !member.active && team?.memberIds.includes(member.userId));
}

/**
 * The API's member errors (`memberIds` or `memberIds.<n>`, n indexing the posted ids), each
 * with the member's name when it points at one.
 */
function memberErrors(failure: FormFailure | undefined, members: TeamMember[]) {
  if (!failure) return undefined;
  const posted = failure.values.memberIds?.split(",") ?? [];
  const messages = Object.entries(failure.fieldErrors).flatMap(([field, errors]) => {
    const match = /^memberIds(?:\.(\d+))?$/.exec(field);
    if (!match) return [];
    const userId = match[1] === undefined ? undefined : posted[Number(match[1])];
    const name = members.find((member) => member.userId === userId)?.name;
    return errors.map((error) => (name ? `${name}: ${error}` : error));
  });
  return messages.length > 0 ? messages : undefined;
}

function MemberChecklist({
  members,
  checked,
  errors,
  leaving,
}: {
  members: TeamMember[];
  checked: string[];
  errors: string[] | undefined;
  /** Deactivated members of the team: saving drops them (only active members can join). */
  leaving: TeamMember[];
}) {
  const active = members.filter((member) => member.active);
  const errorId = useId();
  return (
    <fieldset aria-describedby={errors ? errorId : undefined}>
      <legend className="mb-1.5 text-sm font-medium text-slate-800">Members</legend>
      <div className="grid max-h-64 gap-2 overflow-y-auto py-0.5 sm:grid-cols-2 lg:grid-cols-3">
        {active.map((member) => (
          <CheckboxField
            key={member.userId}
            label={memberLabel(member)}
            name="memberIds"
            value={member.userId}
            defaultChecked={checked.includes(member.userId)}
          />
        ))}
      </div>
      {errors ? (
        <p id={errorId} className="mt-1.5 text-xs font-medium text-red-700">
          {errors.join(" ")}
        </p>
      ) : null}
      {leaving.length > 0 ? (
        <p className="mt-1.5 text-xs text-slate-600">
          Saving removes deactivated members: {leaving.map((member) => member.name).join(", ")}.
        </p>
      ) : null}
    </fieldset>
  );
}

export function ErrorBoundary() {
  return <RouteError />;
}
