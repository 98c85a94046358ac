import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/cloudflare";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { createApiKeyBodySchema } from "../../worker/api-keys/schemas";
import { createApiKey, listApiKeys, revokeApiKey } from "../../worker/api-keys/service";
import { can, type Role } from "../../worker/auth/permissions";
import { roleSchema } from "../../worker/auth/schemas";
import { createInvitationBodySchema } from "../../worker/invitations/schemas";
import {
  createInvitation,
  INVITATION_TTL_DAYS,
  listPendingInvitations,
  revokeInvitation,
} from "../../worker/invitations/service";
import { ApiError } from "../../worker/lib/errors";
import { listMembers, updateMember } from "../../worker/members/service";
import { CopyField } from "../components/copy-field";
import { KeyIcon, MailIcon } from "../components/icons";
import { PageBody, PageHeader } from "../components/page";
import { RouteError } from "../components/route-error";
import {
  Alert,
  Avatar,
  Badge,
  Button,
  buttonClass,
  Section,
  SelectField,
  TextField,
} from "../components/ui";
import { formFailure, parseForm, readForm } from "../lib/actions.server";
import { type FormFailure, failureFor } from "../lib/forms";
import { grantableRoleOptions, ROLE_LABELS } from "../lib/roles";
import { requireUser, runAsUser } from "../lib/session.server";
import { useSubmitting } from "../lib/use-pending";

export const meta: MetaFunction = () => [{ title: "Team · Settings · Switchboard" }];

const MEMBERS_PER_PAGE = 50;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireUser(request, context);
  const cursor = new URL(request.url).searchParams.get("cursor") ?? undefined;
  try {
    const data = await runAsUser(context, session, async (scope) => {
      const { role, userId } = scope.actor;
      const members = await listMembers(scope, { limit: MEMBERS_PER_PAGE, cursor });
      return {
        role,
        userId,
        canManageMembers: can(role, "members:manage"),
        members: members.rows,
        nextCursor: members.nextCursor,
        invitations: can(role, "invitations:manage") ? await listPendingInvitations(scope) : null,
        apiKeys: can(role, "api_keys:manage") ? await listApiKeys(scope) : null,
        invitationTtlDays: INVITATION_TTL_DAYS,
      };
    });
    return json({ ...data, paged: Boolean(cursor) }, { headers: session.headers });
  } catch (error) {
    // A stale or hand-edited ?cursor= starts over from the first page.
    if (cursor && error instanceof ApiError && error.status === 400) {
      throw redirect("/app/settings/team", { headers: session.headers });
    }
    throw error;
  }
}

const uuid = z.string().uuid("Unknown item.");
const memberRoleForm = z.object({ userId: uuid, role: roleSchema });
const memberForm = z.object({ userId: uuid });
const inviteForm = createInvitationBodySchema.strip();
const invitationForm = z.object({ invitationId: uuid });
const apiKeyForm = createApiKeyBodySchema.strip();
const apiKeyIdForm = z.object({ keyId: uuid });

type PlainIntent = "change-role" | "deactivate" | "reactivate" | "revoke-invitation" | "revoke-key";
type ActionSuccess =
  | { [I in PlainIntent]: { ok: true; intent: I; message: string } }[PlainIntent]
  | { ok: true; intent: "invite"; message: string; acceptUrl: string; email: string }
  | { ok: true; intent: "create-key"; message: string; secret: string; name: string };

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requireUser(request, context);
  const form = await readForm(request);
  const done = (result: ActionSuccess) => json(result, { headers: session.headers });
  try {
    switch (form.intent) {
      case "change-role": {
        const { userId, role } = parseForm(memberRoleForm, form.values);
        const member = await runAsUser(context, session, (scope) =>
          updateMember(scope, userId, { role }),
        );
        return done({
          ok: true,
          intent: form.intent,
          message: `${member.name} is now ${articled(member.role)}.`,
        });
      }
      case "deactivate":
      case "reactivate": {
        const { userId } = parseForm(memberForm, form.values);
        const status = form.intent === "deactivate" ? "deactivated" : "active";
        const member = await runAsUser(context, session, (scope) =>
          updateMember(scope, userId, { status }),
        );
        return done({
          ok: true,
          intent: form.intent,
          message:
            status === "active"
              ? `${member.name} can sign in again.`
              : `${member.name} was deactivated and signed out everywhere.`,
        });
      }
      case "invite": {
        const input = parseForm(inviteForm, form.values);
        const origin = new URL(request.url).origin;
        const created = await runAsUser(context, session, (scope) =>
          createInvitation(scope, input, origin),
        );
        return done({
          ok: true,
          intent: "invite",
          message: `Invitation created for ${created.invitation.email}.`,
          acceptUrl: created.acceptUrl,
          email: created.invitation.email,
        });
      }
      case "revoke-invitation": {
        const { invitationId } = parseForm(invitationForm, form.values);
        await runAsUser(context, session, (scope) => revokeInvitation(scope, invitationId));
        return done({ ok: true, intent: form.intent, message: "Invitation revoked." });
      }
      case "create-key": {
        const input = parseForm(apiKeyForm, form.values);
        const created = await runAsUser(context, session, (scope) => createApiKey(scope, input));
        return done({
          ok: true,
          intent: "create-key",
          message: `API key “${created.apiKey.name}” created.`,
          secret: created.secret,
          name: created.apiKey.name,
        });
      }
      case "revoke-key": {
        const { keyId } = parseForm(apiKeyIdForm, form.values);
        const key = await runAsUser(context, session, (scope) => revokeApiKey(scope, keyId));
        return done({ ok: true, intent: form.intent, message: `API key “${key.name}” revoked.` });
      }
      default:
        throw ApiError.badRequest("That action is not available on this page.");
    }
  } catch (error) {
    return formFailure(error, form, session.headers);
  }
}

function articled(role: Role) {
  const label = ROLE_LABELS[role].toLowerCase();
  return /^[aeiou]/.test(label) ? `an ${label}` : `a ${label}`;
}

const dateFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" });
function formatDate(iso: string | null) {
  return iso ? dateFormat.format(new Date(iso)) : "Never";
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
type ActionData = ActionSuccess | FormFailure | undefined;

function successFor<I extends ActionSuccess["intent"]>(data: ActionData, intents: I[]) {
  return data?.ok && (intents as string[]).includes(data.intent)
    ? (data as Extract<ActionSuccess, { intent: I }>)
    : undefined;
}

export default function TeamSettings() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData;
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
  const failure = MEMBER_INTENTS.map((intent) => failureFor(actionData, intent)).find(Boolean);
  const success = successFor(actionData, [...MEMBER_INTENTS]);
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
      {failure || success ? (
        <div className="px-5 pt-4">
          {failure ? (
            <Alert title="That change was not saved">{failure.message}</Alert>
          ) : success ? (
            <Alert tone="success">{success.message}</Alert>
          ) : null}
        </div>
      ) : null}
      <div className="overflow-x-auto">
        <table className="min-w-full text-left text-sm">
          <caption className="sr-only">Members of this organization</caption>
          <thead className="border-b border-slate-200 text-xs text-slate-600">
            <tr>
              <th scope="col" className="px-5 py-2.5 font-medium">
                Name
              </th>
              <th scope="col" className="px-3 py-2.5 font-medium">
                Role
              </th>
              <th scope="col" className="px-3 py-2.5 font-medium">
                Status
              </th>
              <th scope="col" className="hidden px-3 py-2.5 font-medium md:table-cell">
                Joined
              </th>
              <th scope="col" className="px-5 py-2.5 text-right font-medium">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {data.members.map((member) => {
              const isSelf = member.userId === data.userId;
              const editable =
                data.canManageMembers &&
                !isSelf &&
                (member.role !== "owner" || data.role === "owner");
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
          </tbody>
        </table>
      </div>
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
  const revokeFailure = failureFor(actionData, "revoke-invitation");
  const created = successFor(actionData, ["invite"]);
  const revoked = successFor(actionData, ["revoke-invitation"]);
  const inviting = useSubmitting("invite");
  return (
    <Section
      id="invite"
      title="Invitations"
      description={`Invite a teammate by email. They join through a link that works for ${ttlDays} days.`}
    >
      <div className="space-y-4 px-5 py-4">
        {created ? (
          <Alert tone="success" title={created.message}>
            <CopyField
              label="Invitation link"
              value={created.acceptUrl}
              hint={`Send this link to ${created.email}. Anyone with the link can join as that email.`}
            />
          </Alert>
        ) : null}
        {failure ? <Alert title="The invitation was not created">{failure.message}</Alert> : null}
        <Form
          method="post"
          // A fresh form (empty fields) after each invitation.
          key={created?.acceptUrl ?? "invite"}
          className="grid gap-3 sm:grid-cols-[1fr_10rem_auto] sm:items-start"
          noValidate
        >
          <input type="hidden" name="intent" value="invite" />
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
          <SelectField
            label="Role"
            name="role"
            defaultValue={failure?.values.role ?? "agent"}
            options={grantableRoleOptions(role)}
            errors={failure?.fieldErrors.role}
          />
          <Button className="sm:mt-[1.625rem]" pending={inviting}>
            <MailIcon className="size-4" />
            Create invitation
          </Button>
        </Form>
      </div>
      <div className="border-t border-slate-200">
        <h3 className="px-5 pt-4 pb-2 text-sm font-medium text-slate-900">Pending invitations</h3>
        {revoked ? (
          <div className="px-5 pb-2">
            <Alert tone="success">{revoked.message}</Alert>
          </div>
        ) : null}
        {revokeFailure ? (
          <div className="px-5 pb-2">
            <Alert>{revokeFailure.message}</Alert>
          </div>
        ) : null}
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
  const revokeFailure = failureFor(actionData, "revoke-key");
  const created = successFor(actionData, ["create-key"]);
  const revoked = successFor(actionData, ["revoke-key"]);
  const creating = useSubmitting("create-key");
  return (
    <Section
      id="api-keys"
      title="API keys"
      description="Keys let other systems use the Switchboard API with the role you choose."
    >
      <div className="space-y-4 px-5 py-4">
        {created ? (
          <Alert tone="success" title={created.message}>
            <CopyField
              label="New API key"
              value={created.secret}
              hint="Copy it now and store it somewhere safe: it will not be shown again."
            />
          </Alert>
        ) : null}
        {failure ? <Alert title="The key was not created">{failure.message}</Alert> : null}
        <Form
          method="post"
          key={created?.secret ?? "create-key"}
          className="grid gap-3 sm:grid-cols-[1fr_10rem_auto] sm:items-start"
          noValidate
        >
          <input type="hidden" name="intent" value="create-key" />
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
          <SelectField
            label="Role"
            name="role"
            defaultValue={failure?.values.role ?? "viewer"}
            options={grantableRoleOptions(role)}
            errors={failure?.fieldErrors.role}
          />
          <Button className="sm:mt-[1.625rem]" pending={creating}>
            <KeyIcon className="size-4" />
            Create key
          </Button>
        </Form>
      </div>
      <div className="border-t border-slate-200">
        {revoked ? (
          <div className="px-5 pt-4">
            <Alert tone="success">{revoked.message}</Alert>
          </div>
        ) : null}
        {revokeFailure ? (
          <div className="px-5 pt-4">
            <Alert>{revokeFailure.message}</Alert>
          </div>
        ) : null}
        {apiKeys.length === 0 ? (
          <p className="px-5 py-4 text-sm text-slate-600">No API keys yet.</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="min-w-full text-left text-sm">
              <caption className="sr-only">API keys</caption>
              <thead className="border-b border-slate-200 text-xs text-slate-600">
                <tr>
                  <th scope="col" className="px-5 py-2.5 font-medium">
                    Name
                  </th>
                  <th scope="col" className="px-3 py-2.5 font-medium">
                    Role
                  </th>
                  <th scope="col" className="px-3 py-2.5 font-medium">
                    Created
                  </th>
                  <th scope="col" className="px-3 py-2.5 font-medium">
                    Last used
                  </th>
                  <th scope="col" className="px-5 py-2.5 text-right font-medium">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {apiKeys.map((key) => (
                  <tr key={key.id} className={key.revokedAt ? "text-slate-500" : undefined}>
                    <td className="px-5 py-3">
                      <p className="font-medium text-slate-900">{key.name}</p>
                      <p className="font-mono text-xs text-slate-600">{key.hint}</p>
                    </td>
                    <td className="px-3 py-3">
                      <Badge>{ROLE_LABELS[key.role]}</Badge>
                    </td>
                    <td className="px-3 py-3 whitespace-nowrap text-slate-600">
                      {formatDate(key.createdAt)}
                    </td>
                    <td className="px-3 py-3 whitespace-nowrap text-slate-600">
                      {formatDate(key.lastUsedAt)}
                    </td>
                    <td className="px-5 py-3 text-right">
                      {key.revokedAt ? (
                        <Badge tone="danger">Revoked</Badge>
                      ) : (
                        <RevokeButton
                          intent="revoke-key"
                          field="keyId"
                          id={key.id}
                          label={`Revoke API key ${key.name}`}
                        />
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </Section>
  );
}

export function ErrorBoundary() {
  return <RouteError />;
}
