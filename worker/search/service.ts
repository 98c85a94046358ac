import { sql } from "drizzle-orm";
import { looksLikePhone, phoneQuery } from "../contacts/phones";
import type { CrmEntity } from "../crm/record-tables";
import { requirePermission, type TenantScope } from "../lib/scope";
import { organizationDefaults } from "../organization/service";

/*
 * One search box over contacts, companies, leads and deals, answered by the `crm_search`
 * database function (migrations/0008, ranking revised in 0013): each entity contributes its
 * best candidates, full-text matches on its `search` column and trigram matches on its name or
 * title, ranked by ts_rank + similarity + word similarity, so typos still find the record
 * ("Jon Smiht" -> John Smith), also among look-alike names. A query that looks like a phone
 * number (read in the organization's default country) also matches contacts and leads by
 * their E.164 numbers, or by the number's trailing digits.
 * The function runs with its owner's rights so the indexes apply (see the migration) and
 * filters by the caller's organization exactly as the row-level security policies do.
 */

export interface SearchResult {
  entity: CrmEntity;
  id: string;
  title: string;
  subtitle: string | null;
  score: number;
}

/**
 * `websearch_to_tsquery` reads each `-` as NOT and fails ("tsquery stack too small") on a
 * run of about 32; a run of dashes is folded to the negation it means (even: none, odd: one).
 */
export function searchTerm(q: string): string {
  return q.replace(/-{2,}/g, (run) => (run.length % 2 === 0 ? " " : "-"));
}

export async function search(scope: TenantScope, raw: string, limit: number) {
  requirePermission(scope.actor, "crm:read");
  const q = searchTerm(raw);
  const phone = looksLikePhone(q)
    ? phoneQuery(q, (await organizationDefaults(scope)).country)
    : null;
  const result = await scope.tx.execute<{
    entity: CrmEntity;
    id: string;
    title: string;
    subtitle: string | null;
    score: number | string;
  }>(
    sql`select entity, id, title, subtitle, score from crm_search(${q}, ${limit}, ${phone?.e164 ?? null}, ${phone?.digits ?? null})`,
  );
  return result.rows.map(
    (row): SearchResult => ({ ...row, score: Math.round(Number(row.score) * 10_000) / 10_000 }),
  );
}
