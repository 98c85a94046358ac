import { z } from "@hono/zod-openapi";
import { and, eq, inArray, isNull, or, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { TicketPriority, TicketStatus } from "../../shared/desk";
import { can } from "../auth/permissions";
import { type CrmEntity, recordTables, requireLiveRecord } from "../crm/record-tables";
import { activities, contacts, dealStageHistory, pipelineStages } from "../db/crm-schema";
import { tickets } from "../db/desk-schema";
import { instantSchema } from "../lib/dates";
import { ApiError } from "../lib/errors";
import { requirePermission, type TenantScope } from "../lib/scope";
import type { ACTIVITY_TYPES } from "./schemas";
import { type ActivityView, toActivityView } from "./service";

/*
 * A record's timeline: its activities, a deal's stage changes and the record's own creation,
 * and the support tickets about it (when they were opened), newest first, in one
 * keyset-paginated list over (at, rank, id). The cursor keeps Postgres'
 * microseconds so that entries within the same millisecond are neither skipped nor repeated;
 * at the same instant the record's creation sorts before (below) what happened to it.
 */

export type TimelineKind = "activity" | "stage_change" | "created" | "ticket";

export interface StageChangeView {
  fromStageId: string | null;
  toStageId: string;
  fromStageName: string | null;
  toStageName: string | null;
  changedBy: string | null;
}

export interface TimelineTicketView {
  id: string;
  number: number;
  subject: string;
  status: TicketStatus;
  priority: TicketPriority;
}

export interface TimelineItem {
  kind: TimelineKind;
  at: string;
  id: string;
  activity?: ActivityView;
  stageChange?: StageChangeView;
  ticket?: TimelineTicketView;
}

interface TimelineEntry extends Record<string, unknown> {
  kind: TimelineKind;
  at: string;
  rank: number;
  id: string;
}

/** Tie-break at equal times: creation first in history, so last in a newest-first list. */
const RANKS: Record<TimelineKind, number> = {
  created: 0,
  stage_change: 1,
  activity: 2,
  ticket: 3,
};

const cursorSchema = z.object({
  at: instantSchema(),
  rank: z.number().int().min(0).max(3),
  id: z.string().uuid(),
});

function encodeTimelineCursor(entry: TimelineEntry): string {
  return btoa(JSON.stringify({ at: entry.at, rank: entry.rank, id: entry.id }))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

function decodeTimelineCursor(cursor: string) {
  try {
    const json = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
    return cursorSchema.parse(JSON.parse(json));
  } catch {
    throw ApiError.badRequest("The pagination cursor is invalid.", { cursor: ["Invalid cursor."] });
  }
}

/** Which activities belong on the timeline; a company's include those of its contacts. */
function activityCondition(entity: CrmEntity, id: string): SQL | undefined {
  switch (entity) {
    case "contact":
      return eq(activities.contactId, id);
    case "lead":
      return eq(activities.leadId, id);
    case "deal":
      return eq(activities.dealId, id);
    case "company": {
      const itsContacts = sql`select ${contacts.id} from ${contacts} where ${contacts.companyId} = ${id} and ${contacts.deletedAt} is null`;
      return or(eq(activities.companyId, id), sql`${activities.contactId} in (${itsContacts})`);
    }
  }
}

/**
 * Which tickets belong on the timeline: a contact's as requester, a company's and a deal's as
 * linked, and a company's also those its contacts asked; none on a lead's.
 */
function ticketCondition(entity: CrmEntity, id: string): SQL | undefined {
  switch (entity) {
    case "contact":
      return eq(tickets.requesterId, id);
    case "deal":
      return eq(tickets.dealId, id);
    case "company": {
      const itsContacts = sql`select ${contacts.id} from ${contacts} where ${contacts.companyId} = ${id} and ${contacts.deletedAt} is null`;
      return or(eq(tickets.companyId, id), sql`${tickets.requesterId} in (${itsContacts})`);
    }
    case "lead":
      return undefined;
  }
}

/**
 * When the record came to be. A deal's first stage entry is written in the same transaction as
 * the deal, possibly stamped a moment earlier; the creation never comes after it.
 */
function createdAt(entity: CrmEntity, id: string): SQL {
  const table = recordTables[entity];
  if (entity !== "deal") return sql`${table.createdAt}`;
  const firstStage = sql`select min(${dealStageHistory.changedAt}) from ${dealStageHistory} where ${eq(dealStageHistory.dealId, id)}`;
  return sql`least(${table.createdAt}, (${firstStage}))`;
}

/** With `types`, only those activities: a filtered timeline leaves out stage moves and creation. */
function timelineUnion(
  entity: CrmEntity,
  id: string,
  types: ActivityType[] | undefined,
  withTickets: boolean,
): SQL {
  const table = recordTables[entity];
  const branches = [
    sql`select 'activity' as kind, ${activities.occurredAt} as at,
          ${RANKS.activity}::int as rank, ${activities.id} as id
        from ${activities} where ${and(
          isNull(activities.deletedAt),
          activityCondition(entity, id),
          types ? inArray(activities.type, types) : undefined,
        )}`,
  ];
  if (types) return branches[0] as SQL;
  branches.push(
    sql`select 'created', ${createdAt(entity, id)}, ${RANKS.created}::int, ${table.id}
        from ${table} where ${eq(table.id, id)}`,
  );
  if (entity === "deal") {
    branches.push(
      sql`select 'stage_change', ${dealStageHistory.changedAt},
          ${RANKS.stage_change}::int, ${dealStageHistory.id}
          from ${dealStageHistory} where ${eq(dealStageHistory.dealId, id)}`,
    );
  }
  const aboutTickets = withTickets ? ticketCondition(entity, id) : undefined;
  if (aboutTickets) {
    branches.push(
      sql`select 'ticket', ${tickets.createdAt}, ${RANKS.ticket}::int, ${tickets.id}
          from ${tickets} where ${and(isNull(tickets.deletedAt), aboutTickets)}`,
    );
  }
  return sql.join(branches, sql` union all `);
}

type ActivityType = (typeof ACTIVITY_TYPES)[number];

export interface TimelineOptions {
  limit: number;
  cursor?: string | undefined;
  type?: ActivityType[] | undefined;
}

async function timelineEntries(
  scope: TenantScope,
  entity: CrmEntity,
  id: string,
  query: TimelineOptions,
): Promise<TimelineEntry[]> {
  const after = query.cursor ? decodeTimelineCursor(query.cursor) : null;
  const older = after
    ? sql`where (t.at, t.rank, t.id) < (${after.at}::timestamptz, ${after.rank}::int, ${after.id}::uuid)`
    : sql``;
  // `at` goes out as text with Postgres' microseconds, for an exact cursor.
  const result = await scope.tx.execute<TimelineEntry>(
    sql`select t.kind, to_char(t.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at,
          t.rank, t.id
        from (${timelineUnion(entity, id, query.type, can(scope.actor.role, "tickets:read"))}) t ${older}
        order by t.at desc, t.rank desc, t.id desc limit ${query.limit + 1}`,
  );
  return result.rows;
}

async function activitiesById(scope: TenantScope, ids: string[]) {
  if (ids.length === 0) return new Map<string, ActivityView>();
  const rows = await scope.tx.select().from(activities).where(inArray(activities.id, ids));
  return new Map(rows.map((row) => [row.id, toActivityView(row)]));
}

async function stageChangesById(scope: TenantScope, ids: string[]) {
  if (ids.length === 0) return new Map<string, StageChangeView>();
  const fromStage = alias(pipelineStages, "from_stage");
  const toStage = alias(pipelineStages, "to_stage");
  const rows = await scope.tx
    .select({
      id: dealStageHistory.id,
      fromStageId: dealStageHistory.fromStageId,
      toStageId: dealStageHistory.toStageId,
      fromStageName: fromStage.name,
      toStageName: toStage.name,
      changedBy: dealStageHistory.changedBy,
    })
    .from(dealStageHistory)
    .leftJoin(fromStage, eq(fromStage.id, dealStageHistory.fromStageId))
    .leftJoin(toStage, eq(toStage.id, dealStageHistory.toStageId))
    .where(inArray(dealStageHistory.id, ids));
  return new Map(rows.map(({ id, ...change }) => [id, change]));
}

async function ticketsById(scope: TenantScope, ids: string[]) {
  if (ids.length === 0) return new Map<string, TimelineTicketView>();
  const rows = await scope.tx
    .select({
      id: tickets.id,
      number: tickets.number,
      subject: tickets.subject,
      status: tickets.status,
      priority: tickets.priority,
    })
    .from(tickets)
    .where(inArray(tickets.id, ids));
  return new Map(rows.map((row) => [row.id, row]));
}

function idsOf(entries: TimelineEntry[], kind: TimelineKind) {
  return entries.filter((entry) => entry.kind === kind).map((entry) => entry.id);
}

/** One page of a record's timeline, newest first; 404 unless the record is live in the org. */
export async function recordTimeline(
  scope: TenantScope,
  entity: CrmEntity,
  id: string,
  query: TimelineOptions,
) {
  requirePermission(scope.actor, "crm:read");
  await requireLiveRecord(scope, entity, id);
  const entries = await timelineEntries(scope, entity, id, query);
  const pageEntries = entries.slice(0, query.limit);
  const [activityMap, stageMap, ticketMap] = [
    await activitiesById(scope, idsOf(pageEntries, "activity")),
    await stageChangesById(scope, idsOf(pageEntries, "stage_change")),
    await ticketsById(scope, idsOf(pageEntries, "ticket")),
  ];
  const rows: TimelineItem[] = pageEntries.map((entry) => ({
    kind: entry.kind,
    at: new Date(entry.at).toISOString(),
    id: entry.id,
    ...(entry.kind === "activity" ? { activity: activityMap.get(entry.id) } : {}),
    ...(entry.kind === "stage_change" ? { stageChange: stageMap.get(entry.id) } : {}),
    ...(entry.kind === "ticket" ? { ticket: ticketMap.get(entry.id) } : {}),
  }));
  const last = pageEntries.at(-1);
  const nextCursor = entries.length > query.limit && last ? encodeTimelineCursor(last) : null;
  return { rows, nextCursor };
}
