import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "../db/client";
import { type AfterCommit, runUnitOfWork } from "../lib/unit-of-work";
import { loadConversationViews } from "./load";

/*
 * Snoozed conversations whose time has come are reopened across organizations by one
 * function (`wake_snoozed_conversations`, migration 0019), run by the per-minute cron's job;
 * then each organization's inbox hears of its own (one unit of work per organization, to read
 * the views under its row-level security). The customer writing wakes one sooner
 * (counters.ts).
 */

const wokenSchema = z.array(z.object({ org_id: z.string(), id: z.string() }));

export async function wakeSnoozedConversations(database: Database, afterCommit: AfterCommit) {
  const { rows } = await database.global((tx) =>
    tx.execute(sql`select org_id, id from wake_snoozed_conversations()`),
  );
  const byOrg = new Map<string, string[]>();
  for (const row of wokenSchema.parse(rows)) {
    byOrg.set(row.org_id, [...(byOrg.get(row.org_id) ?? []), row.id]);
  }
  for (const [orgId, ids] of byOrg) {
    await runUnitOfWork(database, { orgId, userId: null }, afterCommit, async (unit) => {
      for (const conversation of await loadConversationViews(unit.tx, ids)) {
        unit.emit({ type: "conversation.updated", conversation });
      }
    });
  }
  console.log(
    JSON.stringify({ level: "info", msg: "woke snoozed conversations", count: rows.length }),
  );
}
