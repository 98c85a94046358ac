import type { MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useLoaderData } from "@remix-run/react";
import type { Role } from "../../../worker/auth/permissions";
import { CopyField } from "../../components/copy-field";
import { CreateSecretPanel, CredentialTable } from "../../components/credential-table";
import { KeyIcon, MailIcon } from "../../components/icons";
import { PageBody, PageHeader } from "../../components/page";
import { RouteError } from "../../components/route-error";
import { FormOutcome, SettingsTable } from "../../components/settings-parts";
import {
  Avatar,
  Badge,
  Button,
  buttonClass,
  Section,
  SelectField,
  TextField,
} from "../../components/ui";
import { type FormFailure, failureFor, failureForAny, successFor } from "../../lib/forms";
import { grantableRoleOptions, ROLE_LABELS } from "../../lib/roles";
import { useActionResult } from "../../lib/use-action-result";
import { useSubmitting } from "../../lib/use-pending";
import type { ActionSuccess, action, loader } from "./team.server";

export { action, loader } from "./team.server";

export const meta: MetaFunction = () => [{ title: "Team · Settings · Switchboard" }];

const dateFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" });
function formatDate(iso: string) {
  return dateFormat.format(new Date(iso));
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
type ActionData = ActionSuccess | FormFailure | undefined;

export default function TeamSettings() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionResult<typeof action>() as ActionData;
  return (
    <>
      <PageHeader
        eyebrow="Settings"
        title="Team"
        description="Who can use this workspace, what they can do, and how other systems connect."
      />
      <PageBody>
        <MembersSection data={data} actionData={actionData} />
        {data.invitations ? (
          <InvitationsSection
            invitations={data.invitations}
            ttlDays={data.invitationTtlDays}
            role={data.role}
            actionData={actionData}
          />
        ) : null}
        {data.apiKeys ? (
          <ApiKeysSection apiKeys={data.apiKeys} role={data.role} actionData={actionData} />
        ) : null}
      </PageBody>
    </>
  );
}

const MEMBER_INTENTS = ["change-role", "deactivate", "reactivate"] as const;

function MembersSection({ data, actionData }: { data: LoaderData; actionData: ActionData }) {
  const failure = failureForAny(actionData, MEMBER_INTENTS);
  const success = successFor(actionData, MEMBER_INTENTS);
  return (
    <Section
      id="members"
      title="Members"
      description={
        data.canManageMembers
          ? "Change roles, or deactivate someone to sign them out everywhere."
          : "Everyone in this workspace. Only owners and admins can change roles."
      }
    >
      <FormOutcome
        className="px-5 pt-4"
        failure={failure}
        success={success}
        failureTitle="That change was not saved"
      />
      <SettingsTable
        caption="Members of this organization"
        columns={["Name", "Role", "Status", { label: "Joined", wide: true }]}
        actions
        stack
      >
        {data.members.map((member) => {
          const isSelf = member.userId === data.userId;
          const editable =
            data.canManageMembers && !isSelf && (member.role !== "owner" || data.role === "owner");
          return (
            <MemberRow
              key={member.userId}
              member={member}
              isSelf={isSelf}
              editable={editable}
              actorRole={data.role}
              failure={failure?.values.userId === member.userId ? failure : undefined}
            />
          );
        })}
      </SettingsTable>
      {data.nextCursor || data.paged ? (
        <div className="flex justify-between gap-3 border-t border-slate-200 px-5 py-3 text-sm">
          {data.paged ? (
            <Link to="/app/settings/team" className={buttonClass("secondary", "sm")}>
              First page
            </Link>
          ) : (
            <span />
          )}
          {data.nextCursor ? (
            <Link
              to={`?cursor=${encodeURIComponent(data.nextCursor)}`}
              className={buttonClass("secondary", "sm")}
            >
              Next page
            </Link>
          ) : null}
        </div>
      ) : null}
    </Section>
  );
}

function MemberRow({
  member,
  isSelf,
  editable,
  actorRole,
  failure,
}: {
  member: LoaderData["members"][number];
  isSelf: boolean;
  editable: boolean;
  actorRole: Role;
  failure: FormFailure | undefined;
}) {
  const savingRole = useSubmitting("change-role", { name: "userId", value: member.userId });
  const deactivating = useSubmitting("deactivate", { name: "userId", value: member.userId });
  const reactivating = useSubmitting("reactivate", { name: "userId", value: member.userId });
  const togglingStatus = deactivating || reactivating;
  const active = member.status === "active";
  return (
    <tr className={active ? undefined : "bg-slate-50/60"}>
      <td className="px-5 py-3">
        <div className="flex items-center gap-3">
          <Avatar name={member.name} />
          <div className="min-w-0">
            <p className="truncate font-medium text-slate-900">
              {member.name}
              {isSelf ? <span className="font-normal text-slate-500"> (you)</span> : null}
            </p>
            <p className="truncate text-xs text-slate-600">{member.email}</p>
          </div>
        </div>
      </td>
      <td className="px-3 py-3">
        {editable ? (
          <Form method="post" className="flex items-start gap-2">
            <input type="hidden" name="intent" value="change-role" />
            <input type="hidden" name="userId" value={member.userId} />
            <SelectField
              label={`Role for ${member.name}`}
              hideLabel
              name="role"
              defaultValue={failure?.intent === "change-role" ? failure.values.role : member.role}
              key={member.role}
              options={grantableRoleOptions(actorRole)}
              errors={failure?.fieldErrors.role}
              size="sm"
              className="w-32"
            />
            <Button variant="secondary" size="sm" pending={savingRole}>
              Save<span className="sr-only"> role for {member.name}</span>
            </Button>
          </Form>
        ) : (
          <Badge tone={member.role === "owner" ? "accent" : "neutral"}>
            {ROLE_LABELS[member.role]}
          </Badge>
        )}
      </td>
      <td className="px-3 py-3">
        {active ? <Badge tone="success">Active</Badge> : <Badge>Deactivated</Badge>}
      </td>
      <td className="hidden px-3 py-3 whitespace-nowrap text-slate-600 md:table-cell">
        {formatDate(member.joinedAt)}
      </td>
      <td className="px-5 py-3 text-right">
        {editable ? (
          <Form method="post">
            <input type="hidden" name="intent" value={active ? "deactivate" : "reactivate"} />
            <input type="hidden" name="userId" value={member.userId} />
            <Button variant={active ? "danger" : "secondary"} size="sm" pending={togglingStatus}>
              {active ? "Deactivate" : "Reactivate"}
              <span className="sr-only"> {member.name}</span>
            </Button>
          </Form>
        ) : null}
      </td>
    </tr>
  );
}

function InvitationsSection({
  invitations,
  ttlDays,
  role,
  actionData,
}: {
  invitations: NonNullable<LoaderData["invitations"]>;
  ttlDays: number;
  role: Role;
  actionData: ActionData;
}) {
  const failure = failureFor(actionData, "invite");
  const created = successFor(actionData, ["invite"]);
  return (
    <Section
      id="invite"
      title="Invitations"
      description={`Invite a teammate by email. They join through a link that works for ${ttlDays} days.`}
    >
      <CreateSecretPanel
        intent="invite"
        shown={
          created && {
            message: created.message,
            secret: created.acceptUrl,
            fields: (
              <CopyField
                label="Invitation link"
                value={created.acceptUrl}
                hint={`Send this link to ${created.email}. Anyone with the link can join as that email.`}
              />
            ),
          }
        }
        failure={failure}
        failureTitle="The invitation was not created"
        columns="sm:grid-cols-[1fr_10rem_auto]"
        icon={MailIcon}
        submitLabel="Create invitation"
      >
        <TextField
          label="Email address"
          name="email"
          type="email"
          autoComplete="off"
          placeholder="teammate@company.com"
          required
          defaultValue={failure?.values.email}
          errors={failure?.fieldErrors.email}
        />
        <RoleField grantor={role} failure={failure} fallback="agent" />
      </CreateSecretPanel>
      <div className="border-t border-slate-200">
        <h3 className="px-5 pt-4 pb-2 text-sm font-medium text-slate-900">Pending invitations</h3>
        <FormOutcome
          className="px-5 pb-2"
          failure={failureFor(actionData, "revoke-invitation")}
          success={successFor(actionData, ["revoke-invitation"])}
        />
        {invitations.length === 0 ? (
          <p className="px-5 pb-5 text-sm text-slate-600">No invitations are waiting.</p>
        ) : (
          <ul className="divide-y divide-slate-100">
            {invitations.map((invitation) => (
              <li
                key={invitation.id}
                className="flex flex-wrap items-center justify-between gap-3 px-5 py-3"
              >
                <div className="min-w-0">
                  <p className="truncate text-sm font-medium text-slate-900">{invitation.email}</p>
                  <p className="text-xs text-slate-600">
                    {ROLE_LABELS[invitation.role]} · expires {formatDate(invitation.expiresAt)}
                  </p>
                </div>
                <RevokeButton
                  intent="revoke-invitation"
                  field="invitationId"
                  id={invitation.id}
                  label={`Revoke invitation for ${invitation.email}`}
                />
              </li>
            ))}
          </ul>
        )}
      </div>
    </Section>
  );
}

/** The role a new invitation or API key grants: one the signed-in member may hand out. */
function RoleField({
  grantor,
  failure,
  fallback,
}: {
  grantor: Role;
  failure: FormFailure | undefined;
  fallback: Role;
}) {
  return (
    <SelectField
      label="Role"
      name="role"
      defaultValue={failure?.values.role ?? fallback}
      options={grantableRoleOptions(grantor)}
      errors={failure?.fieldErrors.role}
    />
  );
}

function RevokeButton({
  intent,
  field,
  id,
  label,
}: {
  intent: string;
  field: string;
  id: string;
  label: string;
}) {
  const pending = useSubmitting(intent, { name: field, value: id });
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name={field} value={id} />
      <Button variant="danger" size="sm" pending={pending} aria-label={label}>
        Revoke
      </Button>
    </Form>
  );
}

function ApiKeysSection({
  apiKeys,
  role,
  actionData,
}: {
  apiKeys: NonNullable<LoaderData["apiKeys"]>;
  role: Role;
  actionData: ActionData;
}) {
  const failure = failureFor(actionData, "create-key");
  const created = successFor(actionData, ["create-key"]);
  return (
    <Section
      id="api-keys"
      title="API keys"
      description="Keys let other systems use the Switchboard API with the role you choose."
    >
      <CreateSecretPanel
        intent="create-key"
        shown={
          created && {
            message: created.message,
            secret: created.secret,
            fields: (
              <CopyField
                label="New API key"
                value={created.secret}
                hint="Copy it now and store it somewhere safe: it will not be shown again."
              />
            ),
          }
        }
        failure={failure}
        failureTitle="The key was not created"
        columns="sm:grid-cols-[1fr_10rem_auto]"
        icon={KeyIcon}
        submitLabel="Create key"
      >
        <TextField
          label="Key name"
          name="name"
          autoComplete="off"
          placeholder="e.g. Website sync"
          required
          maxLength={80}
          defaultValue={failure?.values.name}
          errors={failure?.fieldErrors.name}
        />
        <RoleField grantor={role} failure={failure} fallback="viewer" />
      </CreateSecretPanel>
      <CredentialTable
        caption="API keys"
        credentials={apiKeys}
        emptyText="No API keys yet."
        revokeOutcome={{
          failure: failureFor(actionData, "revoke-key"),
          success: successFor(actionData, ["revoke-key"]),
        }}
        extraColumns={[{ label: "Role", render: (key) => <Badge>{ROLE_LABELS[key.role]}</Badge> }]}
        time={formatDate}
        revokeControl={(key) => (
          <RevokeButton
            intent="revoke-key"
            field="keyId"
            id={key.id}
            label={`Revoke API key ${key.name}`}
          />
        )}
      />
    </Section>
  );
}

export function ErrorBoundary() {
  return <RouteError />;
}
