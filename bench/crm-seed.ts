import pg from "pg";
import { log } from "./lib";

/*
 * The CRM benchmark's organization: 100,000 contacts (names, e-mail addresses, E.164 phone
 * numbers, some with a company), 2,000 companies, 10,000 deals spread over the default
 * pipeline's stages with fractional positions (and their first stage-history entry), and 25
 * activities on each of 200 contacts for timelines. Written directly in SQL as the owner role
 * (which bypasses row-level security, so every row names its org_id), a batch per statement,
 * then VACUUM ANALYZE so that autovacuum does not start in the middle of the measurements and
 * the planner knows the tables' sizes.
 *
 * Ids are derived from the organization (md5 of org:kind:n, shaped as a v4 uuid) so deals and
 * activities can point at contacts and companies without reading them back.
 */

export const CONTACTS = 100_000;
export const COMPANIES = 2_000;
export const DEALS = 10_000;
const CONTACT_BATCH = 10_000;
const TIMELINE_CONTACTS = 200;
const ACTIVITIES_PER_CONTACT = 25;
const SEARCH_TERMS = 50;

const FIRST_NAMES = (
  "Olivia Liam Emma Noah Amelia Oliver Sophia Elijah Isabella James Ava William Mia " +
  "Benjamin Evelyn Lucas Harper Henry Luna Theodore Camila Jack Gianna Levi Elizabeth " +
  "Alexander Eleanor Jackson Ella Mateo Abigail Daniel Sofia Michael Avery Mason " +
  "Scarlett Sebastian Emily Ethan Aria Logan Penelope Owen Chloe Samuel Layla Jacob " +
  "Mila Asher Nora Aiden Hazel John Madison Joseph Ellie Wyatt José Zoë Åsa Chloé Björn " +
  "Renée"
).split(" ");
/** Last names are three of these, e.g. "Kalomi", "Vantorwick". */
const SYLLABLES =
  "ka lo mi ren dor vel sa tor bri len mar no qui ste van ze hal gro pel cor ri dan fel wick".split(
    " ",
  );
const TITLES = [
  "CEO",
  "CTO",
  "Head of Sales",
  "Account Manager",
  "Procurement Lead",
  "Office Manager",
  "Engineer",
  "Marketing Director",
  "Operations Manager",
  "Founder",
];
const DOMAINS = "example.com example.org example.net mail.example.com".split(" ");
/** Indexed by n % 10: a fifth are customers. */
const LIFECYCLE = (
  "customer customer lead lead subscriber marketing_qualified sales_qualified opportunity " +
  "evangelist other"
).split(" ");
const INDUSTRIES = "Software Retail Logistics Healthcare Finance Manufacturing".split(" ");
const COMPANY_SUFFIXES = "Inc GmbH Ltd Labs Group AG BV Co".split(" ");
const DEAL_KINDS = ["renewal", "expansion", "pilot", "new licence", "support plan", "upgrade"];

/** How many last names there are; the first name also turns with each round of them. */
const LAST_NAMES = SYLLABLES.length ** 3;

/**
 * A last name from three syllables chosen by `n` ($2 holds SYLLABLES); n -> name is one-to-one
 * within each run of LAST_NAMES numbers (7919 is prime, coprime with the count).
 */
function lastNameSql(n: string) {
  const count = SYLLABLES.length;
  const h = `((${n} * 7919) % ${LAST_NAMES})`;
  return `initcap(($2::text[])[1 + ${h} % ${count}] || ($2::text[])[1 + (${h} / ${count}) % ${count}] || ($2::text[])[1 + ${h} / ${count ** 2}])`;
}

/** An RFC 4122 version-4 shaped uuid from md5(org:kind:n) (the API refuses other shapes). */
const idSql = (kind: string, n: string) =>
  `overlay(overlay(md5($1::uuid::text || ':${kind}:' || ${n}) placing '4' from 13) placing '8' from 17)::uuid`;

export interface Stage {
  id: string;
  name: string;
  isWon: boolean;
  isLost: boolean;
}

export interface Pipeline {
  id: string;
  stages: Stage[];
}

export interface CrmFixture {
  /** Contacts with a timeline of activities (the contact page scenario picks among them). */
  timelineContactIds: string[];
  /** Misspelled full names of existing contacts, with the contact each should find. */
  /** A misspelled full name, and the contact (and its name: many contacts share one). */
  searchTerms: { q: string; contactId: string; name: string }[];
  dealIds: string[];
  stageIds: string[];
}

interface Owner {
  orgId: string;
  userId: string;
}

async function timed(label: string, work: () => Promise<unknown>) {
  const started = performance.now();
  await work();
  log(`  ${label} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

async function seedCompanies(client: pg.Client, owner: Owner) {
  await client.query(
    `insert into companies (id, org_id, name, domain, industry, size, owner_id, created_at, updated_at)
     select ${idSql("company", "n")}, $1::uuid, c.name,
       lower(replace(c.name, ' ', '-')) || '-' || n || '.example.com',
       ($3::text[])[1 + n % cardinality($3::text[])],
       (array['1-10', '11-50', '51-200', '201-1000'])[1 + n % 4],
       case when n % 2 = 0 then $5::uuid end,
       now() - make_interval(hours => n), now() - make_interval(hours => n)
     from generate_series(1, $6::int) n
     cross join lateral (
       select ${lastNameSql("(n + 4000)")} || ' ' || ($4::text[])[1 + n % cardinality($4::text[])] as name
     ) c`,
    [owner.orgId, SYLLABLES, INDUSTRIES, COMPANY_SUFFIXES, owner.userId, COMPANIES],
  );
}

async function seedContactBatch(client: pg.Client, owner: Owner, from: number, to: number) {
  await client.query(
    `insert into contacts (id, org_id, first_name, last_name, emails, email_addresses, phones,
       phone_numbers, company_id, title, owner_id, lifecycle_stage, tags, created_at, updated_at)
     select ${idSql("contact", "n")}, $1::uuid, p.first_name, p.last_name,
       jsonb_build_array(jsonb_build_object('email', ch.email, 'primary', true)),
       array[ch.email],
       jsonb_build_array(jsonb_build_object('raw', ch.phone, 'e164', ch.phone, 'primary', true)),
       array[ch.phone],
       case when n % 3 = 0 then ${idSql("company", `(1 + n % ${COMPANIES})`)} end,
       case when n % 4 <> 0 then ($4::text[])[1 + n % cardinality($4::text[])] end,
       case when n % 2 = 0 then $7::uuid end,
       ($6::text[])[1 + n % 10]::lifecycle_stage,
       case n % 5 when 0 then array['vip'] when 1 then array['newsletter'] else '{}'::text[] end,
       now() - make_interval(secs => n * 300), now() - make_interval(secs => n * 300)
     from generate_series($8::int, $9::int) n
     cross join lateral (
       select ($3::text[])[1 + (n * 31 + n / ${LAST_NAMES}) % cardinality($3::text[])] as first_name,
         ${lastNameSql("n")} as last_name
     ) p
     cross join lateral (
       select sb_search_text(p.first_name || '.' || p.last_name) || n || '@' ||
           ($5::text[])[1 + n % cardinality($5::text[])] as email,
         '+1' || (2025550000 + n)::text as phone
     ) ch`,
    [owner.orgId, SYLLABLES, FIRST_NAMES, TITLES, DOMAINS, LIFECYCLE, owner.userId, from, to],
  );
}

/**
 * Positions 'a' || lpad(n, 6, '0') || 'V': valid fractional-indexing keys (integer part "a0"
 * or "a1", a fraction that does not end in '0') that sort by n under collate "C".
 */
async function seedDeals(client: pg.Client, owner: Owner, pipeline: Pipeline) {
  const closing = pipeline.stages.filter((stage) => stage.isWon || stage.isLost);
  await client.query(
    `insert into deals (id, org_id, title, amount, currency, expected_close_date, pipeline_id,
       stage_id, position, owner_id, contact_id, company_id, closed_at, created_at, updated_at)
     select ${idSql("deal", "n")}, $1::uuid,
       ${lastNameSql("(n + 9000)")} || ' ' || ($3::text[])[1 + n % cardinality($3::text[])],
       ((n * 7907) % 500000) * 100, 'USD', (current_date + (n % 180)),
       $4::uuid, s.stage_id, 'a' || lpad(n::text, 6, '0') || 'V',
       case when n % 2 = 0 then $6::uuid end,
       ${idSql("contact", `(1 + (n * 13) % ${CONTACTS})`)},
       case when n % 2 = 0 then ${idSql("company", `(1 + n % ${COMPANIES})`)} end,
       case when s.stage_id = any($7::uuid[]) then now() - make_interval(mins => n) end,
       now() - make_interval(mins => n * 30), now() - make_interval(mins => n * 30)
     from generate_series(1, $8::int) n
     cross join lateral (
       select ($5::uuid[])[1 + n % cardinality($5::uuid[])] as stage_id
     ) s`,
    [
      owner.orgId,
      SYLLABLES,
      DEAL_KINDS,
      pipeline.id,
      pipeline.stages.map((stage) => stage.id),
      owner.userId,
      closing.map((stage) => stage.id),
      DEALS,
    ],
  );
  // The entry createDeal writes with each deal.
  await client.query(
    `insert into deal_stage_history (id, org_id, deal_id, from_stage_id, to_stage_id, changed_by, changed_at)
     select gen_random_uuid(), org_id, id, null, stage_id, $2, created_at from deals where org_id = $1`,
    [owner.orgId, owner.userId],
  );
}

/** Contact n for the k-th timeline: spread over the whole list, not only the newest. */
const timelineContactNumber = (k: number) => k * (CONTACTS / TIMELINE_CONTACTS);

async function seedActivities(client: pg.Client, owner: Owner) {
  await client.query(
    `insert into activities (id, org_id, type, subject, body, occurred_at, due_at, done_at,
       assignee_id, created_by, contact_id, created_at, updated_at)
     select gen_random_uuid(), $1::uuid, a.type, initcap(a.type::text) || ' #' || i,
       'Talked about the ' || (array['renewal', 'pricing', 'onboarding', 'support'])[1 + i % 4] || '.',
       a.at, case when a.type = 'task' then a.at + interval '2 days' end,
       case when a.type = 'task' and i % 2 = 0 then a.at + interval '1 day' end,
       case when a.type = 'task' then $2::uuid end, $2::uuid,
       ${idSql("contact", `(k * ${CONTACTS / TIMELINE_CONTACTS})`)}, a.at, a.at
     from generate_series(1, $3::int) k
     cross join generate_series(1, $4::int) i
     cross join lateral (
       select (array['note', 'call', 'message', 'meeting', 'task'])[1 + i % 5]::activity_type as type,
         now() - make_interval(hours => i * 20 + k) as at
     ) a`,
    [owner.orgId, owner.userId, TIMELINE_CONTACTS, ACTIVITIES_PER_CONTACT],
  );
}

/** "Kalomi" -> "Kaolmi": two letters swapped inside the word. */
export function misspell(word: string): string {
  if (word.length < 4) return word;
  const at = Math.floor(word.length / 2) - 1;
  return word.slice(0, at) + (word[at + 1] ?? "") + (word[at] ?? "") + word.slice(at + 2);
}

async function searchTerms(client: pg.Client, orgId: string) {
  const result = await client.query<{ id: string; first_name: string; last_name: string }>(
    `select id, first_name, last_name from contacts where org_id = $1 order by md5(id::text) limit $2`,
    [orgId, SEARCH_TERMS],
  );
  return result.rows.map((row) => ({
    q: `${row.first_name} ${misspell(row.last_name)}`,
    contactId: row.id,
    name: `${row.first_name} ${row.last_name}`,
  }));
}

async function fixtureOf(
  client: pg.Client,
  orgId: string,
  pipeline: Pipeline,
): Promise<CrmFixture> {
  const numbers = Array.from({ length: TIMELINE_CONTACTS }, (_, k) => timelineContactNumber(k + 1));
  const timeline = await client.query<{ id: string }>(
    `select ${idSql("contact", "n")}::text as id from unnest($2::int[]) n`,
    [orgId, numbers],
  );
  const deals = await client.query<{ id: string }>(`select id from deals where org_id = $1`, [
    orgId,
  ]);
  return {
    timelineContactIds: timeline.rows.map((row) => row.id),
    searchTerms: await searchTerms(client, orgId),
    dealIds: deals.rows.map((row) => row.id),
    stageIds: pipeline.stages.map((stage) => stage.id),
  };
}

async function vacuumAnalyze(client: pg.Client) {
  for (const table of [
    "companies",
    "contacts",
    "deals",
    "deal_stage_history",
    "activities",
    "pipeline_stages",
  ]) {
    await client.query(`vacuum (analyze) ${table}`);
  }
}

/** Seeds the organization (see above) and returns what the scenarios pick from. */
export async function seedCrm(
  ownerUrl: string,
  owner: Owner,
  pipeline: Pipeline,
  cancel: AbortSignal,
): Promise<CrmFixture> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  // Interrupted: end the connection so a long statement stops waiting on our side.
  const onAbort = () => void client.end().catch(() => {});
  cancel.addEventListener("abort", onAbort, { once: true });
  try {
    await timed(`${COMPANIES} companies`, () => seedCompanies(client, owner));
    await timed(`${CONTACTS} contacts`, async () => {
      for (let from = 1; from <= CONTACTS; from += CONTACT_BATCH) {
        cancel.throwIfAborted();
        await seedContactBatch(client, owner, from, Math.min(CONTACTS, from + CONTACT_BATCH - 1));
      }
    });
    await timed(`${DEALS} deals (and their stage history)`, () =>
      seedDeals(client, owner, pipeline),
    );
    await timed(`${TIMELINE_CONTACTS * ACTIVITIES_PER_CONTACT} activities`, () =>
      seedActivities(client, owner),
    );
    await timed("vacuum (analyze)", () => vacuumAnalyze(client));
    return await fixtureOf(client, owner.orgId, pipeline);
  } finally {
    cancel.removeEventListener("abort", onAbort);
    await client.end().catch(() => {});
  }
}

const pick = <T>(items: readonly T[]): T => {
  const item = items[Math.floor(Math.random() * items.length)];
  if (item === undefined) throw new Error("Nothing to pick from");
  return item;
};

export interface MoveRequest {
  dealId: string;
  stageId: string;
  /** 0-based index among the target stage's other cards (past the end means last). */
  position: number;
}

/** A random deal to a random stage (its own included: then a reorder) at a random index. */
export function randomMove(fixture: CrmFixture): MoveRequest {
  const perStage = Math.ceil(DEALS / fixture.stageIds.length);
  return {
    dealId: pick(fixture.dealIds),
    stageId: pick(fixture.stageIds),
    position: Math.floor(Math.random() * (perStage + 1)),
  };
}

export const randomSearchTerm = (fixture: CrmFixture) => pick(fixture.searchTerms).q;
export const randomTimelineContact = (fixture: CrmFixture) => pick(fixture.timelineContactIds);
