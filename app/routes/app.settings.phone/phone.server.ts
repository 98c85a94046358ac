import {
  type ActionFunctionArgs,
  type AppLoadContext,
  json,
  type LoaderFunctionArgs,
} from "@remix-run/cloudflare";
import { z } from "zod";
import { can, type Role } from "../../../worker/auth/permissions";
import { listAgents, setExtension } from "../../../worker/call-center/agents";
import {
  createQueue,
  deleteQueue,
  listQueues,
  updateQueue,
} from "../../../worker/call-center/queues";
import {
  createQueueBodySchema,
  setExtensionBodySchema,
  updateQueueBodySchema,
} from "../../../worker/call-center/schemas";
import type { PbxStatus } from "../../../worker/calls/call-view";
import { ApiError } from "../../../worker/lib/errors";
import type { TenantScope } from "../../../worker/lib/scope";
import {
  createBridgeToken,
  listBridgeTokens,
  revokeBridgeToken,
} from "../../../worker/pbx/bridge-tokens";
import { disconnectRevokedBridge, gatewayOf, refreshRouting } from "../../../worker/pbx/gateway";
import { createBridgeTokenBodySchema } from "../../../worker/pbx/schemas";
import { formFailure, parseForm } from "../../lib/actions.server";
import { memberDirectory } from "../../lib/members.server";
import { type PostedForm, readPostedForm } from "../../lib/record-forms.server";
import { requireUser, runAsUser } from "../../lib/session.server";

/*
 * Settings -> Phone: the loader and action of app/routes/app.settings.phone/route.tsx (which
 * keeps the page and re-exports these).
 */

export interface PhoneMember {
  userId: string;
  name: string;
  email: string;
  role: Role;
}

async function activeMembers(scope: TenantScope): Promise<PhoneMember[]> {
  return (await memberDirectory(scope))
    .filter((member) => member.status === "active")
    .map(({ userId, name, email, role }) => ({ userId, name, email, role }));
}

/** The gateway's view of the bridge; null when the gateway could not be asked. */
async function pbxStatus(context: AppLoadContext, orgId: string): Promise<PbxStatus | null> {
  try {
    const gateway = await gatewayOf(context.env, orgId);
    return await gateway.status();
  } catch {
    return null;
  }
}

/** Where pbx-bridge connects: this host's /api/v1/pbx/bridge, wss:// behind https. */
function bridgeUrlOf(request: Request) {
  const url = new URL(request.url);
  return `${url.protocol === "https:" ? "wss:" : "ws:"}//${url.host}/api/v1/pbx/bridge`;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireUser(request, context);
  const canConfigure = can(session.me.role, "pbx:configure");
  const { orgId, ...data } = await runAsUser(context, session, async (scope) => ({
    orgId: scope.actor.orgId,
    agents: await listAgents(scope),
    queues: await listQueues(scope),
    members: await activeMembers(scope),
    tokens: canConfigure ? await listBridgeTokens(scope) : null,
  }));
  return json(
    {
      ...data,
      status: await pbxStatus(context, orgId),
      canConfigure,
      bridgeUrl: bridgeUrlOf(request),
    },
    { headers: session.headers },
  );
}

const uuid = z.string().uuid("Unknown item.");
const tokenRef = z.object({ tokenId: uuid });
const queueRef = z.object({ queueId: uuid });
const memberRef = z.object({ userId: uuid });

/** A posted number of seconds (ring timeout, wrap-up time), or a friendly field error. */
function secondsOf(
  form: PostedForm,
  field: "ringTimeoutSeconds" | "wrapUpSeconds",
  min: number,
  max: number,
): number | undefined {
  const raw = form.values[field]?.trim() ?? "";
  if (raw === "") return undefined;
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds < min || seconds > max) {
    throw ApiError.validation(
      { [field]: [`Enter whole seconds from ${min} to ${max}.`] },
      "Check the highlighted fields.",
    );
  }
  return seconds;
}

/** The queue members in ring order, plus the one picked in "Add member" (without JavaScript). */
function queueMemberIds(form: PostedForm): string[] {
  const ids = form.all("memberIds").filter(Boolean);
  const added = form.values.addMemberId?.trim();
  return added && !ids.includes(added) ? [...ids, added] : ids;
}

function queueFields(form: PostedForm) {
  return {
    name: form.values.name ?? "",
    ringTimeoutSeconds: secondsOf(form, "ringTimeoutSeconds", 5, 120),
    wrapUpSeconds: secondsOf(form, "wrapUpSeconds", 0, 3600),
    memberIds: queueMemberIds(form),
  };
}

type PlainIntent =
  | "revoke-token"
  | "set-extension"
  | "clear-extension"
  | "create-queue"
  | "update-queue"
  | "delete-queue";
export type ActionSuccess =
  | { [I in PlainIntent]: { ok: true; intent: I; message: string; id: string } }[PlainIntent]
  | { ok: true; intent: "create-token"; message: string; id: string; token: string };

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requireUser(request, context);
  const form = await readPostedForm(request);
  const done = (result: ActionSuccess) => json(result, { headers: session.headers });
  /** Work that changes routing: once committed, the bridge gets fresh routing data. */
  const routingChange = async <T>(work: (scope: TenantScope) => Promise<T>) => {
    let orgId = "";
    const result = await runAsUser(context, session, (scope) => {
      orgId = scope.actor.orgId;
      return work(scope);
    });
    context.ctx.waitUntil(refreshRouting(context.env, orgId).catch(() => {}));
    return result;
  };
  try {
    switch (form.intent) {
      case "create-token": {
        const body = parseForm(createBridgeTokenBodySchema, { name: form.values.name ?? "" });
        const created = await runAsUser(context, session, (scope) =>
          createBridgeToken(scope, body),
        );
        return done({
          ok: true,
          intent: "create-token",
          message: `Bridge token “${created.name}” created.`,
          id: created.id,
          token: created.token,
        });
      }
      case "revoke-token": {
        const { tokenId } = parseForm(tokenRef, form.values);
        const orgId = await runAsUser(context, session, async (scope) => {
          await revokeBridgeToken(scope, tokenId);
          return scope.actor.orgId;
        });
        await disconnectRevokedBridge(context.env, orgId, tokenId);
        return done({
          ok: true,
          intent: "revoke-token",
          message:
            "Bridge token revoked: a bridge using it is disconnected and cannot connect again.",
          id: tokenId,
        });
      }
      case "set-extension":
      case "clear-extension": {
        const { userId } = parseForm(memberRef, form.values);
        const { extension } = parseForm(setExtensionBodySchema, {
          extension:
            form.intent === "clear-extension" ? null : form.values.extension?.trim() || null,
        });
        const agent = await routingChange((scope) => setExtension(scope, userId, extension));
        return done({
          ok: true,
          intent: form.intent,
          message: agent
            ? `${agent.name} now takes calls on extension ${agent.extension}.`
            : "Extension removed: queues no longer ring this member.",
          id: userId,
        });
      }
      case "create-queue": {
        const body = parseForm(createQueueBodySchema, queueFields(form));
        const queue = await routingChange((scope) => createQueue(scope, body));
        return done({
          ok: true,
          intent: "create-queue",
          message: `Queue “${queue.name}” created.`,
          id: queue.id,
        });
      }
      case "update-queue": {
        const { queueId } = parseForm(queueRef, form.values);
        const body = parseForm(updateQueueBodySchema, queueFields(form));
        const queue = await routingChange((scope) => updateQueue(scope, queueId, body));
        return done({
          ok: true,
          intent: "update-queue",
          message: `Queue “${queue.name}” saved.`,
          id: queue.id,
        });
      }
      case "delete-queue": {
        const { queueId } = parseForm(queueRef, form.values);
        await routingChange((scope) => deleteQueue(scope, queueId));
        return done({ ok: true, intent: "delete-queue", message: "Queue deleted.", id: queueId });
      }
      default:
        throw ApiError.badRequest("That action is not available on this page.");
    }
  } catch (error) {
    // Refill the queue editor with the members in the order they were posted.
    return formFailure(
      error,
      { ...form, values: { ...form.values, memberIds: queueMemberIds(form).join(",") } },
      session.headers,
    );
  }
}
