import { type Column, isNotNull, isNull, type SQL, sql } from "drizzle-orm";

/*
 * WHERE pieces that every CRM list shares, next to `planList` (list-query.ts).
 */

/** The plan's sort column as a selectable value, for `plan.nextCursor` (dates stay dates). */
export function sortValueOf(plan: { sortColumn: Column }): SQL<unknown> {
  return sql`${plan.sortColumn}`.mapWith(plan.sortColumn);
}

/** Live records by default; with `?deleted=true` only the soft-deleted ones (restore UI). */
export function deletedCondition(deletedAt: Column, query: Record<string, unknown>): SQL {
  return query.deleted === "true" ? isNotNull(deletedAt) : isNull(deletedAt);
}

/** The words of a search term as `to_tsquery` prefix terms (only letters and digits: safe). */
function prefixTerms(term: string): string {
  const words = term
    .split(/[^\p{L}\p{M}\p{N}]+/u)
    .filter((word) => /[\p{L}\p{N}]/u.test(word))
    .slice(0, 8);
  return words.map((word) => `${word}:*`).join(" & ");
}

/**
 * `q`: the generated `search` tsvector (every word as a prefix, plus whole tokens such as an
 * e-mail address) or trigram similarity on `trigramExpression`, which must be the exact
 * expression of the table's trigram index (e.g. `sb_search_text(name)`) so "Jon Smiht" still
 * finds "John Smith" through the index.
 */
export function textSearchCondition(searchColumn: Column, trigramExpression: SQL, term: string) {
  const prefixes = prefixTerms(term);
  const exact = sql`plainto_tsquery('simple', sb_search_text(${term}))`;
  const query = prefixes
    ? sql`(to_tsquery('simple', sb_search_text(${prefixes})) || ${exact})`
    : exact;
  const needle = sql`sb_search_text(${term})`;
  return sql`(${searchColumn} @@ ${query} or ${needle} % ${trigramExpression} or ${needle} <% ${trigramExpression})`;
}
