import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  redirect,
} from "@remix-run/cloudflare";
import { z } from "zod";
import { createApiKeyBodySchema } from "../../../worker/api-keys/schemas";
import { createApiKey, listApiKeys, revokeApiKey } from "../../../worker/api-keys/service";
import { can, type Role } from "../../../worker/auth/permissions";
import { roleSchema } from "../../../worker/auth/schemas";
import { createInvitationBodySchema } from "../../../worker/invitations/schemas";
import {
  createInvitation,
  INVITATION_TTL_DAYS,
  listPendingInvitations,
  revokeInvitation,
} from "../../../worker/invitations/service";
import { ApiError } from "../../../worker/lib/errors";
import { deactivationSummary, listMembers, updateMember } from "../../../worker/members/service";
import { formFailure, parseForm, readForm } from "../../lib/actions.server";
import { ROLE_LABELS } from "../../lib/roles";
import { requireUser, runAsUser } from "../../lib/session.server";

/*
 * Settings -> Team: the loader and action of app/routes/app.settings.team/route.tsx (which
 * keeps the page and re-exports these).
 */

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
export type ActionSuccess =
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
            status === "active" ? `${member.name} can sign in again.` : deactivationSummary(member),
        });
      }
      case "invite": {
        const input = parseForm(inviteForm, form.values);
        const created = await runAsUser(context, session, (scope) =>
          createInvitation(scope, input, context.config),
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
