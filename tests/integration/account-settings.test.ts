import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { accountTokens } from "../../worker/db/email-schema";
import {
  call,
  connectSocket,
  expectErrorEnvelope,
  type Session,
  signUp,
  uniqueEmail,
  uniqueIp,
  workerDatabase,
} from "./helpers";
import { linkToken, mailbox, sentEmail } from "./mailbox-helpers";
import { page, post, textOf } from "./page-helpers";

/*
 * A person's own account: their name, their sign-in address (a link to the new address, the
 * old one told), their password (other sessions end). Emails are read from the local mailbox.
 */

async function signIn(email: string, password: string, ip = uniqueIp()) {
  return call<{ accessToken: string; refreshToken: string }>("/auth/login", {
    method: "POST",
    body: { email, password },
    ip,
  });
}

async function me(token: string) {
  const response = await call<{ user: { email: string; name: string; emailVerified: boolean } }>(
    "/auth/me",
    { token },
  );
  expect(response.status).toBe(200);
  return response.body.data.user;
}

async function askEmailChange(session: Session, newEmail: string, password = session.password) {
  return call("/auth/email", {
    method: "POST",
    token: session.accessToken,
    body: { newEmail, password },
  });
}

async function auditActions(token: string): Promise<string[]> {
  const audit = await call<{ action: string }[]>("/audit-logs?limit=50", { token });
  expect(audit.status).toBe(200);
  return audit.body.data.map((entry) => entry.action);
}

describe("name", () => {
  it("a person changes their display name", async () => {
    const owner = await signUp("rename");
    const changed = await call<{ name: string }>("/auth/me", {
      method: "PATCH",
      token: owner.accessToken,
      body: { name: "  Ada Lovelace " },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.data.name).toBe("Ada Lovelace");
    expect((await me(owner.accessToken)).name).toBe("Ada Lovelace");
    expectErrorEnvelope(
      await call("/auth/me", { method: "PATCH", token: owner.accessToken, body: { name: " " } }),
      422,
      "validation_failed",
    );
  });
});

describe("email change", () => {
  it("goes through a link to the new address; the old one is told twice; sign-in moves", async () => {
    const owner = await signUp("move");
    const newEmail = uniqueEmail("moved");
    const asked = await askEmailChange(owner, newEmail.toUpperCase());
    expect(asked.status).toBe(202);

    const confirm = await sentEmail(newEmail, "email_change_confirm");
    expect(confirm.subject).toBe("Confirm your new Switchboard sign-in address");
    expect(confirm.text).toContain("24 hours");
    const token = linkToken(confirm, "/confirm-email");
    expect(confirm.text).toContain(`http://127.0.0.1:8787/confirm-email?token=${token}`);
    const notice = await sentEmail(owner.email, "email_change_requested");
    expect(notice.text).toContain(`${newEmail.slice(0, 1)}***@example.com`);
    expect(notice.text).not.toContain(newEmail);
    expect(notice.text).toContain("reset your password");

    // Nothing changes until the link is used.
    expect((await me(owner.accessToken)).email).toBe(owner.email);

    const done = await call<{ email: string }>("/auth/email/confirm", {
      method: "POST",
      body: { token },
    });
    expect(done.status).toBe(200);
    expect(done.body.data).toEqual({ email: newEmail });
    const after = await me(owner.accessToken);
    expect(after).toMatchObject({ email: newEmail, emailVerified: true });

    const reused = await call("/auth/email/confirm", { method: "POST", body: { token } });
    expectErrorEnvelope(reused, 400, "invalid_token");

    const changed = await sentEmail(owner.email, "email_changed");
    expect(changed.text).toContain(newEmail);

    expect((await signIn(owner.email, owner.password)).status).toBe(401);
    const signedIn = await signIn(newEmail, owner.password);
    expect(signedIn.status).toBe(200);

    const actions = await auditActions(signedIn.body.data.accessToken);
    expect(actions).toContain("auth.email_change_requested");
    expect(actions).toContain("auth.email_changed");
  });

  it("asking again replaces the earlier link", async () => {
    const owner = await signUp("again");
    const first = uniqueEmail("first");
    const second = uniqueEmail("second");
    expect((await askEmailChange(owner, first)).status).toBe(202);
    const firstToken = linkToken(await sentEmail(first, "email_change_confirm"), "/confirm-email");
    expect((await askEmailChange(owner, second)).status).toBe(202);
    const secondToken = linkToken(
      await sentEmail(second, "email_change_confirm"),
      "/confirm-email",
    );
    expectErrorEnvelope(
      await call("/auth/email/confirm", { method: "POST", body: { token: firstToken } }),
      400,
      "invalid_token",
    );
    const done = await call("/auth/email/confirm", {
      method: "POST",
      body: { token: secondToken },
    });
    expect(done.status).toBe(200);
  });

  it("a wrong password is refused like sign-in and counts toward the same limit", async () => {
    const owner = await signUp("wrongpass");
    const ip = uniqueIp();
    const newEmail = uniqueEmail("never");
    for (let attempt = 0; attempt < 5; attempt++) {
      const refused = await call("/auth/email", {
        method: "POST",
        token: owner.accessToken,
        body: { newEmail, password: "not my password" },
        ip,
      });
      expectErrorEnvelope(refused, 401, "invalid_credentials");
    }
    // The account's budget at this address is spent: sign-in from it is refused too.
    expectErrorEnvelope(await signIn(owner.email, owner.password, ip), 429, "rate_limited");
    const actions = await auditActions(owner.accessToken);
    expect(actions.filter((action) => action === "auth.sign_in_failed")).toHaveLength(5);
    expect((await mailbox()).some((email) => email.to === newEmail)).toBe(false);
  });

  it("an address another account uses gets the same answer, a notice and no link; taken meanwhile is a 409", async () => {
    const owner = await signUp("taker");
    const other = await signUp("holder");
    const asked = await askEmailChange(owner, other.email);
    expect(asked.status).toBe(202);
    const free = await askEmailChange(owner, uniqueEmail("free"));
    expect(free.status).toBe(asked.status);
    expect(free.body.message).toBe(asked.body.message);

    const notice = await sentEmail(other.email, "email_change_taken");
    expect(notice.text).not.toContain("/confirm-email");
    expect(
      (await mailbox()).some(
        (email) => email.to === other.email && email.template === "email_change_confirm",
      ),
    ).toBe(false);

    // A free address, taken by someone else before the link is used: 409, nothing changes.
    const wanted = uniqueEmail("wanted");
    expect((await askEmailChange(owner, wanted)).status).toBe(202);
    const mine = await sentEmail(wanted, "email_change_confirm");
    const token = linkToken(mine, "/confirm-email");
    const rival = await signUp("rival");
    expect((await askEmailChange(rival, wanted)).status).toBe(202);
    const rivalToken = linkToken(
      await sentEmail(wanted, "email_change_confirm", [mine.id]),
      "/confirm-email",
    );
    expect(rivalToken).not.toBe(token);
    expect(
      (await call("/auth/email/confirm", { method: "POST", body: { token: rivalToken } })).status,
    ).toBe(200);
    const late = await call("/auth/email/confirm", { method: "POST", body: { token } });
    expectErrorEnvelope(late, 409, "conflict");
    expect((await me(owner.accessToken)).email).toBe(owner.email);
  });

  it("a token is only good for its own purpose and person", async () => {
    const owner = await signUp("purpose");
    await call("/auth/password/forgot", { method: "POST", body: { email: owner.email } });
    const resetToken = linkToken(await sentEmail(owner.email, "password_reset"), "/reset-password");
    expectErrorEnvelope(
      await call("/auth/email/confirm", { method: "POST", body: { token: resetToken } }),
      400,
      "invalid_token",
    );
    const newEmail = uniqueEmail("purpose-new");
    await askEmailChange(owner, newEmail);
    const token = linkToken(await sentEmail(newEmail, "email_change_confirm"), "/confirm-email");
    // Not a reset link, whoever holds it.
    expectErrorEnvelope(
      await call("/auth/password/reset", {
        method: "POST",
        body: { token, password: "hijacked passphrase" },
      }),
      400,
      "invalid_token",
    );
    expect((await signIn(owner.email, owner.password)).status).toBe(200);
  });

  it("resetting the password (what the old address is told to do) cancels a pending change", async () => {
    const owner = await signUp("stop");
    const newEmail = uniqueEmail("stop-new");
    await askEmailChange(owner, newEmail);
    const token = linkToken(await sentEmail(newEmail, "email_change_confirm"), "/confirm-email");
    await call("/auth/password/forgot", { method: "POST", body: { email: owner.email } });
    const reset = linkToken(await sentEmail(owner.email, "password_reset"), "/reset-password");
    const done = await call("/auth/password/reset", {
      method: "POST",
      body: { token: reset, password: "taking it back passphrase" },
    });
    expect(done.status).toBe(200);
    expectErrorEnvelope(
      await call("/auth/email/confirm", { method: "POST", body: { token } }),
      400,
      "invalid_token",
    );
    expect((await signIn(owner.email, "taking it back passphrase")).status).toBe(200);
  });

  it("links sent to the old address stop working once the address changes", async () => {
    const owner = await signUp("oldlinks");
    await call("/auth/password/forgot", { method: "POST", body: { email: owner.email } });
    const reset = linkToken(await sentEmail(owner.email, "password_reset"), "/reset-password");
    const newEmail = uniqueEmail("oldlinks-new");
    await askEmailChange(owner, newEmail);
    const token = linkToken(await sentEmail(newEmail, "email_change_confirm"), "/confirm-email");
    expect((await call("/auth/email/confirm", { method: "POST", body: { token } })).status).toBe(
      200,
    );
    expectErrorEnvelope(
      await call("/auth/password/reset", {
        method: "POST",
        body: { token: reset, password: "old inbox passphrase" },
      }),
      400,
      "invalid_token",
    );
  });

  it("an expired link is the invalid-token 400", async () => {
    const owner = await signUp("late");
    const newEmail = uniqueEmail("late-new");
    await askEmailChange(owner, newEmail);
    const token = linkToken(await sentEmail(newEmail, "email_change_confirm"), "/confirm-email");
    const db = workerDatabase();
    try {
      await db.global((tx) =>
        tx
          .update(accountTokens)
          .set({ expiresAt: sql`now() - interval '1 minute'` })
          .where(eq(accountTokens.userId, owner.userId)),
      );
    } finally {
      await db.close();
    }
    expectErrorEnvelope(
      await call("/auth/email/confirm", { method: "POST", body: { token } }),
      400,
      "invalid_token",
    );
  });

  it("is limited to a few asks an hour per account", async () => {
    const owner = await signUp("many");
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) {
      statuses.push((await askEmailChange(owner, uniqueEmail("many-new"))).status);
    }
    expect(statuses.slice(0, 5)).toEqual([202, 202, 202, 202, 202]);
    expect(statuses[5]).toBe(429);
  });
});

describe("password change", () => {
  it("needs the current password, keeps this session and ends the others (sockets within 2 s)", async () => {
    const owner = await signUp("change");
    const other = await signIn(owner.email, owner.password);
    expect(other.status).toBe(200);
    const otherToken = other.body.data.accessToken;
    const otherSocket = await connectSocket({ authorization: `Bearer ${otherToken}` });
    const ownSocket = await connectSocket({ authorization: `Bearer ${owner.accessToken}` });

    expectErrorEnvelope(
      await call("/auth/password/change", {
        method: "POST",
        token: owner.accessToken,
        body: { currentPassword: "wrong one", newPassword: "a fresh passphrase" },
      }),
      401,
      "invalid_credentials",
    );
    expectErrorEnvelope(
      await call("/auth/password/change", {
        method: "POST",
        token: owner.accessToken,
        body: { currentPassword: owner.password, newPassword: "short" },
      }),
      422,
      "validation_failed",
    );

    const newPassword = "a fresh passphrase";
    const changed = await call("/auth/password/change", {
      method: "POST",
      token: owner.accessToken,
      body: { currentPassword: owner.password, newPassword },
    });
    expect(changed.status).toBe(200);

    const code = await Promise.race([
      otherSocket.closed,
      new Promise<string>((resolve) => setTimeout(() => resolve("still open"), 2_000)),
    ]);
    expect(code).not.toBe("still open");
    const ownState = await Promise.race([
      ownSocket.closed.then(() => "closed"),
      new Promise<string>((resolve) => setTimeout(() => resolve("open"), 300)),
    ]);
    expect(ownState).toBe("open");
    ownSocket.socket.close();

    expectErrorEnvelope(await call("/auth/me", { token: otherToken }), 401);
    expectErrorEnvelope(
      await call("/auth/refresh", {
        method: "POST",
        body: { refreshToken: other.body.data.refreshToken },
      }),
      401,
    );
    expect((await me(owner.accessToken)).email).toBe(owner.email);
    const refreshed = await call("/auth/refresh", {
      method: "POST",
      body: { refreshToken: owner.refreshToken },
    });
    expect(refreshed.status).toBe(200);

    expect((await signIn(owner.email, owner.password)).status).toBe(401);
    expect((await signIn(owner.email, newPassword)).status).toBe(200);
    const mail = await sentEmail(owner.email, "password_changed");
    expect(mail.text).toContain("every other session was signed out");
    expect(await auditActions(owner.accessToken)).toContain("auth.password_changed");
  });
});

describe("verification email again", () => {
  it("sends a fresh link while unverified, a few times an hour", async () => {
    const owner = await signUp("resend");
    const first = await sentEmail(owner.email, "verify_email");
    const resent = await call("/auth/verify-email/resend", {
      method: "POST",
      token: owner.accessToken,
    });
    expect(resent.status).toBe(202);
    const second = await sentEmail(owner.email, "verify_email", [first.id]);
    const token = linkToken(second, "/verify-email");
    expectErrorEnvelope(
      await call("/auth/verify-email", {
        method: "POST",
        body: { token: linkToken(first, "/verify-email") },
      }),
      400,
      "invalid_token",
    );
    expect((await call("/auth/verify-email", { method: "POST", body: { token } })).status).toBe(
      200,
    );
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      statuses.push(
        (await call("/auth/verify-email/resend", { method: "POST", token: owner.accessToken }))
          .status,
      );
    }
    expect(statuses).toEqual([202, 202, 429]);
  });
});

describe("account page", () => {
  it("shows the name and address, saves a new name, and sends a verification link again", async () => {
    const owner = await signUp("page");
    const shell = await textOf(await page("/app", owner.accessToken));
    expect(shell).toContain('href="/app/settings/account"');
    expect(shell).toContain("Account settings");

    const opened = await page("/app/settings/account", owner.accessToken);
    expect(opened.status).toBe(200);
    const text = await textOf(opened);
    expect(text).toContain("page person");
    expect(text).toContain(owner.email);
    expect(text).toContain("Not verified");
    expect(text).toContain("Resend verification email");

    const renamed = await post("/app/settings/account", owner.accessToken, {
      intent: "name",
      name: "Grace Hopper",
    });
    expect(renamed.status).toBe(200);
    expect(await textOf(renamed)).toContain("Your name was saved.");
    expect((await me(owner.accessToken)).name).toBe("Grace Hopper");

    const empty = await post("/app/settings/account", owner.accessToken, {
      intent: "name",
      name: "",
    });
    expect(empty.status).toBe(422);
    expect(await textOf(empty)).toContain("Your name was not saved");

    const first = await sentEmail(owner.email, "verify_email");
    const resent = await post("/app/settings/account", owner.accessToken, { intent: "resend" });
    expect(resent.status).toBe(200);
    expect(await textOf(resent)).toContain("A new confirmation link is on its way");
    await sentEmail(owner.email, "verify_email", [first.id]);
  });

  it("changes the address through the confirm page, whose GET uses nothing up", async () => {
    const owner = await signUp("page-move");
    const newEmail = uniqueEmail("page-moved");
    const wrong = await post("/app/settings/account", owner.accessToken, {
      intent: "email",
      newEmail,
      password: "not it",
    });
    expect(wrong.status).toBe(401);
    const wrongText = await textOf(wrong);
    expect(wrongText).toContain("Your current password is incorrect.");
    expect(wrongText).toContain(newEmail);

    const asked = await post("/app/settings/account", owner.accessToken, {
      intent: "email",
      newEmail,
      password: owner.password,
    });
    expect(asked.status).toBe(200);
    expect(await textOf(asked)).toContain(`Check your new inbox: we sent a link to ${newEmail}`);
    const token = linkToken(await sentEmail(newEmail, "email_change_confirm"), "/confirm-email");

    for (let open = 0; open < 2; open++) {
      const shown = await page(`/confirm-email?token=${token}`);
      expect(shown.status).toBe(200);
      expect(await textOf(shown)).toContain("Use this address");
    }
    expect((await me(owner.accessToken)).email).toBe(owner.email);

    const confirmed = await post(`/confirm-email?token=${token}`, undefined, { token });
    expect(confirmed.status).toBe(200);
    const confirmedText = await textOf(confirmed);
    expect(confirmedText).toContain("Your email address was changed");
    expect(confirmedText).toContain(newEmail);
    expect((await me(owner.accessToken)).email).toBe(newEmail);
    const accountPage = await textOf(await page("/app/settings/account", owner.accessToken));
    expect(accountPage).toContain(newEmail);
    expect(accountPage).toContain("Verified");

    const again = await post(`/confirm-email?token=${token}`, undefined, { token });
    expect(again.status).toBe(400);
    expect(await textOf(again)).toContain("This link can't be used");
    expect(await textOf(await page("/confirm-email"))).toContain("This link can't be used");
  });

  it("changes the password and says the other sessions were signed out", async () => {
    const owner = await signUp("page-pass");
    const other = await signIn(owner.email, owner.password);
    const changed = await post("/app/settings/account", owner.accessToken, {
      intent: "password",
      currentPassword: owner.password,
      newPassword: "page changed passphrase",
    });
    expect(changed.status).toBe(200);
    const text = await textOf(changed);
    expect(text).toContain("Your password was changed. Your other sessions were signed out.");
    expect(text).not.toContain(owner.password);
    expectErrorEnvelope(await call("/auth/me", { token: other.body.data.accessToken }), 401);
    expect((await page("/app/settings/account", owner.accessToken)).status).toBe(200);
  });
});
