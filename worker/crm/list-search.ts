import { type Column, type SQL, sql } from "drizzle-orm";
import type { CountryCode } from "libphonenumber-js";
import { DEFAULT_PHONE_COUNTRY, looksLikePhone, phoneQuery } from "../contacts/phones";
import type { TenantScope } from "../lib/scope";
import { organizationDefaults } from "../organization/service";
import type { ListQuery } from "./list-query";
import type { CrmEntity } from "./record-tables";

/*
 * `q` on the contact, company, lead and deal lists. The matching ids come from the
 * `crm_list_search` database function (migrations/0013), which runs with its owner's rights so
 * the full-text and trigram indexes apply; under row-level security the planner may not use
 * them (their operators are not LEAKPROOF) and would read every row of the organization. It
 * filters by the caller's organization as the policies do. A term matches:
 *   - the record's words as prefixes, or the whole term ("acme corp", "jane");
 *   - names and titles with typos (trigram similarity: "Jon Smiht" finds John Smith);
 *   - inside e-mail addresses, for a one-word term of 3+ characters ("import-test" finds
 *     x@import-test.example), contacts and leads;
 *   - phone numbers in any format, for a term that looks like one: its E.164 form read in the
 *     organization's default country, or its digits (trunk prefix dropped) inside a number
 *     ("020 7946 0000", "7946 0000", "+44 20 7946 0000" all find +442079460000).
 */

/** The words of a search term as `to_tsquery` prefix terms (only letters and digits: safe). */
function prefixTerms(term: string): string {
  const words = term
    .split(/[^\p{L}\p{M}\p{N}]+/u)
    .filter((word) => /[\p{L}\p{N}]/u.test(word))
    .slice(0, 8);
  return words.map((word) => `${word}:*`).join(" & ");
}

/** `idColumn IN (the ids of this entity's records that match term)`. */
export function listSearchCondition(
  entity: CrmEntity,
  idColumn: Column,
  term: string,
  country: CountryCode,
): SQL {
  const prefixes = prefixTerms(term);
  const exact = sql`plainto_tsquery('simple', sb_search_text(${term}))`;
  const words = prefixes
    ? sql`(to_tsquery('simple', sb_search_text(${prefixes})) || ${exact})`
    : exact;
  const phone = phoneQuery(term, country);
  const trimmed = term.trim();
  const fragment = !phone && !/\s/.test(trimmed) ? trimmed : null;
  return sql`${idColumn} in (select crm_list_search.id from crm_list_search(${entity}, sb_search_text(${term}), ${words}, ${fragment}::text, ${phone?.e164 ?? null}::text, ${phone?.digits ?? null}::text) as crm_list_search(id))`;
}

/** The country a list's `q` reads phone numbers in: the organization's, when `q` is one. */
export async function listSearchCountry(scope: TenantScope, query: ListQuery) {
  if (!query.q || !looksLikePhone(query.q)) return DEFAULT_PHONE_COUNTRY;
  return (await organizationDefaults(scope)).country;
}
