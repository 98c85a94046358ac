import { describe, expect, it } from "vitest";
import { addMember, call, expectErrorEnvelope, signUp, uniqueEmail } from "./helpers";

interface CreatedKey {
  apiKey: { id: string; name: string; role: string; hint: string };
  secret: string;
}

describe("API keys", () => {
  it("are shown once, work as Bearer tokens with their role, and stop working when revoked", async () => {
    const owner = await signUp("keys");
    const created = await call<CreatedKey>("/api-keys", {
      method: "POST",
      token: owner.accessToken,
      body: { name: "CRM sync", role: "viewer" },
    });
    expect(created.status).toBe(201);
    const { secret, apiKey } = created.body.data;
    expect(secret).toMatch(/^sb_[0-9a-f]{32}_/);
    expect(secret.endsWith(apiKey.hint.slice(1))).toBe(true);

    const listed = await call<Record<string, unknown>[]>("/api-keys", { token: owner.accessToken });
    expect(JSON.stringify(listed.body.data)).not.toContain(secret);

    const me = await call<{ apiKey: { id: string }; role: string; user: null }>("/auth/me", {
      token: secret,
    });
    expect(me.status).toBe(200);
    expect(me.body.data.apiKey.id).toBe(apiKey.id);
    expect(me.body.data.role).toBe("viewer");
    expect(me.body.data.user).toBeNull();
    expect((await call("/users", { token: secret })).status).toBe(200);
    expectErrorEnvelope(
      await call("/invitations", {
        method: "POST",
        token: secret,
        body: { email: uniqueEmail(), role: "viewer" },
      }),
      403,
    );

    expect(
      (await call(`/api-keys/${apiKey.id}`, { method: "DELETE", token: owner.accessToken })).status,
    ).toBe(200);
    expectErrorEnvelope(await call("/auth/me", { token: secret }), 401);

    const audit = await call<{ action: string }[]>("/audit-logs", { token: owner.accessToken });
    const actions = audit.body.data.map((entry) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(["api_key.created", "api_key.revoked"]));
  });

  it("cannot carry a role above their creator's", async () => {
    const owner = await signUp("keys-escalate");
    const admin = await call<CreatedKey>("/api-keys", {
      method: "POST",
      token: owner.accessToken,
      body: { name: "admin key", role: "admin" },
    });
    expectErrorEnvelope(
      await call("/api-keys", {
        method: "POST",
        token: admin.body.data.secret,
        body: { name: "owner key", role: "owner" },
      }),
      403,
    );
  });

  it("of one organization cannot be used to reach another", async () => {
    const alpha = await signUp("keys-a");
    const beta = await signUp("keys-b");
    const key = await call<CreatedKey>("/api-keys", {
      method: "POST",
      token: alpha.accessToken,
      body: { name: "k", role: "admin" },
    });
    // Rewrite the embedded organization: the hash no longer matches any key in that org.
    const forged = key.body.data.secret.replace(
      /^sb_[0-9a-f]{32}_/,
      `sb_${beta.orgId.replaceAll("-", "")}_`,
    );
    expectErrorEnvelope(await call("/auth/me", { token: forged }), 401);
  });
  it("are revoked when their creator is deactivated, and the answer says how many", async () => {
    const owner = await signUp("keys-creator-gone");
    const admin = await addMember(owner, "admin", "keys-admin");
    const secrets: string[] = [];
    for (const role of ["admin", "viewer"]) {
      const created = await call<CreatedKey>("/api-keys", {
        method: "POST",
        token: admin.accessToken,
        body: { name: `${role} key`, role },
      });
      expect(created.status).toBe(201);
      secrets.push(created.body.data.secret);
    }
    // A key made by one of the admin's keys belongs to the admin too.
    const chained = await call<CreatedKey>("/api-keys", {
      method: "POST",
      token: secrets[0],
      body: { name: "made by a key", role: "agent" },
    });
    expect(chained.status).toBe(201);
    secrets.push(chained.body.data.secret);
    const ownerKey = await call<CreatedKey>("/api-keys", {
      method: "POST",
      token: owner.accessToken,
      body: { name: "owner's own", role: "viewer" },
    });

    const deactivated = await call<{ status: string; revokedApiKeys: number }>(
      `/users/${admin.userId}`,
      { method: "PATCH", token: owner.accessToken, body: { status: "deactivated" } },
    );
    expect(deactivated.status).toBe(200);
    expect(deactivated.body.data).toMatchObject({ status: "deactivated", revokedApiKeys: 3 });
    expect(deactivated.body.message).toMatch(/3 API keys/);
    for (const secret of secrets)
      expectErrorEnvelope(await call("/auth/me", { token: secret }), 401);
    expect((await call("/auth/me", { token: ownerKey.body.data.secret })).status).toBe(200);

    const audit = await call<{ action: string; metadata: Record<string, unknown> }[]>(
      "/audit-logs",
      { token: owner.accessToken },
    );
    expect(audit.body.data.filter((entry) => entry.action === "api_key.revoked")).toHaveLength(3);
    expect(
      audit.body.data.find((entry) => entry.action === "member.deactivated")?.metadata,
    ).toMatchObject({ revokedApiKeys: 3 });
  });

  it("act with no more than their creator's current role", async () => {
    const owner = await signUp("keys-demoted");
    const admin = await addMember(owner, "admin", "keys-demoted-admin");
    const created = await call<CreatedKey>("/api-keys", {
      method: "POST",
      token: admin.accessToken,
      body: { name: "admin key", role: "admin" },
    });
    const secret = created.body.data.secret;
    expect((await call<{ role: string }>("/auth/me", { token: secret })).body.data.role).toBe(
      "admin",
    );
    expect(
      (
        await call(`/users/${admin.userId}`, {
          method: "PATCH",
          token: owner.accessToken,
          body: { role: "agent" },
        })
      ).status,
    ).toBe(200);
    expect((await call<{ role: string }>("/auth/me", { token: secret })).body.data.role).toBe(
      "agent",
    );
    expectErrorEnvelope(
      await call("/api-keys", {
        method: "POST",
        token: secret,
        body: { name: "still admin?", role: "viewer" },
      }),
      403,
    );
  });
});
