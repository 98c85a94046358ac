import { and, asc, eq, isNull, ne, type SQL, sql } from "drizzle-orm";
import { generateKeyBetween } from "fractional-indexing";
import { deals, pipelineStages } from "../db/crm-schema";
import type { TenantScope } from "../lib/scope";

/*
 * A deal's place in its stage is a fractional index (`fractional-indexing` keys): moving a card
 * writes one row, the key between its new neighbours. Keys compare byte-wise, so SQL must order
 * them with the "C" collation, never the database's locale.
 *
 * Every write of a position happens with the target stage's row locked (`lockStage`), so two
 * people dropping cards into the same stage at once are serialized: the second one reads the
 * first one's committed key and places its card relative to it. Live cards of a stage therefore
 * never share a key.
 *
 * The lock is FOR NO KEY UPDATE, not FOR UPDATE: it still excludes other movers into the stage,
 * but not the KEY SHARE locks that foreign keys take. A card leaving stage A for B writes a
 * history row referencing A; with FOR UPDATE, two cards crossing A->B and B->A at once would
 * each wait for the other's stage lock (a deadlock).
 */

/** ORDER BY for cards within a stage (id breaks ties, which only a restore could create). */
export const byPosition: SQL[] = [sql`${deals.position} collate "C"`, asc(deals.id)];

/** Locks a stage of the caller's organization for the rest of the transaction (null if none). */
export async function lockStage(scope: TenantScope, stageId: string) {
  const [stage] = await scope.tx
    .select()
    .from(pipelineStages)
    .where(eq(pipelineStages.id, stageId))
    .for("no key update");
  return stage ?? null;
}

/** The keys of a stage's live cards in board order, leaving out the card being moved. */
export async function liveKeys(scope: TenantScope, stageId: string, exceptDealId?: string) {
  const rows = await scope.tx
    .select({ position: deals.position })
    .from(deals)
    .where(
      and(
        eq(deals.stageId, stageId),
        isNull(deals.deletedAt),
        exceptDealId ? ne(deals.id, exceptDealId) : undefined,
      ),
    )
    .orderBy(...byPosition);
  return rows.map((row) => row.position);
}

/** The key that puts a card at `index` among `orderedKeys` (past the end means last). */
export function keyAtIndex(orderedKeys: string[], index: number): string {
  const at = Math.min(Math.max(index, 0), orderedKeys.length);
  return generateKeyBetween(orderedKeys[at - 1] ?? null, orderedKeys[at] ?? null);
}

/**
 * A key after every card of the stage, soft-deleted ones included, so a card restored later
 * does not collide with this one.
 */
export async function keyAtEnd(scope: TenantScope, stageId: string): Promise<string> {
  const [row] = await scope.tx
    .select({ last: sql<string | null>`max(${deals.position} collate "C")` })
    .from(deals)
    .where(eq(deals.stageId, stageId));
  return generateKeyBetween(row?.last ?? null, null);
}

/** True when a live card other than `dealId` already holds `position` in the stage. */
export async function isKeyTaken(
  scope: TenantScope,
  stageId: string,
  position: string,
  dealId: string,
): Promise<boolean> {
  const [row] = await scope.tx
    .select({ id: deals.id })
    .from(deals)
    .where(
      and(
        eq(deals.stageId, stageId),
        eq(deals.position, position),
        isNull(deals.deletedAt),
        ne(deals.id, dealId),
      ),
    )
    .limit(1);
  return row !== undefined;
}
