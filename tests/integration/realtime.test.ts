import { env, evictDurableObject, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import {
  addMember,
  BASE,
  call,
  connectSocket as connect,
  expectErrorEnvelope,
  type LiveSocket,
  signUp,
} from "./helpers";

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe("realtime", () => {
  it("refuses sockets without a valid credential before upgrading", async () => {
    const anonymous = await SELF.fetch(`${BASE}/realtime`, { headers: { upgrade: "websocket" } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.webSocket).toBeNull();
    const forged = await SELF.fetch(`${BASE}/realtime`, {
      headers: { upgrade: "websocket", authorization: "Bearer a.b.c" },
    });
    expect(forged.status).toBe(401);
    expectErrorEnvelope(await call("/realtime"), 426);
  });

  it("tracks presence within the organization and delivers events to it alone", async () => {
    const owner = await signUp("live");
    const teammate = await addMember(owner, "agent", "live-mate");
    const outsider = await signUp("outsider");

    const ownerSocket = await connect(bearer(owner.accessToken));
    const snapshot = await ownerSocket.waitFor((event) => event.type === "presence.snapshot");
    expect(
      snapshot.type === "presence.snapshot" && snapshot.users.map((user) => user.userId),
    ).toEqual([owner.userId]);

    const outsiderSocket = await connect({ cookie: `sb_access=${outsider.accessToken}` });
    await outsiderSocket.waitFor((event) => event.type === "presence.snapshot");

    const teammateSocket = await connect(bearer(teammate.accessToken));
    const joined = await ownerSocket.waitFor((event) => event.type === "presence.joined");
    expect(joined).toMatchObject({
      type: "presence.joined",
      user: { userId: teammate.userId, role: "agent" },
    });
    const teammateSnapshot = await teammateSocket.waitFor(
      (event) => event.type === "presence.snapshot",
    );
    expect(
      teammateSnapshot.type === "presence.snapshot" &&
        teammateSnapshot.users.map((user) => user.userId).sort(),
    ).toEqual([owner.userId, teammate.userId].sort());

    // A committed change is published to the organization's room after commit.
    expect(
      (
        await call(`/users/${teammate.userId}`, {
          method: "PATCH",
          token: owner.accessToken,
          body: { role: "manager" },
        })
      ).status,
    ).toBe(200);
    const updated = await ownerSocket.waitFor((event) => event.type === "member.updated");
    expect(updated).toMatchObject({
      type: "member.updated",
      member: { userId: teammate.userId, role: "manager" },
    });

    teammateSocket.socket.close(1000, "bye");
    const left = await ownerSocket.waitFor((event) => event.type === "presence.left");
    expect(left).toMatchObject({ type: "presence.left", userId: teammate.userId });

    // The other organization saw none of it.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(outsiderSocket.events.map((event) => event.type)).toEqual(["presence.snapshot"]);
    expect(JSON.stringify(outsiderSocket.events)).not.toContain(owner.userId);

    ownerSocket.socket.send(JSON.stringify({ type: "ping" }));
    await ownerSocket.waitFor((event) => event.type === "pong");
    ownerSocket.socket.close();
    outsiderSocket.socket.close();
  });

  it("ignores what a client claims about its organization", async () => {
    const alpha = await signUp("claim-a");
    const beta = await signUp("claim-b");
    const betaSocket = await connect(bearer(beta.accessToken));
    await betaSocket.waitFor((event) => event.type === "presence.snapshot");
    const sneaky = await SELF.fetch(`${BASE}/realtime?room=${beta.orgId}`, {
      headers: {
        upgrade: "websocket",
        ...bearer(alpha.accessToken),
        "x-switchboard-presence": JSON.stringify({ userId: beta.userId, name: "x", role: "owner" }),
      },
    });
    const socket = sneaky.webSocket;
    socket?.accept();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(betaSocket.events.map((event) => event.type)).toEqual(["presence.snapshot"]);
    socket?.close();
    betaSocket.socket.close();
  });
});

describe("CRM changes in realtime", () => {
  it("publish record changes and deal moves to the organization only, after commit", async () => {
    const owner = await signUp("crm-live");
    const outsider = await signUp("crm-outsider");
    const ownerSocket = await connect(bearer(owner.accessToken));
    const outsiderSocket = await connect(bearer(outsider.accessToken));
    await ownerSocket.waitFor((event) => event.type === "presence.snapshot");
    await outsiderSocket.waitFor((event) => event.type === "presence.snapshot");

    const contact = await call<{ id: string }>("/contacts", {
      method: "POST",
      token: owner.accessToken,
      body: { firstName: "Live", lastName: "Wire" },
    });
    expect(contact.status).toBe(201);
    const created = await ownerSocket.waitFor((event) => event.type === "contact.created");
    expect(created).toMatchObject({ id: contact.body.data.id, version: 1, actorId: owner.userId });

    const invalid = await call("/contacts", {
      method: "POST",
      token: owner.accessToken,
      body: { firstName: "" },
    });
    expect(invalid.status).toBe(422);

    const board = await call<{ stages: { id: string }[] }>("/deals/board", {
      token: owner.accessToken,
    });
    const [first, second] = board.body.data.stages;
    const deal = await call<{ id: string; version: number }>("/deals", {
      method: "POST",
      token: owner.accessToken,
      body: { title: "Live deal", amount: 1000, currency: "EUR", stageId: first?.id },
    });
    const moved = await call(`/deals/${deal.body.data.id}`, {
      method: "PATCH",
      token: owner.accessToken,
      body: { stageId: second?.id, position: 0, version: deal.body.data.version },
    });
    expect(moved.status).toBe(200);
    const move = await ownerSocket.waitFor((event) => event.type === "deal.moved");
    expect(move).toMatchObject({
      id: deal.body.data.id,
      fromStageId: first?.id,
      toStageId: second?.id,
    });

    await new Promise((resolve) => setTimeout(resolve, 200));
    const ownerTypes = ownerSocket.events.map((event) => event.type);
    expect(ownerTypes.filter((type) => type === "contact.created")).toHaveLength(1);
    expect(outsiderSocket.events.map((event) => event.type)).toEqual(["presence.snapshot"]);
    ownerSocket.socket.close();
    outsiderSocket.socket.close();
  });

  it("tells viewers of a record who else is looking at it", async () => {
    const owner = await signUp("viewers");
    const mate = await addMember(owner, "agent", "viewer-mate");
    const a = await connect(bearer(owner.accessToken));
    const b = await connect(bearer(mate.accessToken));
    const record = `contact:${crypto.randomUUID()}`;
    a.socket.send(JSON.stringify({ type: "view", record }));
    b.socket.send(JSON.stringify({ type: "view", record }));
    const both = await a.waitFor(
      (event) =>
        event.type === "record.viewers" && event.record === record && event.users.length === 2,
    );
    expect(both.type === "record.viewers" && both.users.map((user) => user.userId).sort()).toEqual(
      [owner.userId, mate.userId].sort(),
    );
    b.socket.send(JSON.stringify({ type: "view", record: null }));
    await a.waitFor(
      (event) =>
        event.type === "record.viewers" && event.record === record && event.users.length === 1,
    );
    a.socket.close();
    b.socket.close();
  });
});

describe("typing in a record", () => {
  it("forwards typing to the others viewing the conversation, never to the sender, throttled", async () => {
    const owner = await signUp("typing");
    const mate = await addMember(owner, "agent", "typing-mate");
    const elsewhere = await addMember(owner, "agent", "typing-elsewhere");
    const outsider = await signUp("typing-outsider");
    const writer = await connect(bearer(owner.accessToken));
    const reader = await connect(bearer(mate.accessToken));
    const other = await connect(bearer(elsewhere.accessToken));
    const stranger = await connect(bearer(outsider.accessToken));
    const record = `conversation:${crypto.randomUUID()}`;
    writer.socket.send(JSON.stringify({ type: "view", record }));
    reader.socket.send(JSON.stringify({ type: "view", record }));
    other.socket.send(JSON.stringify({ type: "view", record: `deal:${crypto.randomUUID()}` }));
    stranger.socket.send(JSON.stringify({ type: "view", record }));
    // Conversations are records for presence too.
    await writer.waitFor(
      (event) =>
        event.type === "record.viewers" && event.record === record && event.users.length === 2,
    );

    writer.socket.send(JSON.stringify({ type: "typing", record }));
    const typing = await reader.waitFor((event) => event.type === "record.typing");
    expect(typing).toEqual({
      type: "record.typing",
      record,
      user: { userId: owner.userId, name: expect.any(String), role: "owner" },
    });

    // Within a second of the last one, a second frame is not forwarded; after it, it is.
    writer.socket.send(JSON.stringify({ type: "typing", record }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const typed = () => reader.events.filter((event) => event.type === "record.typing").length;
    expect(typed()).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 900));
    writer.socket.send(JSON.stringify({ type: "typing", record }));
    await reader.waitFor(() => typed() === 2);

    // Typing in a record one does not view, or one that is not a record key, goes nowhere.
    reader.socket.send(
      JSON.stringify({ type: "typing", record: `conversation:${crypto.randomUUID()}` }),
    );
    reader.socket.send(JSON.stringify({ type: "typing", record: "conversation:nope" }));
    // The reader's own typing reaches the writer, and the writer only.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    reader.socket.send(JSON.stringify({ type: "typing", record }));
    const back = await writer.waitFor((event) => event.type === "record.typing");
    expect(back).toMatchObject({ record, user: { userId: mate.userId } });

    await new Promise((resolve) => setTimeout(resolve, 300));
    const typingOf = (socket: LiveSocket) =>
      socket.events.filter((event) => event.type === "record.typing");
    expect(typingOf(writer)).toHaveLength(1);
    expect(typingOf(reader)).toHaveLength(2);
    expect(typingOf(other)).toEqual([]);
    expect(typingOf(stranger)).toEqual([]);

    // A room woken from hibernation knows again who views what.
    await evictDurableObject(env.TENANT_ROOM.getByName(owner.orgId));
    writer.socket.send(JSON.stringify({ type: "typing", record }));
    await reader.waitFor(() => typed() === 3);

    // Once the reader looks elsewhere, the writer's typing no longer reaches it.
    reader.socket.send(JSON.stringify({ type: "view", record: null }));
    await writer.waitFor(
      (event) =>
        event.type === "record.viewers" && event.record === record && event.users.length === 1,
    );
    await new Promise((resolve) => setTimeout(resolve, 1100));
    writer.socket.send(JSON.stringify({ type: "typing", record }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(typingOf(reader)).toHaveLength(3);
    for (const socket of [writer, reader, other, stranger]) socket.socket.close();
  });
});

describe("the room hibernates", () => {
  it("keeps presence, delivery and departures across hibernation", async () => {
    const owner = await signUp("hibernate");
    const mate = await addMember(owner, "agent", "hibernate-mate");
    const ownerSocket = await connect(bearer(owner.accessToken));
    const mateSocket = await connect(bearer(mate.accessToken));
    await ownerSocket.waitFor(
      (event) => event.type === "presence.joined" && event.user.userId === mate.userId,
    );
    const record = `deal:${crypto.randomUUID()}`;
    mateSocket.socket.send(JSON.stringify({ type: "view", record }));
    await ownerSocket.waitFor(
      (event) => event.type === "record.viewers" && event.record === record,
    );

    // The instance goes away; the sockets stay open, hibernated by the runtime.
    const room = env.TENANT_ROOM.getByName(owner.orgId);
    await evictDurableObject(room);

    // The new instance recounted presence from the sockets' attachments.
    expect((await room.presence()).map((user) => user.userId).sort()).toEqual(
      [owner.userId, mate.userId].sort(),
    );
    // Published events still reach both hibernated sockets.
    const contact = await call<{ id: string }>("/contacts", {
      method: "POST",
      token: owner.accessToken,
      body: { firstName: "Through", lastName: "Hibernation" },
    });
    expect(contact.status).toBe(201);
    for (const socket of [ownerSocket, mateSocket]) {
      await socket.waitFor(
        (event) => event.type === "contact.created" && event.id === contact.body.data.id,
      );
    }
    // A socket opened now sees both users; pings are answered.
    const late = await connect(bearer(owner.accessToken));
    const snapshot = await late.waitFor((event) => event.type === "presence.snapshot");
    expect(
      snapshot.type === "presence.snapshot" && snapshot.users.map((user) => user.userId).sort(),
    ).toEqual([owner.userId, mate.userId].sort());
    late.socket.send(JSON.stringify({ type: "ping" }));
    await late.waitFor((event) => event.type === "pong");

    // Record viewers were recounted too; a close after hibernation is a departure.
    await evictDurableObject(room);
    mateSocket.socket.close(1000, "bye");
    await ownerSocket.waitFor(
      (event) =>
        event.type === "record.viewers" && event.record === record && event.users.length === 0,
    );
    await ownerSocket.waitFor(
      (event) => event.type === "presence.left" && event.userId === mate.userId,
    );
    expect((await room.presence()).map((user) => user.userId)).toEqual([owner.userId]);
    ownerSocket.socket.close();
    late.socket.close();
  });

  it("stamps published frames with the commit and room times, once for every socket", async () => {
    const owner = await signUp("trace");
    const response = await SELF.fetch(`${BASE}/realtime`, {
      headers: { upgrade: "websocket", ...bearer(owner.accessToken) },
    });
    const socket = response.webSocket;
    if (!socket) throw new Error("no socket");
    socket.accept();
    const frames: string[] = [];
    socket.addEventListener("message", (message) => {
      frames.push(String(message.data));
    });
    const before = Date.now();
    const contact = await call<{ id: string }>("/contacts", {
      method: "POST",
      token: owner.accessToken,
      body: { firstName: "Traced", lastName: "Frame" },
    });
    expect(contact.status).toBe(201);
    const deadline = Date.now() + 5000;
    while (!frames.some((frame) => frame.includes(contact.body.data.id)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const frame = JSON.parse(frames.find((raw) => raw.includes(contact.body.data.id)) ?? "{}");
    expect(frame).toMatchObject({ type: "contact.created", id: contact.body.data.id });
    expect(frame.trace.committed).toBeGreaterThanOrEqual(before - 1000);
    expect(frame.trace.room).toBeGreaterThanOrEqual(frame.trace.committed);
    socket.close();
  });
});

/** The close code within `ms`, or "open" if the socket is still open then. */
function closeCodeWithin(socket: LiveSocket, ms: number): Promise<number | "open"> {
  return Promise.race([
    socket.closed,
    new Promise<"open">((resolve) => setTimeout(() => resolve("open"), ms)),
  ]);
}

const REVOKED = 4001;

describe("revocation reaches open sockets", () => {
  it("closes a deactivated member's sockets within a second; their token opens none again", async () => {
    const owner = await signUp("revoke-owner");
    const agent = await addMember(owner, "agent", "revoke-agent");
    const ownerSocket = await connect(bearer(owner.accessToken));
    const agentSocket = await connect(bearer(agent.accessToken));
    await agentSocket.waitFor((event) => event.type === "presence.snapshot");

    const deactivated = await call(`/users/${agent.userId}`, {
      method: "PATCH",
      token: owner.accessToken,
      body: { status: "deactivated" },
    });
    expect(deactivated.status).toBe(200);
    expect(await closeCodeWithin(agentSocket, 1000)).toBe(REVOKED);
    await ownerSocket.waitFor(
      (event) => event.type === "presence.left" && event.userId === agent.userId,
    );

    // Callers and records created afterwards never reach the deactivated member.
    const contact = await call<{ id: string }>("/contacts", {
      method: "POST",
      token: owner.accessToken,
      body: { firstName: "After", lastName: "Deactivation" },
    });
    expect(contact.status).toBe(201);
    await ownerSocket.waitFor((event) => event.type === "contact.created");
    expect(agentSocket.events.map((event) => event.type)).not.toContain("contact.created");

    // The access token is still unexpired, but the room refuses it.
    const again = await connect(bearer(agent.accessToken));
    expect(await closeCodeWithin(again, 1000)).toBe(REVOKED);
    expect(again.events).toEqual([]);
    ownerSocket.socket.close();
  });

  it("signing out closes that session's sockets and no other", async () => {
    const owner = await signUp("revoke-logout");
    const elsewhere = await call<{ accessToken: string }>("/auth/login", {
      method: "POST",
      body: { email: owner.email, password: owner.password },
    });
    expect(elsewhere.status).toBe(200);
    const here = await connect(bearer(owner.accessToken));
    const there = await connect(bearer(elsewhere.body.data.accessToken));
    await here.waitFor((event) => event.type === "presence.snapshot");
    await there.waitFor((event) => event.type === "presence.snapshot");

    const loggedOut = await call("/auth/logout", { method: "POST", token: owner.accessToken });
    expect(loggedOut.status).toBe(200);
    expect(await closeCodeWithin(here, 1000)).toBe(REVOKED);
    expect(await closeCodeWithin(there, 300)).toBe("open");
    there.socket.send(JSON.stringify({ type: "ping" }));
    await there.waitFor((event) => event.type === "pong");
    there.socket.close();
  });

  it("a role change closes the member's sockets; renewed tokens reconnect with the new role", async () => {
    const owner = await signUp("revoke-role");
    const agent = await addMember(owner, "agent", "revoke-role-agent");
    const agentSocket = await connect(bearer(agent.accessToken));
    await agentSocket.waitFor((event) => event.type === "presence.snapshot");

    const promoted = await call(`/users/${agent.userId}`, {
      method: "PATCH",
      token: owner.accessToken,
      body: { role: "manager" },
    });
    expect(promoted.status).toBe(200);
    expect(await closeCodeWithin(agentSocket, 1000)).toBe(REVOKED);

    // Tokens carry seconds: renew in a later second than the revocation, as the browser's
    // reconnect backoff does.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const renewed = await call<{ accessToken: string }>("/auth/refresh", {
      method: "POST",
      body: { refreshToken: agent.refreshToken },
    });
    expect(renewed.status).toBe(200);
    const ownerSocket = await connect(bearer(owner.accessToken));
    const agentAgain = await connect(bearer(renewed.body.data.accessToken));
    const snapshot = await agentAgain.waitFor((event) => event.type === "presence.snapshot");
    expect(snapshot.type === "presence.snapshot" && snapshot.users).toContainEqual(
      expect.objectContaining({ userId: agent.userId, role: "manager" }),
    );
    agentAgain.socket.close();
    ownerSocket.socket.close();
  });
});
