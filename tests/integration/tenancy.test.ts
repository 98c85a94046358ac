import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  apiKeys,
  auditLog,
  invitations,
  memberships,
  organizations,
  sessions,
} from "../../worker/db/schema";
import {
  addMember,
  call,
  expectErrorEnvelope,
  signUp,
  uniqueEmail,
  workerDatabase,
} from "./helpers";

describe("cross-tenant access by id", () => {
  it("answers 404 for another organization's member, invitation and API key", async () => {
    const alpha = await signUp("alpha");
    const beta = await signUp("beta");
    const betaMember = await addMember(beta, "agent");
    const betaInvite = await call<{ invitation: { id: string } }>("/invitations", {
      method: "POST",
      token: beta.accessToken,
      body: { email: uniqueEmail(), role: "viewer" },
    });
    const betaKey = await call<{ apiKey: { id: string } }>("/api-keys", {
      method: "POST",
      token: beta.accessToken,
      body: { name: "beta key", role: "viewer" },
    });

    expectErrorEnvelope(
      await call(`/users/${betaMember.userId}`, {
        method: "PATCH",
        token: alpha.accessToken,
        body: { role: "viewer" },
      }),
      404,
      "not_found",
    );
    expectErrorEnvelope(
      await call(`/invitations/${betaInvite.body.data.invitation.id}`, {
        method: "DELETE",
        token: alpha.accessToken,
      }),
      404,
      "not_found",
    );
    expectErrorEnvelope(
      await call(`/api-keys/${betaKey.body.data.apiKey.id}`, {
        method: "DELETE",
        token: alpha.accessToken,
      }),
      404,
      "not_found",
    );

    // Nothing of beta's was touched.
    const betaMe = await call<{ role: string }>("/auth/me", { token: betaMember.accessToken });
    expect(betaMe.body.data.role).toBe("agent");
    const keys = await call<{ id: string; revokedAt: string | null }[]>("/api-keys", {
      token: beta.accessToken,
    });
    expect(
      keys.body.data.find((key) => key.id === betaKey.body.data.apiKey.id)?.revokedAt,
    ).toBeNull();
  });

  it("never lists another organization's members or audit entries", async () => {
    const alpha = await signUp("alpha-list");
    const beta = await signUp("beta-list");
    await addMember(beta, "viewer");
    const members = await call<{ userId: string }[]>("/users", { token: alpha.accessToken });
    expect(members.body.data.map((member) => member.userId)).toEqual([alpha.userId]);
    const audit = await call<{ actorUserId: string | null }[]>("/audit-logs", {
      token: alpha.accessToken,
    });
    expect(audit.body.data.every((entry) => entry.actorUserId === alpha.userId)).toBe(true);
  });
});

describe("row-level security in the database itself", () => {
  it("shows only the scoped organization to a query with no org filter at all", async () => {
    const alpha = await signUp("rls-alpha");
    const beta = await signUp("rls-beta");
    await addMember(beta, "agent");
    const db = workerDatabase();
    try {
      const seen = await db.transaction({ orgId: alpha.orgId, userId: null }, async (tx) => ({
        orgs: await tx.select({ id: organizations.id }).from(organizations),
        memberships: await tx.select({ orgId: memberships.orgId }).from(memberships),
        sessions: await tx.select({ orgId: sessions.orgId }).from(sessions),
        audit: await tx.select({ orgId: auditLog.orgId }).from(auditLog),
        invitations: await tx.select({ orgId: invitations.orgId }).from(invitations),
        keys: await tx.select({ orgId: apiKeys.orgId }).from(apiKeys),
      }));
      expect(seen.orgs.map((row) => row.id)).toEqual([alpha.orgId]);
      for (const rows of [
        seen.memberships,
        seen.sessions,
        seen.audit,
        seen.invitations,
        seen.keys,
      ]) {
        expect(rows.every((row) => row.orgId === alpha.orgId)).toBe(true);
      }
      expect(seen.memberships).toHaveLength(1);
      expect(seen.sessions.length).toBeGreaterThan(0);
    } finally {
      await db.close();
    }
  });

  it("shows no tenant rows at all when no organization is set", async () => {
    await signUp("rls-none");
    const db = workerDatabase();
    try {
      const counts = await db.global((tx) =>
        tx.execute(
          sql`select (select count(*) from organizations) as orgs, (select count(*) from memberships) as members, (select count(*) from audit_log) as audit, (select count(*) from sessions) as sessions`,
        ),
      );
      expect(counts.rows[0]).toEqual({ orgs: "0", members: "0", audit: "0", sessions: "0" });
    } finally {
      await db.close();
    }
  });

  it("refuses to write a row into another organization", async () => {
    const alpha = await signUp("rls-write-a");
    const beta = await signUp("rls-write-b");
    const db = workerDatabase();
    try {
      const attempt = db.transaction({ orgId: alpha.orgId, userId: alpha.userId }, (tx) =>
        tx
          .insert(auditLog)
          .values({ id: crypto.randomUUID(), orgId: beta.orgId, action: "auth.signed_in" }),
      );
      await expect(attempt).rejects.toMatchObject({
        cause: { message: expect.stringMatching(/row-level security policy/) },
      });
    } finally {
      await db.close();
    }
  });

  it("runs the Worker as a role that owns no table and cannot bypass RLS, on every tenant table", async () => {
    const db = workerDatabase();
    try {
      const result = await db.global((tx) =>
        tx.execute(
          sql`select r.rolbypassrls, r.rolsuper, (select count(*) from pg_tables t where t.schemaname = 'public' and t.tableowner = current_user) as owned, (select bool_and(c.relforcerowsecurity and c.relrowsecurity) from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind = 'r' and (c.relname = 'organizations' or exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'org_id' and not a.attisdropped))) as forced from pg_roles r where r.rolname = current_user`,
        ),
      );
      expect(result.rows[0]).toEqual({
        rolbypassrls: false,
        rolsuper: false,
        owned: "0",
        forced: true,
      });
    } finally {
      await db.close();
    }
  });
});
