import { and, count, eq, isNull, sql } from "drizzle-orm";
import type { ListQuery } from "../crm/list-query";
import { listPlainRecords, recordListSpec } from "../crm/record-list";
import { deals } from "../db/crm-schema";
import { requirePermission, type TenantScope } from "../lib/scope";
import { ensureDefaultPipeline, findPipeline, stagesOf, toStageView } from "../pipelines/service";
import { byPosition } from "./positions";
import { toDealView } from "./views";

export const dealListSpec = recordListSpec("deal", deals, {
  title: { column: deals.title, type: "text", sortable: true },
  amount: { column: deals.amount, type: "bigint", sortable: true },
  currency: { column: deals.currency, type: "text" },
  pipelineId: { column: deals.pipelineId, type: "uuid" },
  stageId: { column: deals.stageId, type: "uuid" },
  contactId: { column: deals.contactId, type: "uuid" },
  companyId: { column: deals.companyId, type: "uuid" },
  expectedCloseDate: { column: deals.expectedCloseDate, type: "date" },
  closedAt: { column: deals.closedAt, type: "date" },
});

export async function listDeals(scope: TenantScope, query: ListQuery) {
  const result = await listPlainRecords(scope, deals, dealListSpec, query);
  return { rows: result.rows.map(toDealView), nextCursor: result.nextCursor };
}

function boardPipeline(scope: TenantScope, pipelineId: string | undefined) {
  return pipelineId ? findPipeline(scope, pipelineId) : ensureDefaultPipeline(scope);
}

/** `undefined`: everyone's deals; `null`: deals nobody owns; an id: that member's. */
type OwnerFilter = string | null | undefined;

function boardDeals(pipelineId: string, ownerId: OwnerFilter) {
  return and(
    eq(deals.pipelineId, pipelineId),
    isNull(deals.deletedAt),
    ownerId === undefined
      ? undefined
      : ownerId === null
        ? isNull(deals.ownerId)
        : eq(deals.ownerId, ownerId),
  );
}

/** Per stage and currency: how many live deals and their summed amount. */
async function stageTotals(scope: TenantScope, pipelineId: string, ownerId: OwnerFilter) {
  return scope.tx
    .select({
      stageId: deals.stageId,
      currency: deals.currency,
      count: count(),
      amount: sql<string>`coalesce(sum(${deals.amount}), 0)`,
    })
    .from(deals)
    .where(boardDeals(pipelineId, ownerId))
    .groupBy(deals.stageId, deals.currency);
}

/** The first `limit` live cards of each stage of the pipeline, in board order. */
async function boardCards(
  scope: TenantScope,
  pipelineId: string,
  limit: number,
  ownerId: OwnerFilter,
) {
  const ranked = scope.tx
    .select({
      id: deals.id,
      rank: sql<number>`row_number() over (partition by ${deals.stageId} order by ${deals.position} collate "C", ${deals.id})`.as(
        "rank",
      ),
    })
    .from(deals)
    .where(boardDeals(pipelineId, ownerId))
    .as("ranked");
  return scope.tx
    .select({ deal: deals })
    .from(deals)
    .innerJoin(ranked, eq(ranked.id, deals.id))
    .where(sql`${ranked.rank} <= ${limit}`)
    .orderBy(...byPosition)
    .then((rows) => rows.map((row) => row.deal));
}

/** The kanban: stages in order, each with its cards by position, count and totals (of one owner's deals with `ownerId`). */
export async function getBoard(
  scope: TenantScope,
  query: { pipelineId?: string | undefined; limit: number; ownerId?: OwnerFilter },
) {
  requirePermission(scope.actor, "crm:read");
  const pipeline = await boardPipeline(scope, query.pipelineId);
  const stages = await stagesOf(scope, pipeline.id);
  const totals = await stageTotals(scope, pipeline.id, query.ownerId);
  const cards = await boardCards(scope, pipeline.id, query.limit, query.ownerId);
  return {
    pipeline: { id: pipeline.id, name: pipeline.name, isDefault: pipeline.isDefault },
    stages: stages.map((stage) => {
      const stageTotalsRows = totals.filter((total) => total.stageId === stage.id);
      const amountByCurrency = Object.fromEntries(
        stageTotalsRows.map((total) => [total.currency, Number(total.amount)]),
      );
      return {
        ...toStageView(stage),
        count: stageTotalsRows.reduce((sum, total) => sum + total.count, 0),
        totalAmount: stageTotalsRows.reduce((sum, total) => sum + Number(total.amount), 0),
        amountByCurrency,
        deals: cards.filter((card) => card.stageId === stage.id).map(toDealView),
      };
    }),
  };
}
