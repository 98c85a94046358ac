import { sql } from "drizzle-orm";
import type { Tx } from "../db/client";
import { searchTerm } from "../search/service";

/**
 * Ids of the organization's live articles matching `q`, best first, through `kb_search`
 * (migrations/0021): global search's typo tolerance (full text + trigram similarity on the
 * title). `publishedOnly` for the public help page.
 */
export async function searchArticleIds(
  tx: Tx,
  q: string,
  publishedOnly: boolean,
  limit: number,
): Promise<string[]> {
  const term = searchTerm(q).trim();
  if (!term) return [];
  const result = await tx.execute<{ id: string }>(
    sql`select id from kb_search(${term}, ${publishedOnly}, ${limit})`,
  );
  return result.rows.map((row) => row.id);
}
