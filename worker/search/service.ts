import { type SQL, sql } from "drizzle-orm";
import { DEFAULT_PHONE_COUNTRY, toE164 } from "../contacts/phones";
import type { CrmEntity } from "../crm/record-tables";
import { companies, contacts, deals, leads, pipelineStages } from "../db/crm-schema";
import { requirePermission, type TenantScope } from "../lib/scope";

/*
 * One search box over contacts, companies, leads and deals. Each entity contributes its best
 * candidates: full-text matches on its `search` column (ranked by ts_rank) and trigram matches
 * on its name or title, so typos still find the record ("Jon Smiht" -> John Smith). The
 * expressions repeat the trigram indexes' own (`sb_search_text(...)`) so the indexes apply.
 * A query that looks like a phone number also matches contacts by their E.164 numbers, or by
 * the number's trailing digits. Row-level security keeps every other organization out.
 */

export interface SearchResult {
  entity: CrmEntity;
  id: string;
  title: string;
  subtitle: string | null;
  score: number;
}

interface Branch {
  entity: CrmEntity;
  id: SQL;
  title: SQL;
  subtitle: SQL;
  /** The indexed name/title text for trigram matching. */
  name: SQL;
  search: SQL;
  from: SQL;
  deletedAt: SQL;
}

const contactBranch: Branch = {
  entity: "contact",
  id: sql`${contacts.id}`,
  title: sql`trim(${contacts.firstName} || ' ' || ${contacts.lastName})`,
  subtitle: sql`nullif(concat_ws(' · ', ${contacts.title}, ${companies.name}, ${contacts.emailAddresses}[1]), '')`,
  name: sql`sb_search_text(${contacts.firstName} || ' ' || ${contacts.lastName})`,
  search: sql`${contacts.search}`,
  from: sql`${contacts} left join ${companies} on ${companies.id} = ${contacts.companyId}`,
  deletedAt: sql`${contacts.deletedAt}`,
};

const branches: Branch[] = [
  contactBranch,
  {
    entity: "company",
    id: sql`${companies.id}`,
    title: sql`${companies.name}`,
    subtitle: sql`coalesce(${companies.domain}, ${companies.industry})`,
    name: sql`sb_search_text(${companies.name})`,
    search: sql`${companies.search}`,
    from: sql`${companies}`,
    deletedAt: sql`${companies.deletedAt}`,
  },
  {
    entity: "lead",
    id: sql`${leads.id}`,
    title: sql`${leads.title}`,
    subtitle: sql`concat_ws(' · ', ${leads.status}::text, ${leads.source})`,
    name: sql`sb_search_text(${leads.title})`,
    search: sql`${leads.search}`,
    from: sql`${leads}`,
    deletedAt: sql`${leads.deletedAt}`,
  },
  {
    entity: "deal",
    id: sql`${deals.id}`,
    title: sql`${deals.title}`,
    subtitle: sql`${pipelineStages.name}`,
    name: sql`sb_search_text(${deals.title})`,
    search: sql`${deals.search}`,
    from: sql`${deals} left join ${pipelineStages} on ${pipelineStages.id} = ${deals.stageId}`,
    deletedAt: sql`${deals.deletedAt}`,
  },
];

function textBranch(branch: Branch, q: string, limit: number): SQL {
  const term = sql`sb_search_text(${q})`;
  const query = sql`websearch_to_tsquery('simple', sb_search_text(${q}))`;
  const score = sql`ts_rank(${branch.search}, ${query}) + greatest(similarity(${branch.name}, ${term}), word_similarity(${term}, ${branch.name}))`;
  return sql`(select ${branch.entity}::text as entity, ${branch.id} as id, ${branch.title} as title,
      ${branch.subtitle} as subtitle, ${score} as score
    from ${branch.from}
    where ${branch.deletedAt} is null
      and (${branch.search} @@ ${query} or ${branch.name} % ${term} or ${term} <% ${branch.name})
    order by score desc limit ${limit})`;
}

const PHONE_LIKE = /^\+?[\d\s().-]+$/;
const MIN_PHONE_DIGITS = 6;

/** The E.164 form and trailing digits of a query that looks like a phone number, else null. */
export function phoneQuery(q: string): { e164: string | null; digits: string } | null {
  const digits = q.replace(/\D/g, "");
  if (!PHONE_LIKE.test(q) || digits.length < MIN_PHONE_DIGITS) return null;
  // A national trunk prefix ("020 ...") is not part of the stored international digits.
  return { e164: toE164(q, DEFAULT_PHONE_COUNTRY), digits: digits.replace(/^0+/, "") };
}

function phoneBranch(phone: { e164: string | null; digits: string }, limit: number): SQL {
  const contact = contactBranch;
  const exact = phone.e164
    ? sql`${contacts.phoneNumbers} @> array[${phone.e164}]::text[]`
    : sql`false`;
  const suffix = sql`exists (select 1 from unnest(${contacts.phoneNumbers}) as number
    where regexp_replace(number, '\\D', '', 'g') like ${`%${phone.digits}`})`;
  return sql`(select 'contact' as entity, ${contact.id} as id, ${contact.title} as title,
      ${contact.subtitle} as subtitle, case when ${exact} then 2.0 else 1.5 end as score
    from ${contact.from}
    where ${contacts.deletedAt} is null and (${exact} or ${suffix})
    order by score desc limit ${limit})`;
}

export async function search(scope: TenantScope, q: string, limit: number) {
  requirePermission(scope.actor, "crm:read");
  // "jon" should still find "John Smith" by word similarity (default threshold 0.6).
  await scope.tx.execute(sql`select set_config('pg_trgm.word_similarity_threshold', '0.5', true)`);
  const parts = branches.map((branch) => textBranch(branch, q, limit));
  const phone = phoneQuery(q);
  if (phone) parts.push(phoneBranch(phone, limit));
  const result = await scope.tx.execute<{
    entity: CrmEntity;
    id: string;
    title: string;
    subtitle: string | null;
    score: number | string;
  }>(sql`select entity, id, title, subtitle, max(score) as score
    from (${sql.join(parts, sql` union all `)}) as candidates
    group by entity, id, title, subtitle
    order by score desc, title asc
    limit ${limit}`);
  return result.rows.map(
    (row): SearchResult => ({ ...row, score: Math.round(Number(row.score) * 10_000) / 10_000 }),
  );
}
