import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { BASE, call, connectSocket, expectErrorEnvelope, signUp } from "./helpers";

const FOREIGN = "https://evil.example";

/* Every cookie-authenticated write and every WebSocket upgrade checks the Origin the same way. */
describe("the Origin rule", () => {
  it("refuses a cookie sign-out from a foreign origin and keeps the session", async () => {
    const owner = await signUp("origin-logout");
    const cookie = `sb_access=${owner.accessToken}; sb_refresh=${owner.refreshToken}`;
    const refused = await call("/auth/logout", {
      method: "POST",
      headers: { cookie, origin: FOREIGN },
    });
    expectErrorEnvelope(refused, 403, "forbidden");
    expect(refused.headers.getSetCookie()).toEqual([]);
    expect((await call("/auth/me", { token: owner.accessToken })).status).toBe(200);
    expect(
      (await call("/auth/refresh", { method: "POST", body: { refreshToken: owner.refreshToken } }))
        .status,
    ).toBe(200);

    const own = await call("/auth/logout", {
      method: "POST",
      headers: { cookie, origin: "http://switchboard.test" },
    });
    expect(own.status).toBe(200);
  });

  it("refuses a refresh-cookie-only sign-out from a foreign origin", async () => {
    const owner = await signUp("origin-logout-refresh");
    const refused = await call("/auth/logout", {
      method: "POST",
      headers: { cookie: `sb_refresh=${owner.refreshToken}`, origin: FOREIGN },
    });
    expectErrorEnvelope(refused, 403, "forbidden");
    expect(
      (await call("/auth/refresh", { method: "POST", body: { refreshToken: owner.refreshToken } }))
        .status,
    ).toBe(200);
  });

  it("refuses a cookie WebSocket upgrade from a foreign origin, before upgrading", async () => {
    const owner = await signUp("origin-socket");
    const refused = await SELF.fetch(`${BASE}/realtime`, {
      headers: { upgrade: "websocket", cookie: `sb_access=${owner.accessToken}`, origin: FOREIGN },
    });
    expect(refused.status).toBe(403);
    expect(refused.webSocket).toBeNull();
    const body = (await refused.json()) as { success: boolean; meta: { code: string } };
    expect(body).toMatchObject({ success: false, meta: { code: "forbidden" } });

    const own = await connectSocket({
      cookie: `sb_access=${owner.accessToken}`,
      origin: "http://switchboard.test",
    });
    await own.waitFor((event) => event.type === "presence.snapshot");
    own.socket.close();
    // A Bearer token is not sent by browsers on their own: no Origin rule applies.
    const bearer = await connectSocket({
      authorization: `Bearer ${owner.accessToken}`,
      origin: FOREIGN,
    });
    bearer.socket.close();
  });
});
