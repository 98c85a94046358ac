import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import type { VisitorEvent } from "../../shared/webchat";
import { hmacSha256Hex } from "../../worker/lib/crypto";
import { call, connectSocket, expectErrorEnvelope, type Session, signUp } from "./helpers";
import { eventually, listConversations, listMessages } from "./inbox-helpers";
import {
  type Chat,
  createChat,
  IDENTITY_SECRET,
  ORIGIN,
  OTHER_ORIGIN,
  openVisitorSocket,
  reply,
  startSession,
  visitorCall,
  visitorMessages,
  write,
} from "./webchat-helpers";

/* The website chat's visitor API (worker/webchat/), as the widget uses it. */

let owner: Session;
let chat: Chat;

beforeAll(async () => {
  owner = await signUp("webchat");
  chat = await createChat(owner);
});

describe("a visitor's session", () => {
  it("starts from an allowed origin, writes, and the team's inbox shows it with its contact", async () => {
    const session = await startSession(chat, { name: "Jane Visitor", email: "jane@visitor.test" });
    expect(session).toMatchObject({
      greeting: "Hi! How can we help?",
      preChatForm: true,
      agentsOnline: false,
      conversation: null,
      messages: [],
      visitor: { name: "Jane Visitor", email: "jane@visitor.test", identified: false },
    });
    const sent = await write(chat, session.visitorToken, "  Do you ship to Norway?  ");
    expect(sent.message).toMatchObject({
      direction: "incoming",
      body: "Do you ship to Norway?",
      status: "received",
    });

    const conversations = await listConversations(owner, `?channelId=${chat.id}`);
    const conversation = conversations.find((c) => c.id === sent.conversation.id);
    expect(conversation).toMatchObject({
      channel: { id: chat.id, type: "webchat" },
      status: "open",
      unreadCount: 1,
      messageCount: 1,
      lastMessagePreview: "Do you ship to Norway?",
    });
    expect(conversation?.externalId).toMatch(/^visitor:/);
    expect(conversation?.contact?.name).toBe("Jane Visitor");
    const contact = await call<{ emails: { email: string }[] }>(
      `/contacts/${conversation?.contact?.id}`,
      { token: owner.accessToken },
    );
    expect(contact.status).toBe(200);
    expect(contact.body.data.emails).toEqual([{ email: "jane@visitor.test", primary: true }]);

    // A second message joins the same conversation; a reload (same token) shows both.
    await write(chat, session.visitorToken, "And to Sweden?");
    const again = await startSession(chat, { visitorToken: session.visitorToken });
    expect(again.conversation).toEqual({ id: sent.conversation.id, status: "open" });
    expect(again.messages.map((m) => m.body)).toEqual(["Do you ship to Norway?", "And to Sweden?"]);
    expect(again.visitor.name).toBe("Jane Visitor");
  });

  it("says whether anyone of the team is online", async () => {
    const socket = await connectSocket({ authorization: `Bearer ${owner.accessToken}` });
    try {
      await socket.waitFor((event) => event.type === "presence.snapshot");
      const session = await startSession(chat);
      expect(session.agentsOnline).toBe(true);
    } finally {
      socket.socket.close();
    }
  });

  it("answers only the channel's allowed origins", async () => {
    const denied = await visitorCall(chat, "/session", {
      method: "POST",
      body: {},
      origin: OTHER_ORIGIN,
    });
    expectErrorEnvelope(denied, 403, "forbidden");
    expect(denied.headers.get("access-control-allow-origin")).toBeNull();
    expectErrorEnvelope(
      await visitorCall(chat, "/session", { method: "POST", body: {}, origin: null }),
      403,
      "forbidden",
    );
    const session = await startSession(chat);
    expectErrorEnvelope(
      await visitorCall(chat, "/messages", { token: session.visitorToken, origin: OTHER_ORIGIN }),
      403,
    );
    const socket = await openVisitorSocket(chat, session.visitorToken, OTHER_ORIGIN);
    expect(socket.status).toBe(403);

    const preflight = await SELF.fetch(`http://switchboard.test/webchat/${chat.id}/messages`, {
      method: "OPTIONS",
      headers: {
        origin: ORIGIN,
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(preflight.headers.get("access-control-allow-headers")).toMatch(/authorization/i);
    const allowed = await visitorCall(chat, "/messages", { token: session.visitorToken });
    expect(allowed.headers.get("access-control-allow-origin")).toBe(ORIGIN);
  });

  it("is a 404 for an unknown or removed chat", async () => {
    expectErrorEnvelope(
      await visitorCall("00000000-0000-4000-8000-000000000000", "/session", {
        method: "POST",
        body: {},
      }),
      404,
      "not_found",
    );
    expectErrorEnvelope(await visitorCall("not-a-uuid", "/session", { method: "POST" }), 404);
    const removed = await createChat(owner);
    const session = await startSession(removed);
    const deleted = await call(`/channels/${removed.id}`, {
      method: "DELETE",
      token: owner.accessToken,
    });
    expect(deleted.status).toBe(200);
    expectErrorEnvelope(
      await visitorCall(removed, "/messages", {
        method: "POST",
        token: session.visitorToken,
        body: { body: "hello?" },
      }),
      404,
      "not_found",
    );
  });

  it("refuses a token of another chat", async () => {
    const other = await createChat(owner, { allowedOrigins: [ORIGIN] });
    const session = await startSession(chat);
    expectErrorEnvelope(
      await visitorCall(other, "/messages", {
        method: "POST",
        token: session.visitorToken,
        body: { body: "hi" },
      }),
      401,
      "unauthenticated",
    );
    expectErrorEnvelope(
      await visitorCall(other, "/messages", { token: session.visitorToken }),
      401,
    );
    expectErrorEnvelope(
      await visitorCall(other, "/session", {
        method: "POST",
        body: { visitorToken: session.visitorToken },
      }),
      401,
    );
    expect((await openVisitorSocket(other, session.visitorToken)).status).toBe(401);
    // Nor is a user's access token a visitor token.
    expectErrorEnvelope(await visitorCall(chat, "/messages", { token: owner.accessToken }), 401);
  });

  it("answers bad input with a clear 4xx", async () => {
    const session = await startSession(chat);
    const token = session.visitorToken;
    expectErrorEnvelope(
      await visitorCall(chat, "/messages", { method: "POST", token, body: { body: "   " } }),
      422,
      "validation_failed",
    );
    expectErrorEnvelope(
      await visitorCall(chat, "/messages", {
        method: "POST",
        token,
        body: { body: "x".repeat(4001) },
      }),
      422,
    );
    expectErrorEnvelope(
      await visitorCall(chat, "/messages", { method: "POST", token, body: { body: 42 } }),
      422,
    );
    expectErrorEnvelope(
      await visitorCall(chat, "/messages", { method: "POST", token, rawBody: "{nope" }),
      400,
      "invalid_json",
    );
    expectErrorEnvelope(
      await visitorCall(chat, "/messages", { method: "POST", token, body: { body: "a\u0000b" } }),
      422,
    );
    expectErrorEnvelope(
      await visitorCall(chat, "/messages", { method: "POST", body: { body: "no token" } }),
      401,
    );
    expectErrorEnvelope(
      await visitorCall(chat, "/session", { method: "POST", body: { email: "not-an-email" } }),
      422,
    );
    expectErrorEnvelope(
      await visitorCall(chat, "/session", { method: "POST", body: { identifier: "42" } }),
      422,
    );
    expectErrorEnvelope(
      await visitorCall(chat, "/session", { method: "POST", body: { surprise: true } }),
      422,
    );
    expectErrorEnvelope(
      await visitorCall(chat, "/session", { method: "POST", body: { visitorToken: "garbage" } }),
      401,
    );
    expectErrorEnvelope(
      await visitorCall(chat, "/messages", {
        method: "POST",
        token,
        rawBody: JSON.stringify({ body: "x".repeat(40_000) }),
      }),
      413,
    );
    const socket = await SELF.fetch(`http://switchboard.test/webchat/${chat.id}/socket`, {
      headers: { origin: ORIGIN },
    });
    expect(socket.status).toBe(426);
  });
});

describe("what a visitor sees", () => {
  it("never another visitor's messages, never a private note", async () => {
    const a = await startSession(chat, { name: "Visitor A" });
    const b = await startSession(chat, { name: "Visitor B" });
    const sentA = await write(chat, a.visitorToken, "I am A");
    await write(chat, b.visitorToken, "I am B");
    expect((await visitorMessages(chat, a.visitorToken)).map((m) => m.body)).toEqual(["I am A"]);
    expect((await visitorMessages(chat, b.visitorToken)).map((m) => m.body)).toEqual(["I am B"]);

    const note = await reply(owner, sentA.conversation.id, {
      note: true,
      body: "A looks like a bot",
    });
    expect(note.status).toBe(201);
    const answer = await reply(owner, sentA.conversation.id, { body: "Hello A, how can we help?" });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ data: { status: "sent" } });

    const seenByA = await visitorMessages(chat, a.visitorToken);
    expect(seenByA.map((m) => [m.direction, m.body])).toEqual([
      ["incoming", "I am A"],
      ["outgoing", "Hello A, how can we help?"],
    ]);
    expect(seenByA[1]?.author).toBe("webchat person");
    expect(JSON.stringify(seenByA)).not.toContain("bot");
    expect((await visitorMessages(chat, b.visitorToken)).map((m) => m.body)).toEqual(["I am B"]);
    // The team still has its note.
    const inbox = await listMessages(owner, sentA.conversation.id);
    expect(inbox.map((m) => m.private)).toEqual([false, true, false]);
  });

  it("gets the team's reply live on its socket, and the reply becomes delivered", async () => {
    const session = await startSession(chat, { name: "Live Visitor" });
    const sent = await write(chat, session.visitorToken, "Anyone there?");
    const response = await openVisitorSocket(chat, session.visitorToken);
    expect(response.status).toBe(101);
    const socket = response.webSocket;
    if (!socket) throw new Error("no socket");
    socket.accept();
    const frames: VisitorEvent[] = [];
    socket.addEventListener("message", (event) => {
      frames.push(JSON.parse(String(event.data)));
    });

    const note = await reply(owner, sent.conversation.id, { note: true, body: "secret note" });
    expect(note.status).toBe(201);
    const answer = await reply(owner, sent.conversation.id, { body: "Yes, we are!" });
    expect(answer.status).toBe(201);
    const replyId = (answer.body.data as { id: string }).id;
    await eventually(async () => {
      expect(frames).toContainEqual({
        type: "message.created",
        message: expect.objectContaining({
          id: replyId,
          body: "Yes, we are!",
          direction: "outgoing",
        }),
      });
    });
    expect(JSON.stringify(frames)).not.toContain("secret note");
    // The visitor's own messages reach their other tabs too.
    await write(chat, session.visitorToken, "Great, thanks");
    await eventually(async () => {
      expect(frames.map((f) => (f.type === "message.created" ? f.message.body : null))).toContain(
        "Great, thanks",
      );
    });
    await eventually(async () => {
      const inbox = await listMessages(owner, sent.conversation.id);
      expect(inbox.find((m) => m.id === replyId)?.status).toBe("delivered");
    });
    socket.close();
  });
});

describe("identified visitors", () => {
  it("joins the known contact when the site's hash is right", async () => {
    const known = await call<{ id: string }>("/contacts", {
      method: "POST",
      token: owner.accessToken,
      body: { firstName: "Known", lastName: "Customer", email: "known@customer.test" },
    });
    expect(known.status).toBe(201);
    const identifier = `user-${crypto.randomUUID()}`;
    const session = await startSession(chat, {
      identifier,
      identifierHash: hmacSha256Hex(IDENTITY_SECRET, identifier),
      email: "Known@Customer.test",
      name: "Someone Else",
    });
    expect(session.visitor).toMatchObject({ identified: true, email: "known@customer.test" });
    const sent = await write(chat, session.visitorToken, "It's me, the known one");
    const conversations = await listConversations(owner, `?channelId=${chat.id}`);
    const conversation = conversations.find((c) => c.id === sent.conversation.id);
    expect(conversation?.externalId).toBe(`user:${identifier}`);
    expect(conversation?.contact?.id).toBe(known.body.data.id);

    // The same person from another device (a new session, no token) sees the conversation.
    const elsewhere = await startSession(chat, {
      identifier,
      identifierHash: hmacSha256Hex(IDENTITY_SECRET, identifier).toUpperCase(),
    });
    expect(elsewhere.conversation?.id).toBe(sent.conversation.id);
    expect(elsewhere.messages.map((m) => m.body)).toEqual(["It's me, the known one"]);

    // Signed out on the site: the stored token no longer shows that conversation.
    const signedOut = await startSession(chat, { visitorToken: elsewhere.visitorToken });
    expect(signedOut.visitor.identified).toBe(false);
    expect(signedOut.conversation).toBeNull();
  });

  it("an anonymous visitor who signs in on the site keeps what they wrote, in one thread", async () => {
    const identifier = `user-${crypto.randomUUID()}`;
    const hash = hmacSha256Hex(IDENTITY_SECRET, identifier);
    // Earlier, signed in: a conversation of their own.
    const before = await startSession(chat, { identifier, identifierHash: hash });
    const own = await write(chat, before.visitorToken, "Signed in: where is order 7?");
    // Today, not signed in yet: they write anonymously.
    const anonymous = await startSession(chat, { name: "Anon Ann" });
    expect(anonymous.visitor.identified).toBe(false);
    const anon = await write(chat, anonymous.visitorToken, "Anonymous: my parcel is late");
    expect(anon.conversation.id).not.toBe(own.conversation.id);
    // Another visitor's anonymous chat stays theirs.
    const stranger = await startSession(chat);
    const strangers = await write(chat, stranger.visitorToken, "Stranger: hello?");

    // They sign in on the site: the widget shows their token with the identity.
    const signedIn = await startSession(chat, {
      visitorToken: anonymous.visitorToken,
      identifier,
      identifierHash: hash,
    });
    expect(signedIn.visitor.identified).toBe(true);
    expect(signedIn.conversation?.id).toBe(own.conversation.id);
    expect(signedIn.messages.map((m) => m.body)).toEqual([
      "Signed in: where is order 7?",
      "Anonymous: my parcel is late",
    ]);
    const conversations = await listConversations(owner, `?channelId=${chat.id}`);
    expect(conversations.map((c) => c.id)).not.toContain(anon.conversation.id);
    const merged = await call<{ status: string; mergedIntoId: string | null }>(
      `/conversations/${anon.conversation.id}`,
      { token: owner.accessToken },
    );
    expect(merged.body.data).toMatchObject({
      status: "resolved",
      mergedIntoId: own.conversation.id,
    });
    expect(conversations.find((c) => c.id === own.conversation.id)?.messageCount).toBe(2);
    const theirs = conversations.find((c) => c.id === strangers.conversation.id);
    expect(theirs?.externalId).toMatch(/^visitor:/);
    expect(theirs?.status).not.toBe("resolved");
    // The stranger still sees only their own message.
    expect((await visitorMessages(chat, stranger.visitorToken)).map((m) => m.body)).toEqual([
      "Stranger: hello?",
    ]);
    const audit = await call<{ action: string; metadata: Record<string, unknown> }[]>(
      "/audit-logs?action=webchat.visitor_identified",
      { token: owner.accessToken },
    );
    expect(audit.body.data.map((entry) => entry.action)).toContain("webchat.visitor_identified");
  });

  it("a newcomer who signs in keeps their anonymous conversation as it is, now theirs", async () => {
    const anonymous = await startSession(chat, { name: "New Nina" });
    const sent = await write(chat, anonymous.visitorToken, "Do you ship to Norway?");
    const identifier = `user-${crypto.randomUUID()}`;
    const signedIn = await startSession(chat, {
      visitorToken: anonymous.visitorToken,
      identifier,
      identifierHash: hmacSha256Hex(IDENTITY_SECRET, identifier),
    });
    expect(signedIn.conversation?.id).toBe(sent.conversation.id);
    const [conversation] = (await listConversations(owner, `?channelId=${chat.id}`)).filter(
      (c) => c.id === sent.conversation.id,
    );
    expect(conversation?.externalId).toBe(`user:${identifier}`);
    expect(conversation?.contact?.name).toBe("New Nina");
    // From another device, signed in, it is there too.
    const elsewhere = await startSession(chat, {
      identifier,
      identifierHash: hmacSha256Hex(IDENTITY_SECRET, identifier),
    });
    expect(elsewhere.messages.map((m) => m.body)).toEqual(["Do you ship to Norway?"]);
  });

  it("refuses a wrong hash with a 401", async () => {
    const answer = await visitorCall(chat, "/session", {
      method: "POST",
      body: { identifier: "42", identifierHash: hmacSha256Hex("another secret", "42") },
    });
    expectErrorEnvelope(answer, 401, "invalid_signature");
    const withoutSecret = await createChat(owner, { identitySecret: undefined });
    expectErrorEnvelope(
      await visitorCall(withoutSecret, "/session", {
        method: "POST",
        body: { identifier: "42", identifierHash: hmacSha256Hex(IDENTITY_SECRET, "42") },
      }),
      401,
    );
  });

  it("slows down a script posing as a visitor: 429 in the envelope, with the site's CORS headers", async () => {
    const owner = await signUp("webchat-limit");
    const chat = await createChat(owner, { preChatForm: false });
    const session = await startSession(chat);
    const answers: number[] = [];
    for (let index = 0; index < 45; index += 1) {
      const answer = await visitorCall(chat, "/messages", {
        method: "POST",
        token: session.visitorToken,
        body: { body: `message ${index}` },
      });
      answers.push(answer.status);
      if (answer.status === 429) {
        expect(answer.headers.get("access-control-allow-origin")).toBe(ORIGIN);
        expect(answer.headers.get("retry-after")).toBeTruthy();
        expectErrorEnvelope(answer, 429, "rate_limited");
        break;
      }
    }
    // 30 at once, and one more every two seconds while they go.
    const accepted = answers.filter((status) => status === 201).length;
    expect(accepted).toBeGreaterThanOrEqual(30);
    expect(accepted).toBeLessThan(40);
    expect(answers.at(-1)).toBe(429);
  });
});
