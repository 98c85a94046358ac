import { beforeAll, describe, expect, it } from "vitest";
import { addMember, call, expectErrorEnvelope, type Session, signUp, uniqueEmail } from "./helpers";

type RoleName = "owner" | "admin" | "manager" | "agent" | "viewer";

let team: Record<RoleName, Session>;

beforeAll(async () => {
  const owner = await signUp("roles");
  team = {
    owner,
    admin: await addMember(owner, "admin"),
    manager: await addMember(owner, "manager"),
    agent: await addMember(owner, "agent"),
    viewer: await addMember(owner, "viewer"),
  };
});

const everyone: RoleName[] = ["owner", "admin", "manager", "agent", "viewer"];
const admins: RoleName[] = ["owner", "admin"];

describe("the permission table, role by role", () => {
  it.each(everyone)("%s can read the team and themselves", async (role) => {
    expect((await call("/users", { token: team[role].accessToken })).status).toBe(200);
    const me = await call<{ role: string }>("/auth/me", { token: team[role].accessToken });
    expect(me.body.data.role).toBe(role);
  });

  it.each(everyone)("%s may invite only if admin or owner", async (role) => {
    const response = await call("/invitations", {
      method: "POST",
      token: team[role].accessToken,
      body: { email: uniqueEmail(), role: "viewer" },
    });
    if (admins.includes(role)) expect(response.status).toBe(201);
    else expectErrorEnvelope(response, 403, "forbidden");
  });

  it.each(everyone)("%s may manage API keys only if admin or owner", async (role) => {
    const create = await call("/api-keys", {
      method: "POST",
      token: team[role].accessToken,
      body: { name: `${role} key`, role: "viewer" },
    });
    const list = await call("/api-keys", { token: team[role].accessToken });
    if (admins.includes(role)) {
      expect(create.status).toBe(201);
      expect(list.status).toBe(200);
    } else {
      expectErrorEnvelope(create, 403, "forbidden");
      expectErrorEnvelope(list, 403, "forbidden");
    }
  });

  it.each(everyone)("%s may read the audit log only if admin or owner", async (role) => {
    const response = await call("/audit-logs", { token: team[role].accessToken });
    if (admins.includes(role)) expect(response.status).toBe(200);
    else expectErrorEnvelope(response, 403, "forbidden");
  });

  it.each(["manager", "agent", "viewer"] as RoleName[])("%s cannot change roles", async (role) => {
    const response = await call(`/users/${team.viewer.userId}`, {
      method: "PATCH",
      token: team[role].accessToken,
      body: { role: "agent" },
    });
    expectErrorEnvelope(response, 403, "forbidden");
  });
});

describe("role changes", () => {
  it("an admin changes a member's role, which is audited and takes effect at once", async () => {
    const member = await addMember(team.owner, "agent", "promoted");
    const response = await call<{ role: string }>(`/users/${member.userId}`, {
      method: "PATCH",
      token: team.admin.accessToken,
      body: { role: "manager" },
    });
    expect(response.status).toBe(200);
    expect(response.body.data.role).toBe("manager");
    const me = await call<{ role: string }>("/auth/me", { token: member.accessToken });
    expect(me.body.data.role).toBe("manager");
    const audit = await call<
      { action: string; targetId: string; metadata: Record<string, unknown> }[]
    >("/audit-logs?action=member.role_changed", { token: team.owner.accessToken });
    expect(
      audit.body.data.some(
        (entry) => entry.targetId === member.userId && entry.metadata.to === "manager",
      ),
    ).toBe(true);
  });

  it("an admin cannot make an owner nor change an owner", async () => {
    expectErrorEnvelope(
      await call(`/users/${team.viewer.userId}`, {
        method: "PATCH",
        token: team.admin.accessToken,
        body: { role: "owner" },
      }),
      403,
    );
    expectErrorEnvelope(
      await call(`/users/${team.owner.userId}`, {
        method: "PATCH",
        token: team.admin.accessToken,
        body: { role: "viewer" },
      }),
      403,
    );
  });

  it("the last owner can be neither demoted nor deactivated", async () => {
    expectErrorEnvelope(
      await call(`/users/${team.owner.userId}`, {
        method: "PATCH",
        token: team.owner.accessToken,
        body: { role: "admin" },
      }),
      409,
      "conflict",
    );
    expectErrorEnvelope(
      await call(`/users/${team.owner.userId}`, {
        method: "PATCH",
        token: team.owner.accessToken,
        body: { status: "deactivated" },
      }),
      409,
      "conflict",
    );
    const me = await call<{ role: string }>("/auth/me", { token: team.owner.accessToken });
    expect(me.body.data.role).toBe("owner");
  });

  it("an owner can hand over ownership, after which the old owner may step down", async () => {
    const owner = await signUp("handover");
    const successor = await addMember(owner, "admin", "successor");
    expect(
      (
        await call(`/users/${successor.userId}`, {
          method: "PATCH",
          token: owner.accessToken,
          body: { role: "owner" },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await call(`/users/${owner.userId}`, {
          method: "PATCH",
          token: successor.accessToken,
          body: { role: "admin" },
        })
      ).status,
    ).toBe(200);
  });

  it("deactivating a member ends their sessions at once", async () => {
    const member = await addMember(team.owner, "agent", "leaver");
    expect(
      (
        await call(`/users/${member.userId}`, {
          method: "PATCH",
          token: team.admin.accessToken,
          body: { status: "deactivated" },
        })
      ).status,
    ).toBe(200);
    expectErrorEnvelope(await call("/auth/me", { token: member.accessToken }), 401);
    expectErrorEnvelope(
      await call("/auth/refresh", { method: "POST", body: { refreshToken: member.refreshToken } }),
      401,
    );
    expectErrorEnvelope(
      await call("/auth/login", {
        method: "POST",
        body: { email: member.email, password: member.password },
      }),
      403,
    );
    expect(
      (
        await call(`/users/${member.userId}`, {
          method: "PATCH",
          token: team.admin.accessToken,
          body: { status: "active" },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await call("/auth/login", {
          method: "POST",
          body: { email: member.email, password: member.password },
        })
      ).status,
    ).toBe(200);
  });
});
