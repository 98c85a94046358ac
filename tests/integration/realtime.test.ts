import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { parseServerEvent, type ServerEvent } from "../../worker/realtime/events";
import { addMember, BASE, call, expectErrorEnvelope, signUp } from "./helpers";

interface LiveSocket {
  socket: WebSocket;
  events: ServerEvent[];
  waitFor(match: (event: ServerEvent) => boolean, timeoutMs?: number): Promise<ServerEvent>;
}

async function connect(headers: Record<string, string>): Promise<LiveSocket> {
  const response = await SELF.fetch(`${BASE}/realtime`, {
    headers: { upgrade: "websocket", ...headers },
  });
  expect(response.status).toBe(101);
  const socket = response.webSocket;
  if (!socket) throw new Error("no socket");
  socket.accept();
  const events: ServerEvent[] = [];
  const waiters: {
    match: (event: ServerEvent) => boolean;
    resolve: (event: ServerEvent) => void;
  }[] = [];
  socket.addEventListener("message", (message) => {
    const event = parseServerEvent(String(message.data));
    if (!event) return;
    events.push(event);
    for (const waiter of waiters.filter((candidate) => candidate.match(event))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(event);
    }
  });
  return {
    socket,
    events,
    waitFor(match, timeoutMs = 5000) {
      const seen = events.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no matching event; got ${JSON.stringify(events)}`)),
          timeoutMs,
        );
        waiters.push({
          match,
          resolve: (event) => {
            clearTimeout(timer);
            resolve(event);
          },
        });
      });
    },
  };
}

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
