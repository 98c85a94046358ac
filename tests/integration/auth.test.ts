import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { REFRESH_REUSE_GRACE_MS } from "../../worker/auth/service";
import { sessions } from "../../worker/db/schema";
import { sha256Hex } from "../../worker/lib/crypto";
import { call, expectErrorEnvelope, signUp, uniqueEmail, workerDatabase } from "./helpers";
import { mailbox, sentEmail } from "./mailbox-helpers";

/** Pretends a refresh token was rotated `ageMs` ago (the clock cannot be moved in workerd). */
async function ageRotation(orgId: string, refreshToken: string, ageMs: number) {
  const db = workerDatabase();
  try {
    await db.transaction({ orgId, userId: null }, async (tx) =>
      tx
        .update(sessions)
        .set({ rotatedAt: new Date(Date.now() - ageMs) })
        .where(eq(sessions.tokenHash, await sha256Hex(refreshToken))),
    );
  } finally {
    await db.close();
  }
}

interface AuthData {
  user: { id: string; email: string; name: string };
  organization: { id: string; name: string };
  role: string;
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

describe("sign-up", () => {
  it("creates the user, the organization and an owner membership; the owner then signs in", async () => {
    const email = uniqueEmail("founder");
    const password = "a long enough password";
    const response = await call<{ email: string }>("/auth/signup", {
      method: "POST",
      body: {
        email: email.toUpperCase(),
        password,
        name: "Fay Founder",
        organizationName: "Acme Ltd",
      },
    });
    expect(response.status).toBe(202);
    expect(response.body.data).toEqual({ email });
    // Sign-up signs no one in: whoever asked may not own the address.
    expect(response.headers.getSetCookie()).toEqual([]);
    expect((await sentEmail(email, "verify_email")).subject).toContain("Acme Ltd");

    const signedIn = await call<AuthData>("/auth/login", {
      method: "POST",
      body: { email, password },
    });
    expect(signedIn.status).toBe(200);
    const { data } = signedIn.body;
    expect(data.user.email).toBe(email);
    expect(data.organization.name).toBe("Acme Ltd");
    expect(data.role).toBe("owner");
    expect(data.expiresIn).toBe(900);
    const cookies = signedIn.headers.getSetCookie();
    expect(
      cookies.some(
        (cookie) =>
          cookie.startsWith("sb_access=") &&
          /HttpOnly/.test(cookie) &&
          /Secure/.test(cookie) &&
          /SameSite=Lax/.test(cookie),
      ),
    ).toBe(true);
    expect(cookies.some((cookie) => cookie.startsWith("sb_refresh="))).toBe(true);

    const me = await call<{
      user: { email: string; emailVerified: boolean };
      role: string;
      permissions: string[];
    }>("/auth/me", { token: data.accessToken });
    expect(me.status).toBe(200);
    expect(me.body.data.user).toMatchObject({ email, emailVerified: false });
    expect(me.body.data.role).toBe("owner");
    expect(me.body.data.permissions).toContain("members:manage");
  });

  it("answers a taken address exactly as a free one, creates nothing and tells the account's owner", async () => {
    const owner = await signUp();
    const attempt = (email: string) =>
      call<{ email: string }>("/auth/signup", {
        method: "POST",
        body: { email, password: "another password", name: "Copy", organizationName: "Copy Org" },
      });
    const taken = await attempt(owner.email.toUpperCase());
    const free = await attempt(uniqueEmail("free"));
    expect(taken.status).toBe(202);
    expect(free.status).toBe(202);
    expect(taken.body.message).toBe(free.body.message);
    expect(Object.keys(taken.body.data)).toEqual(Object.keys(free.body.data));
    expect(taken.headers.getSetCookie()).toEqual(free.headers.getSetCookie());

    // The owner is told, with a way in; their password and organizations are unchanged.
    const notice = await sentEmail(owner.email, "account_exists");
    expect(notice.subject).toBe("You already have a Switchboard account");
    expect(notice.text).toContain("/login");
    expect(notice.text).toContain("/forgot-password");
    const wrong = await call("/auth/login", {
      method: "POST",
      body: { email: owner.email, password: "another password" },
    });
    expect(wrong.status).toBe(401);
    const me = await call<{ organizations: unknown[] }>("/auth/me", { token: owner.accessToken });
    expect(me.body.data.organizations).toHaveLength(1);

    // Asking again and again does not flood the owner's inbox: 3 notices an hour.
    for (let i = 0; i < 4; i += 1) expect((await attempt(owner.email)).status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const notices = (await mailbox()).filter(
      (e) => e.to === owner.email && e.template === "account_exists",
    );
    expect(notices).toHaveLength(3);
  });

  it("rejects short passwords with a field error", async () => {
    const response = await call("/auth/signup", {
      method: "POST",
      body: { email: uniqueEmail(), password: "short", name: "A", organizationName: "B" },
    });
    expectErrorEnvelope(response, 422, "validation_failed");
    expect(response.body.errors?.password?.[0]).toMatch(/8 characters/);
  });
});

describe("sign-in", () => {
  it("signs in with the right password and refuses a wrong one, auditing both", async () => {
    const owner = await signUp();
    const wrong = await call("/auth/login", {
      method: "POST",
      body: { email: owner.email, password: "not the password" },
    });
    expectErrorEnvelope(wrong, 401, "invalid_credentials");

    const right = await call<AuthData>("/auth/login", {
      method: "POST",
      body: { email: owner.email, password: owner.password },
    });
    expect(right.status).toBe(200);
    const audit = await call<{ action: string; ip: string | null }[]>("/audit-logs", {
      token: right.body.data.accessToken,
    });
    const actions = audit.body.data.map((entry) => entry.action);
    expect(actions).toContain("auth.sign_in_failed");
    expect(actions).toContain("auth.signed_in");
    expect(actions).toContain("auth.signed_up");
  });

  it("gives the same answer for an unknown email as for a wrong password", async () => {
    const response = await call("/auth/login", {
      method: "POST",
      body: { email: uniqueEmail("ghost"), password: "whatever it is" },
    });
    expectErrorEnvelope(response, 401, "invalid_credentials");
  });
});

describe("refresh tokens", () => {
  it("rotate on every use, and a token reused after the grace window ends the whole session", async () => {
    const owner = await signUp();
    const first = await call<AuthData>("/auth/refresh", {
      method: "POST",
      body: { refreshToken: owner.refreshToken },
    });
    expect(first.status).toBe(200);
    expect(first.body.data.refreshToken).not.toBe(owner.refreshToken);
    const second = await call<AuthData>("/auth/refresh", {
      method: "POST",
      body: { refreshToken: first.body.data.refreshToken },
    });
    expect(second.status).toBe(200);

    // The first token again, long after it was rotated: a replay. The family is revoked,
    // including the newest tokens.
    await ageRotation(owner.orgId, owner.refreshToken, REFRESH_REUSE_GRACE_MS + 1000);
    const replay = await call("/auth/refresh", {
      method: "POST",
      body: { refreshToken: owner.refreshToken },
    });
    expectErrorEnvelope(replay, 401, "unauthenticated");
    const afterReplay = await call("/auth/refresh", {
      method: "POST",
      body: { refreshToken: second.body.data.refreshToken },
    });
    expectErrorEnvelope(afterReplay, 401);
    const me = await call("/auth/me", { token: second.body.data.accessToken });
    expectErrorEnvelope(me, 401);

    const signIn = await call<AuthData>("/auth/login", {
      method: "POST",
      body: { email: owner.email, password: owner.password },
    });
    const audit = await call<{ action: string }[]>("/audit-logs?action=auth.refresh_token_reused", {
      token: signIn.body.data.accessToken,
    });
    expect(audit.body.data).toHaveLength(1);
  });

  it("let two tabs refresh with the same token at the same moment", async () => {
    const owner = await signUp();
    const [tabA, tabB] = await Promise.all([
      call<AuthData>("/auth/refresh", {
        method: "POST",
        body: { refreshToken: owner.refreshToken },
      }),
      call<AuthData>("/auth/refresh", {
        method: "POST",
        body: { refreshToken: owner.refreshToken },
      }),
    ]);
    expect([tabA.status, tabB.status]).toEqual([200, 200]);
    for (const tab of [tabA, tabB]) {
      expect((await call("/auth/me", { token: tab.body.data.accessToken })).status).toBe(200);
      const next = await call<AuthData>("/auth/refresh", {
        method: "POST",
        body: { refreshToken: tab.body.data.refreshToken },
      });
      expect(next.status).toBe(200);
    }
  });

  it("accepts the refresh token from the cookie", async () => {
    const owner = await signUp();
    const response = await call<AuthData>("/auth/refresh", {
      method: "POST",
      headers: { cookie: `sb_refresh=${owner.refreshToken}` },
    });
    expect(response.status).toBe(200);
    expect(response.body.data.accessToken).toBeTruthy();
  });

  it("refuses garbage and forged tokens", async () => {
    const owner = await signUp();
    for (const refreshToken of [
      "nonsense",
      `${owner.orgId}.${"x".repeat(43)}`,
      `not-a-uuid.${"y".repeat(43)}`,
    ]) {
      const response = await call("/auth/refresh", { method: "POST", body: { refreshToken } });
      expectErrorEnvelope(response, 401);
    }
  });
});

describe("sign-out", () => {
  it("revokes the session: the access token and refresh token stop working", async () => {
    const owner = await signUp();
    const out = await call("/auth/logout", { method: "POST", token: owner.accessToken });
    expect(out.status).toBe(200);
    expect(out.headers.getSetCookie().some((cookie) => cookie.startsWith("sb_access=;"))).toBe(
      true,
    );
    expectErrorEnvelope(await call("/auth/me", { token: owner.accessToken }), 401);
    expectErrorEnvelope(
      await call("/auth/refresh", { method: "POST", body: { refreshToken: owner.refreshToken } }),
      401,
    );
  });
});
