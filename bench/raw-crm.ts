import type { PoolClient } from "@neondatabase/serverless";
import { keyAtIndex } from "../worker/deals/positions";
import { type CrmFixture, randomMove, randomSearchTerm, randomTimelineContact } from "./crm-seed";
import type { Task } from "./lib";
import { type Claims, type Queryable, query, tenantTransaction, withRequestPool } from "./raw-db";

/*
 * The database work of the CRM endpoints that bench/crm.ts measures, statement for statement
 * as drizzle sends it (printed with drizzle's query logger from the services themselves:
 * worker/contacts/service.ts listContacts and getContact, worker/search/service.ts search,
 * worker/activities/timeline.ts recordTimeline, worker/deals/service.ts updateDeal), each
 * inside the transaction `withTenant` wraps around it (raw-db.ts tenantTransaction: begin,
 * set_config scope, the credential check, ..., commit). One Worker request = one new Pool.
 */

type EndPool = (ending: Promise<void>) => void;

const CONTACT_COLUMNS =
  '"contacts"."id", "contacts"."org_id", "contacts"."first_name", "contacts"."last_name", "contacts"."emails", "contacts"."email_addresses", "contacts"."phones", "contacts"."phone_numbers", "contacts"."company_id", "contacts"."title", "contacts"."owner_id", "contacts"."lifecycle_stage", "contacts"."tags", "contacts"."custom", "contacts"."do_not_contact", "contacts"."version", "contacts"."deleted_at", "contacts"."created_at", "contacts"."updated_at", "companies"."id", "companies"."name", "companies"."domain"';
const CONTACTS_WITH_LIVE_COMPANY =
  'from "contacts" left join "companies" on ("companies"."id" = "contacts"."company_id" and "companies"."deleted_at" is null)';

/** The list bench/crm.ts and bench/api.ts request (bench/crm.ts's LIST_QUERY). */
export const LIST_CONTACTS_QUERY = "limit=50&filter.lifecycleStage=customer&sort=-createdAt";

// GET /contacts?limit=50&filter.lifecycleStage=customer&sort=-createdAt (limit + 1 rows).
const LIST_CONTACTS = `select ${CONTACT_COLUMNS}, "contacts"."created_at" ${CONTACTS_WITH_LIVE_COMPANY} where ("contacts"."deleted_at" is null and "contacts"."lifecycle_stage" = $1) order by "contacts"."created_at" desc nulls last, "contacts"."id" desc nulls last limit $2`;

// GET /contacts/{id}
const GET_CONTACT = `select ${CONTACT_COLUMNS} ${CONTACTS_WITH_LIVE_COMPANY} where ("contacts"."id" = $1 and "contacts"."deleted_at" is null)`;

// GET /search?q=...: one call of the crm_search function (names only: no phone arguments).
const SEARCH = "select entity, id, title, subtitle, score from crm_search($1, $2, $3, $4)";
const SEARCH_LIMIT = 20;

// GET /contacts/{id}/timeline (limit 50): the live-record check, the entries, their activities.
const FIND_LIVE_CONTACT =
  'select "id", "owner_id", "created_at" from "contacts" where ("contacts"."id" = $1 and "contacts"."deleted_at" is null)';
const TIMELINE_ENTRIES = `select t.kind, to_char(t.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at,
          t.rank, t.id
        from (select 'activity' as kind, "activities"."occurred_at" as at,
          $1::int as rank, "activities"."id" as id
        from "activities" where ("activities"."deleted_at" is null and "activities"."contact_id" = $2) union all select 'created', "contacts"."created_at", $3::int, "contacts"."id"
        from "contacts" where "contacts"."id" = $4) t 
        order by t.at desc, t.rank desc, t.id desc limit $5`;
const TIMELINE_LIMIT = 50;
const RANK_ACTIVITY = 2;
const RANK_CREATED = 0;
const activitiesById = (count: number) =>
  `select "id", "org_id", "type", "subject", "body", "occurred_at", "due_at", "done_at", "assignee_id", "created_by", "contact_id", "company_id", "lead_id", "deal_id", "metadata", "version", "deleted_at", "created_at", "updated_at" from "activities" where "activities"."id" in (${Array.from({ length: count }, (_, index) => `$${index + 1}`).join(", ")})`;

// PATCH /deals/{id} { stageId, position }: lock the deal, lock the target stage, read its
// cards' keys, write the new place (+ history when the stage changes).
const DEAL_COLUMNS =
  '"id", "org_id", "title", "amount", "currency", "expected_close_date", "pipeline_id", "stage_id", "position", "owner_id", "contact_id", "company_id", "closed_at", "tags", "custom", "search", "version", "deleted_at", "created_at", "updated_at"';
const LOCK_DEAL = `select ${DEAL_COLUMNS} from "deals" where ("deals"."id" = $1 and "deals"."deleted_at" is null) for update`;
const LOCK_STAGE =
  'select "id", "org_id", "pipeline_id", "name", "position", "probability", "is_won", "is_lost", "created_at", "updated_at" from "pipeline_stages" where "pipeline_stages"."id" = $1 for no key update';
const LIVE_KEYS =
  'select "position" from "deals" where ("deals"."stage_id" = $1 and "deals"."deleted_at" is null and "deals"."id" <> $2) order by "deals"."position" collate "C", "deals"."id" asc';
const MOVE_DEAL = `update "deals" set "pipeline_id" = $1, "stage_id" = $2, "position" = $3, "closed_at" = $4, "version" = "deals"."version" + 1, "updated_at" = $5 where "deals"."id" = $6 returning ${DEAL_COLUMNS}`;
const INSERT_STAGE_CHANGE =
  'insert into "deal_stage_history" ("id", "org_id", "deal_id", "from_stage_id", "to_stage_id", "changed_by", "changed_at") values ($1, $2, $3, $4, $5, $6, default)';

/** Column positions in the array rows of LOCK_DEAL and LOCK_STAGE. */
const DEAL_STAGE_ID = 7;
const DEAL_CLOSED_AT = 12;
const STAGE_PIPELINE_ID = 2;
const STAGE_IS_WON = 6;
const STAGE_IS_LOST = 7;

export async function listTransaction(client: Queryable): Promise<string | null> {
  const result = await query(client, LIST_CONTACTS, ["customer", 51]);
  return result.rows.length === 51 ? null : `list returned ${result.rows.length} rows`;
}

async function searchTransaction(client: PoolClient, q: string): Promise<string | null> {
  const result = await query(client, SEARCH, [q, SEARCH_LIMIT, null, null]);
  return result.rows.length > 0 ? null : "search found nothing";
}

async function contactTransaction(client: PoolClient, id: string): Promise<string | null> {
  const result = await query(client, GET_CONTACT, [id]);
  return result.rows.length === 1 ? null : "contact not found";
}

async function timelineTransaction(client: PoolClient, id: string): Promise<string | null> {
  const live = await query(client, FIND_LIVE_CONTACT, [id]);
  if (live.rows.length !== 1) return "contact not found";
  const entries = await query(client, TIMELINE_ENTRIES, [
    RANK_ACTIVITY,
    id,
    RANK_CREATED,
    id,
    TIMELINE_LIMIT + 1,
  ]);
  const activityIds = entries.rows
    .slice(0, TIMELINE_LIMIT)
    .filter((row) => row[0] === "activity")
    .map((row) => row[3]);
  // Stage changes exist only on deal timelines; the service skips the query without ids.
  if (activityIds.length > 0) await query(client, activitiesById(activityIds.length), activityIds);
  return null;
}

async function moveTransaction(
  client: PoolClient,
  claims: Claims,
  fixture: CrmFixture,
): Promise<string | null> {
  const move = randomMove(fixture);
  const [deal] = (await query(client, LOCK_DEAL, [move.dealId])).rows;
  if (!deal) return "deal not found";
  const [stage] = (await query(client, LOCK_STAGE, [move.stageId])).rows;
  if (!stage) return "stage not found";
  const keys = (await query(client, LIVE_KEYS, [move.stageId, move.dealId])).rows.map(
    (row) => row[0] as string,
  );
  const position = keyAtIndex(keys, move.position);
  const fromStageId = deal[DEAL_STAGE_ID] as string;
  const sameStage = fromStageId === move.stageId;
  const closing = stage[STAGE_IS_WON] === true || stage[STAGE_IS_LOST] === true;
  const closedAt = sameStage ? deal[DEAL_CLOSED_AT] : closing ? new Date() : null;
  await query(client, MOVE_DEAL, [
    stage[STAGE_PIPELINE_ID],
    move.stageId,
    position,
    closedAt,
    new Date(),
    move.dealId,
  ]);
  if (!sameStage) {
    await query(client, INSERT_STAGE_CHANGE, [
      crypto.randomUUID(),
      claims.org,
      move.dealId,
      fromStageId,
      move.stageId,
      claims.sub,
    ]);
  }
  return null;
}

/** One Worker request's database work: a new Pool, the tenant transaction around `work`. */
function requestTask(
  connectionString: string,
  claims: Claims,
  onPoolEnd: EndPool,
  work: (client: PoolClient) => Promise<string | null>,
): Task {
  return (signal) =>
    withRequestPool(connectionString, signal, onPoolEnd, (client) =>
      tenantTransaction(client, claims, () => work(client)),
    );
}

export interface RawCrmTasks {
  list: Task;
  search: Task;
  contactPage: Task;
  move: Task;
}

export function rawCrmTasks(
  connectionString: string,
  claims: Claims,
  fixture: CrmFixture,
  onPoolEnd: EndPool,
): RawCrmTasks {
  const task = (work: (client: PoolClient) => Promise<string | null>) =>
    requestTask(connectionString, claims, onPoolEnd, work);
  return {
    list: task(listTransaction),
    search: (signal) =>
      task((client) => searchTransaction(client, randomSearchTerm(fixture)))(signal),
    // The page's two requests, sent at once as the browser does.
    contactPage: async (signal) => {
      const id = randomTimelineContact(fixture);
      const [contact, timeline] = await Promise.all([
        task((client) => contactTransaction(client, id))(signal),
        task((client) => timelineTransaction(client, id))(signal),
      ]);
      return contact ?? timeline;
    },
    move: task((client) => moveTransaction(client, claims, fixture)),
  };
}
