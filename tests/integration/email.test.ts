import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { accountTokens, emailMessages } from "../../worker/db/email-schema";
import { outbox } from "../../worker/db/schema";
import worker from "../../worker/index";
import {
  addMember,
  call,
  connectSocket,
  expectErrorEnvelope,
  type Session,
  signUp,
  uniqueEmail,
  uniqueIp,
  workerDatabase,
} from "./helpers";
import { linkToken, sentEmail } from "./mailbox-helpers";

/*
 * Email out through Cloudflare Email Service (wrangler's local binding) as jobs, the local
 * mailbox that shows what was sent, and the account emails: address verification, password
 * reset, invitations.
 */

async function me(session: Session) {
  const response = await call<{
    user: { emailVerified: boolean };
    organization: { slug: string; supportEmail: string };
  }>("/auth/me", { token: session.accessToken });
  expect(response.status).toBe(200);
  return response.body.data;
}

async function signIn(email: string, password: string) {
  return call<{ accessToken: string }>("/auth/login", {
    method: "POST",
    body: { email, password },
  });
}

describe("address verification", () => {
  it("sign-up sends a link that confirms the address once; until then the account is flagged", async () => {
    const owner = await signUp("verify");
    const before = await me(owner);
    expect(before.user.emailVerified).toBe(false);
    expect(before.organization.supportEmail).toBe(
      `${before.organization.slug}@support.switchboard.localhost`,
    );

    const email = await sentEmail(owner.email, "verify_email");
    expect(email.subject).toBe("Confirm your email address for verify org");
    expect(email.from).toContain("verify org via Switchboard");
    expect(email.html).toContain("Confirm my email");
    const token = linkToken(email, "/verify-email");

    const verified = await call("/auth/verify-email", { method: "POST", body: { token } });
    expect(verified.status).toBe(200);
    expect(verified.body.data).toEqual({ email: owner.email });
    expect((await me(owner)).user.emailVerified).toBe(true);

    const again = await call("/auth/verify-email", { method: "POST", body: { token } });
    expectErrorEnvelope(again, 400, "invalid_token");
    expect(again.body.errors?.token).toBeDefined();
  });

  it("a made-up token is a 400, an empty one a validation error", async () => {
    expectErrorEnvelope(
      await call("/auth/verify-email", { method: "POST", body: { token: "not-a-real-token" } }),
      400,
      "invalid_token",
    );
    expectErrorEnvelope(
      await call("/auth/verify-email", { method: "POST", body: { token: "" } }),
      422,
      "validation_failed",
    );
  });
});

describe("password reset", () => {
  it("answers the same whether or not the address has an account", async () => {
    const owner = await signUp("forgot-same");
    const known = await call("/auth/password/forgot", {
      method: "POST",
      body: { email: owner.email },
    });
    const unknown = await call("/auth/password/forgot", {
      method: "POST",
      body: { email: uniqueEmail("nobody") },
    });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(unknown.body.message).toBe(known.body.message);
    expect(unknown.body.data).toBeNull();
    await sentEmail(owner.email, "password_reset");
  });

  it("a reset link sets a new password once, ends every session (sockets too) and is audited", async () => {
    const owner = await signUp("reset");
    const socket = await connectSocket({ authorization: `Bearer ${owner.accessToken}` });
    await call("/auth/password/forgot", { method: "POST", body: { email: owner.email } });
    const email = await sentEmail(owner.email, "password_reset");
    expect(email.text).toContain("30 minutes");
    const token = linkToken(email, "/reset-password");

    const tooShort = await call("/auth/password/reset", {
      method: "POST",
      body: { token, password: "short" },
    });
    expectErrorEnvelope(tooShort, 422, "validation_failed");

    const newPassword = "a brand new passphrase";
    const reset = await call("/auth/password/reset", {
      method: "POST",
      body: { token, password: newPassword },
    });
    expect(reset.status).toBe(200);

    // The socket opened before the reset closes; the old tokens stop working.
    const code = await Promise.race([
      socket.closed,
      new Promise<string>((resolve) => setTimeout(() => resolve("still open"), 2_000)),
    ]);
    expect(code).not.toBe("still open");
    expectErrorEnvelope(await call("/auth/me", { token: owner.accessToken }), 401);
    const refreshed = await call("/auth/refresh", {
      method: "POST",
      body: { refreshToken: owner.refreshToken },
    });
    expectErrorEnvelope(refreshed, 401);

    expect((await signIn(owner.email, owner.password)).status).toBe(401);
    const signedIn = await signIn(owner.email, newPassword);
    expect(signedIn.status).toBe(200);
    const token2 = signedIn.body.data.accessToken;

    const reused = await call("/auth/password/reset", {
      method: "POST",
      body: { token, password: "yet another passphrase" },
    });
    expectErrorEnvelope(reused, 400, "invalid_token");

    const changed = await sentEmail(owner.email, "password_changed");
    expect(changed.subject).toBe("Your Switchboard password was changed");
    // Following the emailed link proved the address.
    const after = await call<{ user: { emailVerified: boolean } }>("/auth/me", { token: token2 });
    expect(after.body.data.user.emailVerified).toBe(true);
    const audit = await call<{ action: string }[]>("/audit-logs?limit=20", { token: token2 });
    const actions = audit.body.data.map((entry) => entry.action);
    expect(actions).toContain("auth.password_reset");
    expect(actions).toContain("auth.password_reset_requested");
  });

  it("an expired link is refused and the password stays", async () => {
    const owner = await signUp("expired");
    await call("/auth/password/forgot", { method: "POST", body: { email: owner.email } });
    const token = linkToken(await sentEmail(owner.email, "password_reset"), "/reset-password");
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
    const reset = await call("/auth/password/reset", {
      method: "POST",
      body: { token, password: "too late passphrase" },
    });
    expectErrorEnvelope(reset, 400, "invalid_token");
    expect((await signIn(owner.email, owner.password)).status).toBe(200);
  });

  it("asking again replaces the earlier link", async () => {
    const owner = await signUp("twice");
    await call("/auth/password/forgot", { method: "POST", body: { email: owner.email } });
    const first = await sentEmail(owner.email, "password_reset");
    await call("/auth/password/forgot", { method: "POST", body: { email: owner.email } });
    const second = await sentEmail(owner.email, "password_reset", [first.id]);
    const stale = await call("/auth/password/reset", {
      method: "POST",
      body: { token: linkToken(first, "/reset-password"), password: "stale link passphrase" },
    });
    expectErrorEnvelope(stale, 400, "invalid_token");
    const fresh = await call("/auth/password/reset", {
      method: "POST",
      body: { token: linkToken(second, "/reset-password"), password: "fresh link passphrase" },
    });
    expect(fresh.status).toBe(200);
  });

  it("each address may ask ten times an hour", async () => {
    const ip = uniqueIp();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const response = await call("/auth/password/forgot", {
        method: "POST",
        ip,
        body: { email: uniqueEmail("flood") },
      });
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 10).every((status) => status === 202)).toBe(true);
    expect(statuses[10]).toBe(429);
  });
});

describe("sending", () => {
  it("an invitation is emailed to the person invited with the link to accept it", async () => {
    const owner = await signUp("inviter");
    const invitee = uniqueEmail("invitee");
    const invite = await call<{ acceptUrl: string }>("/invitations", {
      method: "POST",
      token: owner.accessToken,
      body: { email: invitee, role: "agent" },
    });
    expect(invite.status).toBe(201);
    const email = await sentEmail(invitee, "invitation");
    expect(email.subject).toBe("inviter person invited you to inviter org on Switchboard");
    expect(email.text).toContain(invite.body.data.acceptUrl);
    expect(email.html).toContain("Join inviter org");
  });

  it("an email job delivered again sends nothing twice", async () => {
    const owner = await signUp("once");
    const email = await sentEmail(owner.email, "verify_email");
    const db = workerDatabase();
    try {
      const [job] = await db.transaction({ orgId: owner.orgId, userId: null }, (tx) =>
        tx.select().from(outbox).where(eq(outbox.type, "email.send")),
      );
      expect(job?.status).toBe("done");
      const ctx = createExecutionContext();
      const batch = createMessageBatch("switchboard-jobs", [
        { id: "again", timestamp: new Date(), attempts: 2, body: job?.payload },
      ]);
      await worker.queue?.(batch, env, ctx);
      const result = await getQueueResult(batch, ctx);
      expect(result.explicitAcks).toEqual(["again"]);
      const [row] = await db.transaction({ orgId: owner.orgId, userId: null }, (tx) =>
        tx.select().from(emailMessages).where(eq(emailMessages.id, email.id)),
      );
      expect(row?.status).toBe("sent");
      expect(row?.sentAt?.toISOString()).toBe(email.sentAt);
      const rows = await db.transaction({ orgId: owner.orgId, userId: null }, (tx) =>
        tx.select({ id: emailMessages.id }).from(emailMessages),
      );
      expect(rows).toHaveLength(1);
    } finally {
      await db.close();
    }
  });

  it("one organization never reads another's emails", async () => {
    const a = await signUp("mail-a");
    const b = await addMember(await signUp("mail-b"), "admin");
    await sentEmail(a.email, "verify_email");
    const db = workerDatabase();
    try {
      const seenByB = await db.transaction({ orgId: b.orgId, userId: b.userId }, (tx) =>
        tx.select().from(emailMessages).where(eq(emailMessages.toAddress, a.email)),
      );
      expect(seenByB).toEqual([]);
    } finally {
      await db.close();
    }
  });
});
