import { and, eq } from "drizzle-orm";
import type { Context } from "hono";
import type { VisitorMessage } from "../../shared/webchat";
import { conversations, messages } from "../db/inbox-schema";
import { hmacSha256Hex, verifyHmacSha256Hex } from "../lib/crypto";
import { ApiError } from "../lib/errors";
import { fileHeaders } from "../lib/file-response";
import type { AppEnv } from "../lib/hono";
import { mediaKey } from "../whatsapp/media";
import { webchatChannel } from "./channel";

/*
 * The team's files as a website visitor fetches them: `GET /webchat/:channelId/media/:id`
 * with `exp` and `sig`, a URL the Worker signs (HMAC-SHA256 with a key derived from its
 * signing key) for one message and the visitor of its conversation, valid for one to two
 * hours (aligned to the hour, so a picture's URL stays the same while the visitor reads).
 * An `<img>` sends no visitor token, so the signature is the permission: it names the
 * message, and is checked against the conversation's visitor, so no visitor can make one for
 * another's file. Anything wrong is a plain 404. See docs/decisions/040-inbox-outgoing-media.md.
 */

const HOUR = 3600;

function secretOf(config: { JWT_PRIVATE_JWK: string }) {
  return `webchat-media:${config.JWT_PRIVATE_JWK}`;
}

function signedText(channelId: string, externalId: string, messageId: string, exp: number) {
  return `${channelId}\n${externalId}\n${messageId}\n${exp}`;
}

/** The visitor's messages with their files' URLs filled in. */
export function withMediaUrls(
  config: { JWT_PRIVATE_JWK: string },
  channelId: string,
  externalId: string,
  list: VisitorMessage[],
  now = Date.now(),
): VisitorMessage[] {
  const exp = (Math.floor(now / 1000 / HOUR) + 2) * HOUR;
  const secret = secretOf(config);
  return list.map((message) => {
    if (!message.media) return message;
    const sig = hmacSha256Hex(secret, signedText(channelId, externalId, message.id, exp));
    return {
      ...message,
      media: {
        ...message.media,
        url: `/webchat/${channelId}/media/${message.id}?exp=${exp}&sig=${sig}`,
      },
    };
  });
}

/** `GET /webchat/:channelId/media/:messageId?exp&sig`: the file, or a 404. */
export async function serveVisitorMedia(c: Context<AppEnv>) {
  const channelId = c.req.param("channelId") ?? "";
  const messageId = c.req.param("messageId") ?? "";
  const exp = Number(c.req.query("exp"));
  const sig = c.req.query("sig") ?? "";
  const missing = () => ApiError.notFound("File");
  const now = Date.now() / 1000;
  if (!Number.isInteger(exp) || exp < now || exp > now + 3 * HOUR) throw missing();
  if (!/^[0-9a-f]{64}$/.test(sig) || !/^[0-9a-f-]{36}$/.test(messageId)) throw missing();
  const channel = await webchatChannel(c.var.database, channelId);
  if (!channel) throw missing();
  const [row] = await c.var.database.transaction({ orgId: channel.orgId, userId: null }, (tx) =>
    tx
      .select({ content: messages.content, externalId: conversations.externalId })
      .from(messages)
      .innerJoin(conversations, eq(conversations.id, messages.conversationId))
      .where(
        and(
          eq(messages.id, messageId),
          eq(messages.channelId, channelId),
          eq(conversations.channelId, channelId),
          eq(messages.private, false),
        ),
      ),
  );
  if (!row?.content.stored) throw missing();
  const valid = await verifyHmacSha256Hex(
    secretOf(c.var.config),
    signedText(channelId, row.externalId, messageId, exp),
    sig,
  );
  if (!valid) throw missing();
  const object = await c.env.MEDIA.get(mediaKey(channel.orgId, messageId));
  if (!object) throw missing();
  const filename = typeof row.content.filename === "string" ? row.content.filename : null;
  const headers = fileHeaders(object, filename);
  headers["Cache-Control"] = `private, max-age=${Math.max(0, Math.floor(exp - now))}`;
  // The widget shows it on the site's own pages.
  headers["Cross-Origin-Resource-Policy"] = "cross-origin";
  return c.body(object.body, 200, headers);
}
