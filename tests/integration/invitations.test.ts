import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call, expectErrorEnvelope, signUp, uniqueEmail } from "./helpers";

interface Created {
  invitation: { id: string; email: string; role: string };
  token: string;
  acceptUrl: string;
}

describe("invitations", () => {
  it("let a new person join with the invited role, listed and audited", async () => {
    const owner = await signUp("inviter");
    const email = uniqueEmail("newcomer");
    const created = await call<Created>("/invitations", {
      method: "POST",
      token: owner.accessToken,
      body: { email, role: "manager" },
    });
    expect(created.status).toBe(201);
    expect(created.body.data.acceptUrl).toContain(
      `/invite/${encodeURIComponent(created.body.data.token)}`,
    );
    const pending = await call<{ email: string }[]>("/invitations", { token: owner.accessToken });
    expect(pending.body.data.map((invitation) => invitation.email)).toContain(email);

    const accepted = await call<{
      role: string;
      organization: { id: string };
      accessToken: string;
    }>("/invitations/accept", {
      method: "POST",
      body: { token: created.body.data.token, name: "Nina Newcomer", password: "a fine password" },
    });
    expect(accepted.status).toBe(200);
    expect(accepted.body.data.role).toBe("manager");
    expect(accepted.body.data.organization.id).toBe(owner.orgId);

    const members = await call<{ email: string; role: string }[]>("/users", {
      token: owner.accessToken,
    });
    expect(members.body.data).toContainEqual(expect.objectContaining({ email, role: "manager" }));
    expectErrorEnvelope(
      await call("/invitations/accept", {
        method: "POST",
        body: { token: created.body.data.token, name: "Again", password: "a fine password" },
      }),
      409,
    );
    const audit = await call<{ action: string }[]>("/audit-logs", { token: owner.accessToken });
    expect(audit.body.data.map((entry) => entry.action)).toEqual(
      expect.arrayContaining(["invitation.created", "invitation.accepted"]),
    );
  });

  it("let an existing account join a second organization with its password, and choose it at sign-in", async () => {
    const person = await signUp("multi");
    const otherOwner = await signUp("other");
    const created = await call<Created>("/invitations", {
      method: "POST",
      token: otherOwner.accessToken,
      body: { email: person.email, role: "agent" },
    });
    expectErrorEnvelope(
      await call("/invitations/accept", {
        method: "POST",
        body: { token: created.body.data.token, password: "not it at all" },
      }),
      401,
    );
    const accepted = await call("/invitations/accept", {
      method: "POST",
      body: { token: created.body.data.token, password: person.password },
    });
    expect(accepted.status).toBe(200);

    const login = await call<{ organization: { id: string }; role: string }>("/auth/login", {
      method: "POST",
      body: { email: person.email, password: person.password, organizationId: otherOwner.orgId },
    });
    expect(login.body.data.organization.id).toBe(otherOwner.orgId);
    expect(login.body.data.role).toBe("agent");
    const me = await call<{ organizations: { id: string }[] }>("/auth/me", {
      token: person.accessToken,
    });
    expect(me.body.data.organizations.map((org) => org.id).sort()).toEqual(
      [person.orgId, otherOwner.orgId].sort(),
    );

    const switched = await call<{ organization: { id: string }; accessToken: string }>(
      "/auth/switch-organization",
      { method: "POST", token: person.accessToken, body: { organizationId: otherOwner.orgId } },
    );
    expect(switched.status).toBe(200);
    expect(switched.body.data.organization.id).toBe(otherOwner.orgId);
    const after = await call<{ organization: { id: string } }>("/auth/me", {
      token: switched.body.data.accessToken,
    });
    expect(after.body.data.organization.id).toBe(otherOwner.orgId);
    expectErrorEnvelope(await call("/auth/me", { token: person.accessToken }), 401);
    const stranger = await signUp("stranger");
    expectErrorEnvelope(
      await call("/auth/switch-organization", {
        method: "POST",
        token: switched.body.data.accessToken,
        body: { organizationId: stranger.orgId },
      }),
      403,
    );
  });

  it("stop working once revoked, and bad tokens are simply not found", async () => {
    const owner = await signUp("revoker");
    const created = await call<Created>("/invitations", {
      method: "POST",
      token: owner.accessToken,
      body: { email: uniqueEmail(), role: "viewer" },
    });
    expect(
      (
        await call(`/invitations/${created.body.data.invitation.id}`, {
          method: "DELETE",
          token: owner.accessToken,
        })
      ).status,
    ).toBe(200);
    expectErrorEnvelope(
      await call("/invitations/accept", {
        method: "POST",
        body: { token: created.body.data.token, name: "Late", password: "a fine password" },
      }),
      404,
    );
    expectErrorEnvelope(
      await call("/invitations/accept", {
        method: "POST",
        body: { token: "garbage", name: "X", password: "a fine password" },
      }),
      404,
    );
  });

  it("cannot grant a role above the inviter's, nor invite an existing member", async () => {
    const owner = await signUp("limits");
    expectErrorEnvelope(
      await call("/invitations", {
        method: "POST",
        token: owner.accessToken,
        body: { email: owner.email, role: "viewer" },
      }),
      409,
    );
  });
  it("build the accept link on the configured APP_URL, never on the request's Host", async () => {
    const owner = await signUp("invite-host");
    const response = await SELF.fetch("http://evil.example/api/v1/invitations", {
      method: "POST",
      headers: {
        host: "evil.example",
        "x-forwarded-host": "evil.example",
        authorization: `Bearer ${owner.accessToken}`,
        "content-type": "application/json",
        "cf-connecting-ip": "10.250.0.1",
      },
      body: JSON.stringify({ email: uniqueEmail("host"), role: "viewer" }),
    });
    expect(response.status).toBe(201);
    const { data } = (await response.json()) as { data: Created };
    expect(env.APP_URL).toMatch(/^https?:\/\//);
    expect(data.acceptUrl).toBe(`${env.APP_URL}/invite/${encodeURIComponent(data.token)}`);
    expect(data.acceptUrl).not.toContain("evil.example");
  });
});
