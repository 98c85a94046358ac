import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { call, type Session, signUp, workerDatabase } from "./helpers";

/*
 * Server connections are shared: the Worker reaches PostgreSQL through a pooler in transaction
 * mode (locally PgBouncer, in production Neon's `-pooler` endpoint), so consecutive
 * transactions of different requests and organizations run on the same PostgreSQL session.
 * The tenant scope is transaction-local (set_config(..., true)); nothing may carry over.
 */

interface ContactRow {
  id: string;
  firstName: string;
}

async function createContacts(owner: Session, prefix: string, count: number) {
  for (let index = 0; index < count; index += 1) {
    const created = await call("/contacts", {
      method: "POST",
      token: owner.accessToken,
      body: { firstName: `${prefix}${index}`, lastName: "Pooled" },
    });
    expect(created.status).toBe(201);
  }
}

describe("connection reuse across tenants", () => {
  it("many concurrent requests of two organizations never see each other's rows", async () => {
    const alpha = await signUp("pool-alpha");
    const beta = await signUp("pool-beta");
    await createContacts(alpha, "Alpha", 3);
    await createContacts(beta, "Beta", 3);

    const requests = Array.from({ length: 60 }, (_, index) => {
      const [owner, prefix] = index % 2 === 0 ? [alpha, "Alpha"] : [beta, "Beta"];
      return index % 4 < 2
        ? call<ContactRow[]>("/contacts?limit=50", { token: owner.accessToken }).then(
            (response) => ({ kind: "list" as const, owner, prefix, response }),
          )
        : call<{ organization: { id: string } }>("/auth/me", { token: owner.accessToken }).then(
            (response) => ({ kind: "me" as const, owner, prefix, response }),
          );
    });
    for (const result of await Promise.all(requests)) {
      expect(result.response.status).toBe(200);
      if (result.kind === "list") {
        const names = (result.response.body.data as ContactRow[]).map((row) => row.firstName);
        expect(names).toHaveLength(3);
        for (const name of names) expect(name.startsWith(result.prefix)).toBe(true);
      } else {
        const me = result.response.body.data as { organization: { id: string } };
        expect(me.organization.id).toBe(result.owner.orgId);
      }
    }
  });

  it("a transaction never starts with another transaction's organization set", async () => {
    const alpha = await signUp("pool-scope-a");
    const beta = await signUp("pool-scope-b");
    const databases = Array.from({ length: 12 }, () => workerDatabase());
    try {
      const rounds = await Promise.all(
        databases.map(async (database, index) => {
          const seen: (string | null)[] = [];
          for (let round = 0; round < 5; round += 1) {
            const orgId = (index + round) % 2 === 0 ? alpha.orgId : beta.orgId;
            // Sets an organization and commits...
            await database.transaction({ orgId, userId: null }, async (tx) => {
              await tx.execute(sql`select 1`);
            });
            // ...then a transaction that sets nothing reads what it would inherit.
            const inherited = await database.db.transaction(async (tx) => {
              const result = await tx.execute<{ org: string | null }>(
                sql`select current_setting('app.org_id', true) as org`,
              );
              return result.rows[0]?.org ?? null;
            });
            seen.push(inherited);
          }
          return seen;
        }),
      );
      for (const seen of rounds) {
        for (const value of seen) expect(value === null || value === "").toBe(true);
      }
    } finally {
      await Promise.all(databases.map((database) => database.close()));
    }
  });
});
