import { count } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { hashPassword } from "../../worker/auth/passwords";
import type { Role } from "../../worker/auth/permissions";
import { memberships, organizations, users } from "../../worker/db/schema";
import { seedDemoCrm } from "./demo-crm";
import { seedDemoDesk } from "./demo-desk";
import { seedDemoKb } from "./demo-kb";
import { seedDemoTelephony } from "./demo-telephony";

export const DEMO_PASSWORD = "switchboard-demo";
export const DEMO_ORG = {
  id: "00000000-0000-4000-8000-00000000d0e0",
  name: "Demo Company",
  slug: "demo",
  csatEnabled: true,
};
export const DEMO_USERS: { email: string; name: string; role: Role }[] = [
  { email: "owner@demo.example.com", name: "Olivia Owner", role: "owner" },
  { email: "admin@demo.example.com", name: "Adam Admin", role: "admin" },
  { email: "manager@demo.example.com", name: "Maya Manager", role: "manager" },
  { email: "agent@demo.example.com", name: "Arjun Agent", role: "agent" },
  { email: "viewer@demo.example.com", name: "Vera Viewer", role: "viewer" },
];

/**
 * Local demo data, only ever run by `npm run dev` on an empty database. Runs as the owner role
 * (which bypasses RLS), so it writes plain rows. Returns false when data was already there.
 */
export async function seedDemoData(ownerUrl: string): Promise<boolean> {
  const pool = new pg.Pool({ connectionString: ownerUrl, max: 1 });
  try {
    const db = drizzle(pool, { casing: "snake_case" });
    const [existing] = await db.select({ total: count() }).from(organizations);
    if ((existing?.total ?? 0) > 0) return false;
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    await db.transaction(async (tx) => {
      await tx.insert(organizations).values(DEMO_ORG);
      const userIds: string[] = [];
      for (const [index, user] of DEMO_USERS.entries()) {
        const userId = `00000000-0000-4000-8000-0000000000${String(index + 1).padStart(2, "0")}`;
        userIds.push(userId);
        await tx.insert(users).values({
          id: userId,
          email: user.email,
          name: user.name,
          passwordHash,
          emailVerifiedAt: new Date(),
        });
        await tx
          .insert(memberships)
          .values({ id: crypto.randomUUID(), orgId: DEMO_ORG.id, userId, role: user.role });
      }
      // Owners of demo records: the manager and the agent (indexes 2 and 3).
      const people = await seedDemoCrm(tx, DEMO_ORG.id, userIds.slice(2, 4));
      // Tickets #1001.. for the agent, the manager and the owner (indexes 3, 2 and 0).
      await seedDemoDesk(
        tx,
        DEMO_ORG.id,
        [3, 2, 0].flatMap((i) => userIds[i] ?? []),
        people,
      );
      // Help articles by the manager and the agent (indexes 2 and 3).
      await seedDemoKb(tx, DEMO_ORG.id, userIds.slice(2, 4));
      // Extensions 1001.. for the agent, the manager, the admin and the owner.
      await seedDemoTelephony(
        tx,
        DEMO_ORG.id,
        [3, 2, 1, 0].flatMap((i) => userIds[i] ?? []),
      );
    });
    return true;
  } finally {
    await pool.end();
  }
}
