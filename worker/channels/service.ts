import { and, asc, eq, isNull } from "drizzle-orm";
import { recordScopedAudit } from "../audit/service";
import { teams } from "../db/crm-schema";
import {
  type ChannelAssignment,
  type ChannelSettings,
  channelSecrets,
  channels,
  type WebchatChannelSettings,
  type WhatsAppChannelSettings,
} from "../db/inbox-schema";
import { newId } from "../lib/crypto";
import { ApiError, type FieldErrors } from "../lib/errors";
import { isUniqueViolation } from "../lib/postgres";
import { requirePermission, type TenantScope } from "../lib/scope";
import { forgetWebchatChannel } from "../webchat/channel";
import { forgetWebhookSecrets } from "../whatsapp/webhook-secrets";
import {
  CHANNEL_FIELDS,
  CHANNEL_SECRET_NAMES,
  type ChannelView,
  type CreateChannelBody,
  type UpdateChannelBody,
} from "./schemas";

/*
 * Channels: an organization's WhatsApp numbers and website chats. Admins create and change
 * them; their secrets are written here and read only by the code that uses them (webhook
 * checks, sending), never returned (docs/decisions/027).
 */

type ChannelRow = typeof channels.$inferSelect;
type SecretsRow = typeof channelSecrets.$inferSelect;

/** Where links in a channel's answer point (APP_URL). */
export interface ChannelLinks {
  appUrl: string;
}

function toView(links: ChannelLinks, row: ChannelRow, secrets: SecretsRow | null): ChannelView {
  const whatsapp = row.type === "whatsapp" ? (row.settings as WhatsAppChannelSettings) : null;
  const webchat = row.type === "webchat" ? (row.settings as WebchatChannelSettings) : null;
  return {
    id: row.id,
    type: row.type,
    name: row.name,
    webhookUrl: whatsapp ? `${links.appUrl}/webhooks/whatsapp/${row.id}` : null,
    phoneNumberId: whatsapp?.phoneNumberId ?? null,
    wabaId: whatsapp?.wabaId ?? null,
    allowedOrigins: webchat?.allowedOrigins ?? null,
    greeting: webchat ? webchat.greeting : null,
    preChatForm: webchat ? webchat.preChatForm : null,
    assignment: (whatsapp ?? webchat)?.assignment ?? null,
    embedSnippet: webchat
      ? `<script src="${links.appUrl}/widget.js" data-channel="${row.id}" async></script>`
      : null,
    secrets: {
      accessToken: Boolean(secrets?.accessToken),
      appSecret: Boolean(secrets?.appSecret),
      verifyToken: Boolean(secrets?.verifyToken),
      identitySecret: Boolean(secrets?.identitySecret),
    },
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

async function liveChannels(scope: TenantScope, id?: string) {
  return scope.tx
    .select({ channel: channels, secrets: channelSecrets })
    .from(channels)
    .leftJoin(channelSecrets, eq(channelSecrets.channelId, channels.id))
    .where(and(isNull(channels.deletedAt), id ? eq(channels.id, id) : undefined))
    .orderBy(asc(channels.createdAt), asc(channels.id));
}

async function liveChannel(scope: TenantScope, id: string) {
  const [found] = await liveChannels(scope, id);
  if (!found) throw ApiError.notFound("Channel");
  return found;
}

export async function listChannels(scope: TenantScope, links: ChannelLinks) {
  requirePermission(scope.actor, "channels:manage");
  const rows = await liveChannels(scope);
  return rows.map((row) => toView(links, row.channel, row.secrets));
}

/**
 * The organization's live channels by name and type only (no settings, no secrets): what the
 * inbox's channel filter offers every member who reads the inbox.
 */
export async function listChannelChoices(scope: TenantScope) {
  requirePermission(scope.actor, "inbox:read");
  return scope.tx
    .select({ id: channels.id, type: channels.type, name: channels.name })
    .from(channels)
    .where(isNull(channels.deletedAt))
    .orderBy(asc(channels.name), asc(channels.id));
}

export async function getChannel(scope: TenantScope, links: ChannelLinks, id: string) {
  requirePermission(scope.actor, "channels:manage");
  const found = await liveChannel(scope, id);
  return toView(links, found.channel, found.secrets);
}

function numberTaken(error: unknown): never {
  if (isUniqueViolation(error, "channels_whatsapp_number_key")) {
    throw ApiError.conflict("This WhatsApp number is connected to a channel already.", {
      phoneNumberId: ["Already connected."],
    });
  }
  throw error;
}

export async function createChannel(
  scope: TenantScope,
  links: ChannelLinks,
  input: CreateChannelBody,
): Promise<ChannelView> {
  requirePermission(scope.actor, "channels:manage");
  const id = newId();
  await assertAssignableTeam(scope, input.assignment);
  const settings: ChannelSettings =
    input.type === "whatsapp"
      ? { phoneNumberId: input.phoneNumberId, wabaId: input.wabaId, assignment: input.assignment }
      : {
          allowedOrigins: [...new Set(input.allowedOrigins)],
          greeting: input.greeting,
          preChatForm: input.preChatForm,
          assignment: input.assignment,
        };
  const [row] = await scope.tx
    .insert(channels)
    .values({
      id,
      orgId: scope.actor.orgId,
      type: input.type,
      name: input.name,
      settings,
      createdBy: scope.actor.userId,
    })
    .returning()
    .catch(numberTaken);
  if (!row) throw new Error("channel insert returned no row");
  const [secrets] = await scope.tx
    .insert(channelSecrets)
    .values({
      channelId: id,
      orgId: scope.actor.orgId,
      ...(input.type === "whatsapp"
        ? {
            accessToken: input.accessToken,
            appSecret: input.appSecret,
            verifyToken: input.verifyToken,
          }
        : { identitySecret: input.identitySecret ?? null }),
    })
    .returning();
  await auditChannel(scope, "channel.created", row, { type: row.type, name: row.name });
  return toView(links, row, secrets ?? null);
}

/** A channel's assignment names a team of this organization (422 otherwise). */
async function assertAssignableTeam(
  scope: TenantScope,
  assignment: ChannelAssignment | null | undefined,
) {
  if (!assignment) return;
  const [team] = await scope.tx
    .select({ id: teams.id })
    .from(teams)
    .where(eq(teams.id, assignment.teamId));
  if (!team) throw ApiError.validation({ "assignment.teamId": ["No such team."] });
}

/** The fields of `input` that a channel of this type does not have. */
function foreignFields(type: ChannelRow["type"], input: UpdateChannelBody): FieldErrors {
  const own = CHANNEL_FIELDS[type];
  const foreign = CHANNEL_FIELDS[type === "whatsapp" ? "webchat" : "whatsapp"].filter(
    (field) => !own.includes(field),
  );
  const errors: FieldErrors = {};
  for (const field of foreign) {
    if (input[field as keyof UpdateChannelBody] !== undefined) {
      errors[field] = [`A ${type} channel has no ${field}.`];
    }
  }
  return errors;
}

function nextSettings(row: ChannelRow, input: UpdateChannelBody): ChannelSettings {
  const assignment =
    input.assignment !== undefined
      ? input.assignment
      : ((row.settings as ChannelSettings).assignment ?? null);
  if (row.type === "whatsapp") {
    const current = row.settings as WhatsAppChannelSettings;
    return {
      phoneNumberId: input.phoneNumberId ?? current.phoneNumberId,
      wabaId: input.wabaId ?? current.wabaId,
      assignment,
    };
  }
  const current = row.settings as WebchatChannelSettings;
  return {
    assignment,
    allowedOrigins: input.allowedOrigins
      ? [...new Set(input.allowedOrigins)]
      : current.allowedOrigins,
    greeting: input.greeting !== undefined ? input.greeting : current.greeting,
    preChatForm: input.preChatForm ?? current.preChatForm,
  };
}

export async function updateChannel(
  scope: TenantScope,
  links: ChannelLinks,
  id: string,
  input: UpdateChannelBody,
): Promise<ChannelView> {
  requirePermission(scope.actor, "channels:manage");
  const found = await liveChannel(scope, id);
  const errors = foreignFields(found.channel.type, input);
  if (Object.keys(errors).length > 0) throw ApiError.validation(errors);
  await assertAssignableTeam(scope, input.assignment);
  forgetWebhookSecrets(id);
  forgetWebchatChannel(id);
  const [row] = await scope.tx
    .update(channels)
    .set({
      name: input.name,
      settings: nextSettings(found.channel, input),
      updatedAt: new Date(),
    })
    .where(eq(channels.id, id))
    .returning()
    .catch(numberTaken);
  if (!row) throw ApiError.notFound("Channel");
  const given = Object.keys(input).filter(
    (key) => input[key as keyof UpdateChannelBody] !== undefined,
  );
  const isSecret = (key: string) => (CHANNEL_SECRET_NAMES as readonly string[]).includes(key);
  const changedSecrets = given.filter(isSecret);
  let secrets = found.secrets;
  if (changedSecrets.length > 0) {
    const values = Object.fromEntries(
      changedSecrets.map((key) => [key, input[key as keyof UpdateChannelBody]]),
    );
    [secrets = null] = await scope.tx
      .update(channelSecrets)
      .set({ ...values, updatedAt: new Date() })
      .where(eq(channelSecrets.channelId, id))
      .returning();
  }
  const changed = given.filter((key) => !isSecret(key));
  // The audit entry names what changed, never a secret's value.
  await auditChannel(scope, "channel.updated", row, { changed, secretsChanged: changedSecrets });
  return toView(links, row, secrets);
}

/** Removes a channel: its webhooks and chat stop at once; its secrets are erased. */
export async function deleteChannel(scope: TenantScope, id: string): Promise<void> {
  requirePermission(scope.actor, "channels:manage");
  const found = await liveChannel(scope, id);
  forgetWebhookSecrets(id);
  forgetWebchatChannel(id);
  await scope.tx
    .update(channels)
    .set({ deletedAt: new Date(), updatedAt: new Date() })
    .where(eq(channels.id, id));
  await scope.tx.delete(channelSecrets).where(eq(channelSecrets.channelId, id));
  await auditChannel(scope, "channel.deleted", found.channel, {
    type: found.channel.type,
    name: found.channel.name,
  });
}

async function auditChannel(
  scope: TenantScope,
  action: "channel.created" | "channel.updated" | "channel.deleted",
  row: ChannelRow,
  metadata: Record<string, unknown>,
) {
  await recordScopedAudit(scope, {
    action,
    target: { type: "channel", id: row.id },
    metadata,
  });
}
