import { describe, expect, it } from "vitest";
import { call, expectErrorEnvelope, signUp, uniqueEmail } from "./helpers";

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
});
