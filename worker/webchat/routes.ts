import { type Context, Hono, type Next } from "hono";
import { z } from "zod";
import type { VisitorSession } from "../../shared/webchat";
import { deliverAfterCommit } from "../lib/after-commit";
import { verifyHmacSha256Hex } from "../lib/crypto";
import { ok } from "../lib/envelope";
import { ApiError } from "../lib/errors";
import type { AppEnv } from "../lib/hono";
import { zodFieldErrors } from "../lib/validation";
import { requireWebSocketUpgrade, upgradeRequestFor } from "../lib/websocket-upgrade";
import { enforceRateLimits, type RateLimitCheck } from "../rate-limit/enforce";
import { onlineMembers } from "../realtime/publish";
import { type WebchatChannel, webchatChannel } from "./channel";
import { claimAnonymousConversations } from "./identify";
import { serveVisitorMedia, withMediaUrls } from "./media";
import { readVisitorConversation, storeVisitorMessage, type Visitor } from "./service";
import type { VisitorSocket } from "./typing";
import { visitorRoomName } from "./visitor-room";
import { signVisitorToken, type VisitorClaims, verifyVisitorToken } from "./visitor-token";

/*
 * The website chat's public visitor API, outside /api/v1 and without user authentication
 * (docs/decisions/029-website-chat.md):
 * - POST /webchat/:channelId/session: a visitor token (new, renewed, or for the identity the
 *   site vouches for), the greeting, the pre-chat form, whether anyone is online, and the
 *   visitor's conversation with its messages;
 * - POST /webchat/:channelId/messages (Bearer visitor token): what the visitor writes;
 * - GET /webchat/:channelId/messages (Bearer): their conversation's messages;
 * - GET /webchat/:channelId/socket?token=...: their room's WebSocket (the team's replies live);
 * - GET /webchat/:channelId/media/:messageId?exp&sig: a file the team sent, by the signed URL
 *   the visitor's messages carry (./media.ts; no Origin check: an `<img>` sends none).
 * Every request, the upgrade included, must come from one of the channel's allowed origins
 * (another origin, or none, is a 403); CORS answers only those. A removed channel is a 404.
 */

interface WebchatEnv extends AppEnv {
  Variables: AppEnv["Variables"] & { channel: WebchatChannel; origin: string };
}
type WebchatContext = Context<WebchatEnv>;

/** JSON bodies of the visitor API are small: a message is at most 4,000 characters. */
export const MAX_WEBCHAT_BODY_BYTES = 32 * 1024;
export const MAX_VISITOR_MESSAGE_LENGTH = 4000;

const optionalText = (max: number) =>
  z.preprocess(
    (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
    z.string().trim().max(max).optional(),
  );

const sessionBodySchema = z
  .object({
    visitorToken: z.string().max(4096).optional(),
    name: optionalText(120),
    email: z.preprocess(
      (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
      z
        .string()
        .trim()
        .toLowerCase()
        .max(254)
        .pipe(z.email("Expected an e-mail address."))
        .optional(),
    ),
    identifier: optionalText(200),
    identifierHash: z
      .string()
      .trim()
      .regex(/^[0-9a-fA-F]{64}$/, "Expected the hex HMAC-SHA256 of the identifier.")
      .optional(),
  })
  .strict();

const messageBodySchema = z
  .object({
    body: z
      .string()
      .trim()
      .min(1, "Write a message.")
      .max(MAX_VISITOR_MESSAGE_LENGTH, `At most ${MAX_VISITOR_MESSAGE_LENGTH} characters.`),
  })
  .strict();

export function registerWebchatRoutes(app: Hono<AppEnv>) {
  // Before the channel's guard: pictures load without an Origin; the signature is the check.
  app.get("/webchat/:channelId/media/:messageId", serveVisitorMedia);
  const webchat = new Hono<WebchatEnv>();
  webchat.use("/:channelId/*", guardChannel);
  // After the guard, so a refusal still carries the site's CORS headers.
  webchat.use("/:channelId/*", (c, next) =>
    limit(c, [{ limit: "webchatByAddress", key: c.var.meta.ip ?? "unknown" }]).then(next),
  );
  webchat.post("/:channelId/session", startSession);
  webchat.get("/:channelId/messages", async (c) => {
    const visitor = await bearerVisitor(c);
    const conversation = await readVisitorConversation(c.var.database, visitor);
    return c.json(ok(signedMedia(c, visitor, conversation)));
  });
  webchat.post("/:channelId/messages", async (c) => {
    const visitor = await bearerVisitor(c);
    await limit(c, [
      {
        limit: "webchatMessagesByVisitor",
        key: `${visitor.channel.id}:${visitor.claims.sub}`,
      },
    ]);
    const { body } = await readBody(c, messageBodySchema);
    const stored = await storeVisitorMessage(
      c.var.database,
      deliverAfterCommit(c.env, (promise) => c.executionCtx.waitUntil(promise)),
      visitor,
      body,
      () => onlineMembers(c.env, visitor.channel.orgId),
    );
    return c.json(ok(stored, "Sent."), 201);
  });
  webchat.get("/:channelId/socket", async (c) => {
    requireWebSocketUpgrade(c);
    const visitor = await visitorFrom(c, c.req.query("token"));
    const room = c.env.VISITOR_ROOM.getByName(
      visitorRoomName(visitor.channel.id, visitor.claims.sub),
    );
    const identity: VisitorSocket = {
      orgId: visitor.channel.orgId,
      channelId: visitor.channel.id,
      sub: visitor.claims.sub,
      name: visitor.claims.name ?? null,
    };
    return room.fetch(upgradeRequestFor(c, "x-switchboard-visitor", identity));
  });
  app.route("/webchat", webchat);
}

/**
 * The live channel and the request's origin, checked on every request; CORS headers for the
 * allowed origin (and the preflight's answer).
 */
async function guardChannel(c: WebchatContext, next: Next) {
  const channel = await webchatChannel(c.var.database, c.req.param("channelId") ?? "");
  if (!channel) throw ApiError.notFound("Website chat");
  c.set("logContext", { orgId: channel.orgId });
  const origin = c.req.header("origin");
  if (!origin || !channel.settings.allowedOrigins.includes(origin)) {
    throw ApiError.forbidden(
      origin
        ? `This chat is not embedded on ${origin}; add the site to the channel's allowed origins.`
        : "The chat answers only pages of the channel's allowed origins (no Origin was sent).",
    );
  }
  c.set("channel", channel);
  c.set("origin", origin);
  if (c.req.method === "OPTIONS") {
    return new Response(null, {
      status: 204,
      headers: {
        ...corsHeaders(origin),
        "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
        "Access-Control-Allow-Headers": "Authorization, Content-Type",
        "Access-Control-Max-Age": "600",
      },
    });
  }
  await next();
  if (c.res.status === 101) return;
  for (const [name, value] of Object.entries(corsHeaders(origin))) c.res.headers.set(name, value);
}

/** Spends the visitor API's rate-limit tokens (429 in the envelope when one is empty). */
async function limit(c: WebchatContext, checks: RateLimitCheck[]) {
  if (c.req.method === "OPTIONS") return;
  await enforceRateLimits(c.env, c.var.config.RATE_LIMIT_MULTIPLIER, checks);
}

function corsHeaders(origin: string): Record<string, string> {
  return {
    "Access-Control-Allow-Origin": origin,
    "Access-Control-Expose-Headers": "X-Request-Id",
    Vary: "Origin",
  };
}

async function readBody<T extends z.ZodType>(c: WebchatContext, schema: T): Promise<z.infer<T>> {
  const text = await c.req.text();
  let raw: unknown = {};
  if (text.trim() !== "") {
    try {
      raw = JSON.parse(text);
    } catch {
      throw new ApiError(400, "invalid_json", "The request body is not valid JSON.");
    }
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw ApiError.validation(zodFieldErrors(parsed.error));
  return parsed.data;
}

function refused(message: string) {
  return new ApiError(401, "unauthenticated", message);
}

/** The conversation's files with URLs signed for this visitor. */
function signedMedia<T extends { messages: VisitorSession["messages"] }>(
  c: WebchatContext,
  visitor: Visitor,
  read: T,
): T {
  return {
    ...read,
    messages: withMediaUrls(c.var.config, visitor.channel.id, visitor.claims.sub, read.messages),
  };
}

/** The visitor a token names, for this channel only. */
async function visitorFrom(c: WebchatContext, token: string | undefined): Promise<Visitor> {
  if (!token) throw refused("Start a chat session first (no visitor token).");
  const claims = await verifyVisitorToken(c.var.config, token);
  if (!claims) throw refused("The visitor token is invalid or expired; start a new session.");
  if (claims.ch !== c.var.channel.id) throw refused("This visitor token belongs to another chat.");
  return { channel: c.var.channel, claims };
}

function bearerVisitor(c: WebchatContext): Promise<Visitor> {
  const header = c.req.header("authorization") ?? "";
  const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  return visitorFrom(c, token);
}

async function startSession(c: WebchatContext) {
  const input = await readBody(c, sessionBodySchema);
  const channel = c.var.channel;
  if (input.identifier !== undefined && input.identifierHash === undefined) {
    throw ApiError.validation({ identifierHash: ["Required with identifier."] });
  }
  if (input.identifierHash !== undefined && input.identifier === undefined) {
    throw ApiError.validation({ identifier: ["Required with identifierHash."] });
  }
  let previous: VisitorClaims | null = null;
  if (input.visitorToken) previous = (await visitorFrom(c, input.visitorToken)).claims;

  let sub: string;
  if (input.identifier !== undefined && input.identifierHash !== undefined) {
    const valid =
      channel.identitySecret !== null &&
      (await verifyHmacSha256Hex(
        channel.identitySecret,
        input.identifier,
        input.identifierHash.toLowerCase(),
      ));
    if (!valid) {
      throw new ApiError(
        401,
        "invalid_signature",
        channel.identitySecret
          ? "identifierHash is not the HMAC-SHA256 of identifier with this chat's identity secret."
          : "This chat has no identity secret, so it cannot verify identified visitors.",
      );
    }
    sub = `user:${input.identifier}`;
  } else if (previous?.sub.startsWith("visitor:")) {
    sub = previous.sub;
  } else {
    // A new visitor, or one the site identified before and no longer does (signed out there).
    sub = `visitor:${crypto.randomUUID()}`;
  }
  const same = previous?.sub === sub ? previous : null;
  const name = input.name ?? same?.name;
  const email = input.email ?? same?.email;
  const claims: VisitorClaims = {
    sub,
    ch: channel.id,
    ...(name ? { name } : {}),
    ...(email ? { email } : {}),
  };
  if (previous?.sub.startsWith("visitor:") && sub.startsWith("user:")) {
    // They signed in on the site: what they wrote anonymously becomes theirs (./identify.ts).
    await claimAnonymousConversations(
      c.var.database,
      deliverAfterCommit(c.env, (promise) => c.executionCtx.waitUntil(promise)),
      { channel, anonymous: previous, identified: claims },
      c.var.meta,
    );
  }
  const [visitorToken, conversation, agentsOnline] = await Promise.all([
    signVisitorToken(c.var.config, claims),
    readVisitorConversation(c.var.database, { channel, claims }).then((read) =>
      signedMedia(c, { channel, claims }, read),
    ),
    anyoneOnline(c, channel.orgId),
  ]);
  const session: VisitorSession = {
    visitorToken,
    greeting: channel.settings.greeting,
    preChatForm: channel.settings.preChatForm,
    agentsOnline,
    visitor: { name: name ?? null, email: email ?? null, identified: sub.startsWith("user:") },
    ...conversation,
  };
  return c.json(ok(session), 200);
}

/** Whether any member of the organization has the app open (the room's presence). */
async function anyoneOnline(c: WebchatContext, orgId: string): Promise<boolean> {
  try {
    return (await onlineMembers(c.env, orgId)).size > 0;
  } catch {
    return false;
  }
}
