import { and, count, eq, gte, inArray, isNotNull, isNull, lte, sql } from "drizzle-orm";
import { ACTIVITY_TYPES } from "../activities/schemas";
import { activities, deals } from "../db/crm-schema";
import { users } from "../db/schema";
import { requirePermission, type TenantScope } from "../lib/scope";
import { ensureDefaultPipeline, findPipeline, type StageRow, stagesOf } from "../pipelines/service";

/*
 * The dashboard: one pipeline's open value by stage, deals won per month over the last 12
 * months, and who logged how many activities in the last 30 days. Amounts are integer minor
 * units, never summed across currencies.
 */

const MONTHS = 12;
const ACTIVITY_DAYS = 30;

type ActivityType = (typeof ACTIVITY_TYPES)[number];

interface CurrencyTotal {
  currency: string;
  count: number;
  amount: number;
}

interface GroupRow {
  key: string;
  currency: string;
  count: number;
  amount: number;
}

const amountSum = sql<number>`coalesce(sum(${deals.amount}), 0)`.mapWith(Number);

/** Rolls rows grouped by (key, currency) up into per-key counts and per-currency totals. */
function totalsByKey(rows: GroupRow[]) {
  const byKey = new Map<string, { count: number; totals: CurrencyTotal[] }>();
  for (const row of rows) {
    const entry = byKey.get(row.key) ?? { count: 0, totals: [] };
    entry.count += row.count;
    entry.totals.push({ currency: row.currency, count: row.count, amount: row.amount });
    byKey.set(row.key, entry);
  }
  return (key: string) => byKey.get(key) ?? { count: 0, totals: [] };
}

async function pipelineByStage(scope: TenantScope, pipelineId: string, stages: StageRow[]) {
  const rows = await scope.tx
    .select({ key: deals.stageId, currency: deals.currency, count: count(), amount: amountSum })
    .from(deals)
    .where(and(eq(deals.pipelineId, pipelineId), isNull(deals.deletedAt)))
    .groupBy(deals.stageId, deals.currency)
    .orderBy(deals.currency);
  const totalsOf = totalsByKey(rows);
  return stages.map((stage) => ({
    stageId: stage.id,
    name: stage.name,
    position: stage.position,
    isWon: stage.isWon,
    isLost: stage.isLost,
    ...totalsOf(stage.id),
  }));
}

/** The first instant of the UTC month `monthsAgo` months before the current one. */
function monthStart(now: Date, monthsAgo: number): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - monthsAgo, 1));
}

const monthKey = (date: Date) => date.toISOString().slice(0, 7);

async function wonByMonth(scope: TenantScope, stages: StageRow[], now: Date) {
  const wonStageIds = stages.filter((stage) => stage.isWon).map((stage) => stage.id);
  const since = monthStart(now, MONTHS - 1);
  const month = sql<string>`to_char(${deals.closedAt} at time zone 'UTC', 'YYYY-MM')`;
  const rows =
    wonStageIds.length === 0
      ? []
      : await scope.tx
          .select({ key: month, currency: deals.currency, count: count(), amount: amountSum })
          .from(deals)
          .where(
            and(
              inArray(deals.stageId, wonStageIds),
              isNull(deals.deletedAt),
              isNotNull(deals.closedAt),
              gte(deals.closedAt, since),
            ),
          )
          .groupBy(month, deals.currency)
          .orderBy(deals.currency);
  const totalsOf = totalsByKey(rows);
  return Array.from({ length: MONTHS }, (_, index) => {
    const key = monthKey(monthStart(now, MONTHS - 1 - index));
    return { month: key, ...totalsOf(key) };
  });
}

async function activitiesByUser(scope: TenantScope, now: Date) {
  const since = new Date(now.getTime() - ACTIVITY_DAYS * 86_400_000);
  const rows = await scope.tx
    .select({
      userId: users.id,
      name: users.name,
      type: activities.type,
      count: count(),
    })
    .from(activities)
    .innerJoin(users, eq(users.id, activities.createdBy))
    .where(
      and(
        isNull(activities.deletedAt),
        gte(activities.occurredAt, since),
        lte(activities.occurredAt, now),
      ),
    )
    .groupBy(users.id, users.name, activities.type);
  const byUser = new Map<
    string,
    { userId: string; name: string; total: number; byType: Record<ActivityType, number> }
  >();
  for (const row of rows) {
    const entry = byUser.get(row.userId) ?? {
      userId: row.userId,
      name: row.name,
      total: 0,
      byType: Object.fromEntries(ACTIVITY_TYPES.map((type) => [type, 0])) as Record<
        ActivityType,
        number
      >,
    };
    entry.total += row.count;
    entry.byType[row.type] += row.count;
    byUser.set(row.userId, entry);
  }
  return [...byUser.values()].sort((a, b) => b.total - a.total || a.name.localeCompare(b.name));
}

/** The dashboard of one pipeline (the default one when none is named; 404 for another org's). */
export async function dashboard(scope: TenantScope, pipelineId: string | undefined) {
  requirePermission(scope.actor, "crm:read");
  const pipeline = pipelineId
    ? await findPipeline(scope, pipelineId)
    : await ensureDefaultPipeline(scope);
  const stages = await stagesOf(scope, pipeline.id);
  const now = new Date();
  return {
    pipeline: { id: pipeline.id, name: pipeline.name },
    stages: await pipelineByStage(scope, pipeline.id, stages),
    wonByMonth: await wonByMonth(scope, stages, now),
    activitiesByUser: await activitiesByUser(scope, now),
  };
}
