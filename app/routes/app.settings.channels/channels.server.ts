import { type ActionFunctionArgs, json, type LoaderFunctionArgs } from "@remix-run/cloudflare";
import { z } from "zod";
import { can } from "../../../worker/auth/permissions";
import {
  CHANNEL_SECRET_NAMES,
  createChannelBodySchema,
  updateChannelBodySchema,
} from "../../../worker/channels/schemas";
import {
  createChannel,
  deleteChannel,
  listChannels,
  updateChannel,
} from "../../../worker/channels/service";
import { ApiError } from "../../../worker/lib/errors";
import type { TenantScope } from "../../../worker/lib/scope";
import { listTeams } from "../../../worker/teams/service";
import { formFailure, parseForm } from "../../lib/actions.server";
import { readPostedForm } from "../../lib/record-forms.server";
import { requireUser, runAsUser } from "../../lib/session.server";

/*
 * Settings -> Channels: the loader and action of app/routes/app.settings.channels/route.tsx.
 * Owners and admins connect WhatsApp numbers and create website chats; the page shows what
 * to paste where (Meta's webhook URL, the chat's script tag), never a secret.
 */

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireUser(request, context);
  const canManage = can(session.me.role, "channels:manage");
  const links = { appUrl: context.config.APP_URL };
  const { channels, teams } = canManage
    ? await runAsUser(context, session, async (scope) => ({
        channels: await listChannels(scope, links),
        teams: (await listTeams(scope)).map((team) => ({ id: team.id, name: team.name })),
      }))
    : { channels: [], teams: [] };
  return json({ channels, teams, canManage }, { headers: session.headers });
}

const channelRef = z.object({ channelId: z.string().uuid("Unknown channel.") });

/** Empty optional fields of a form are absent, not empty strings. */
function filled(values: Record<string, string>, names: readonly string[]) {
  return Object.fromEntries(
    names.flatMap((name) => {
      const value = values[name]?.trim();
      return value ? [[name, value]] : [];
    }),
  );
}

/** One origin per line (or separated by commas or spaces). */
function originsOf(text: string | undefined) {
  return (text ?? "").split(/[\s,]+/).filter(Boolean);
}

export type ActionSuccess = { ok: true; intent: string; channelId: string; message: string };

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requireUser(request, context);
  const form = await readPostedForm(request);
  const links = { appUrl: context.config.APP_URL };
  const run = <T>(work: (scope: TenantScope) => Promise<T>) => runAsUser(context, session, work);
  const done = (channelId: string, message: string) =>
    json<ActionSuccess>(
      { ok: true, intent: form.intent, channelId, message },
      { headers: session.headers },
    );
  const values = form.values;
  try {
    switch (form.intent) {
      case "create-whatsapp": {
        // The form's fields are the request's, named alike.
        const body = parseForm(createChannelBodySchema, { ...values, type: "whatsapp" });
        const channel = await run((scope) => createChannel(scope, links, body));
        return done(channel.id, `WhatsApp number “${channel.name}” connected.`);
      }
      case "create-webchat": {
        const body = parseForm(createChannelBodySchema, {
          type: "webchat",
          name: values.name ?? "",
          allowedOrigins: originsOf(values.allowedOrigins),
          greeting: values.greeting?.trim() || null,
          preChatForm: values.preChatForm === "on",
          ...filled(values, ["identitySecret"]),
        });
        const channel = await run((scope) => createChannel(scope, links, body));
        return done(channel.id, `Website chat “${channel.name}” created.`);
      }
      case "update-secrets": {
        const { channelId } = parseForm(channelRef, values);
        const body = parseForm(updateChannelBodySchema, filled(values, CHANNEL_SECRET_NAMES));
        if (Object.keys(body).length === 0) {
          throw ApiError.validation({}, "Type at least one new secret to replace.");
        }
        const channel = await run((scope) => updateChannel(scope, links, channelId, body));
        return done(channel.id, `Secrets of “${channel.name}” replaced.`);
      }
      case "update-assignment": {
        const { channelId } = parseForm(channelRef, values);
        const teamId = values.teamId?.trim();
        const cap = values.maxOpenPerAgent?.trim();
        const body = parseForm(updateChannelBodySchema, {
          assignment: teamId
            ? {
                teamId,
                mode: values.mode ?? "round_robin",
                maxOpenPerAgent: cap ? Number(cap) : null,
              }
            : null,
        });
        const channel = await run((scope) => updateChannel(scope, links, channelId, body));
        return done(
          channel.id,
          channel.assignment
            ? `New conversations of “${channel.name}” are assigned automatically.`
            : `New conversations of “${channel.name}” arrive unassigned.`,
        );
      }
      case "delete-channel": {
        const { channelId } = parseForm(channelRef, values);
        await run((scope) => deleteChannel(scope, channelId));
        return done(channelId, "Channel removed.");
      }
      default:
        throw ApiError.badRequest("That action is not available on this page.");
    }
  } catch (error) {
    return formFailure(error, form, session.headers);
  }
}
