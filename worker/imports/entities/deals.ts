import { inArray, sql } from "drizzle-orm";
import { generateNKeysBetween } from "fractional-indexing";
import { dealStageHistory, deals } from "../../db/crm-schema";
import { lockStage } from "../../deals/positions";
import { newId } from "../../lib/crypto";
import type { TenantScope } from "../../lib/scope";
import type { StageRef } from "../cells";
import {
  applyCommon,
  assignFilled,
  COMPANY_FIELD,
  createdNow,
  lockLive,
  OWNER_FIELD,
  TAGS_FIELD,
  titleIn,
  titleKey,
  writeBatch,
} from "./shared";
import type { EntityImporter, ImportRecord, PlannedWrite, WriteContext } from "./types";

type DealValues = typeof deals.$inferInsert & { id: string };

function moveToStage(target: DealValues, stage: StageRef) {
  target.stageId = stage.id;
  target.pipelineId = stage.pipelineId;
  target.closedAt = stage.closed ? (target.closedAt ?? new Date()) : null;
}

function apply(target: DealValues, record: ImportRecord) {
  assignFilled(target, record.values, ["title", "amount", "currency", "expectedCloseDate"]);
  const stage = record.values.stage as StageRef | undefined;
  if (stage) moveToStage(target, stage);
  applyCommon(target, record);
}

function changesStage(write: PlannedWrite<DealValues>): boolean {
  return write.before === null || write.before.stageId !== write.values.stageId;
}

/**
 * New and moved deals go to the end of their stage: fractional keys after the stage's last one
 * (soft-deleted cards included), with the stage locked as worker/deals/positions.ts requires.
 */
async function placeAtEndOfStages(scope: TenantScope, moved: DealValues[]) {
  const stageIds = [...new Set(moved.map((deal) => deal.stageId))].sort();
  for (const stageId of stageIds) await lockStage(scope, stageId);
  const lastPositions = await scope.tx
    .select({
      stageId: deals.stageId,
      last: sql<string | null>`max(${deals.position} collate "C")`,
    })
    .from(deals)
    .where(inArray(deals.stageId, stageIds))
    .groupBy(deals.stageId);
  for (const stageId of stageIds) {
    const inStage = moved.filter((deal) => deal.stageId === stageId);
    const last = lastPositions.find((row) => row.stageId === stageId)?.last ?? null;
    const keys = generateNKeysBetween(last, null, inStage.length);
    inStage.forEach((deal, index) => {
      deal.position = keys[index] ?? deal.position;
    });
  }
}

async function recordStageHistory(scope: TenantScope, moves: PlannedWrite<DealValues>[]) {
  if (moves.length === 0) return;
  await scope.tx.insert(dealStageHistory).values(
    moves.map((move) => ({
      id: newId(),
      orgId: scope.actor.orgId,
      dealId: move.values.id,
      fromStageId: move.before?.stageId ?? null,
      toStageId: move.values.stageId,
      changedBy: scope.actor.userId,
    })),
  );
}

async function write(context: WriteContext, writes: PlannedWrite<DealValues>[]) {
  const { scope } = context;
  const moves = writes.filter(changesStage);
  if (moves.length > 0)
    await placeAtEndOfStages(
      scope,
      moves.map((move) => move.values),
    );
  await writeBatch(scope.tx, deals, writes, [
    "title",
    "amount",
    "currency",
    "expectedCloseDate",
    "pipelineId",
    "stageId",
    "position",
    "closedAt",
    "companyId",
    "ownerId",
    "tags",
    "custom",
  ]);
  await recordStageHistory(scope, moves);
}

/** Deals are the same deal when their titles match (ignoring case). */
export const dealImporter: EntityImporter<DealValues> = {
  entity: "deal",
  required: [["title"]],
  linksCompany: true,
  fields: {
    title: {
      label: "Title",
      kind: "text",
      max: 200,
      aliases: ["title", "deal", "deal name", "deal title", "name", "opportunity"],
    },
    amount: {
      label: "Amount",
      kind: "money",
      aliases: ["amount", "value", "deal value", "deal amount", "price"],
    },
    currency: { label: "Currency", kind: "currency", aliases: ["currency", "currency code"] },
    stage: {
      label: "Stage (of the default pipeline)",
      kind: "stage",
      aliases: ["stage", "deal stage", "pipeline stage"],
    },
    expectedCloseDate: {
      label: "Expected close date",
      kind: "date",
      aliases: ["expected close date", "close date", "closing date", "expected close"],
    },
    company: COMPANY_FIELD,
    tags: TAGS_FIELD,
    owner: OWNER_FIELD,
  },

  newRecord(context) {
    const stage = context.firstStage;
    if (!stage) throw new Error("deal import without a default pipeline stage");
    const deal: DealValues = {
      id: newId(),
      orgId: context.scope.actor.orgId,
      title: "",
      amount: 0,
      // Without a currency column: the organization's currency.
      currency: context.currency,
      pipelineId: stage.pipelineId,
      stageId: stage.id,
      position: "",
      tags: [],
      custom: {},
      ownerId: context.defaultOwnerId,
      ...createdNow(),
    };
    moveToStage(deal, stage);
    return deal;
  },

  apply,

  duplicateKeys: (values) => titleKey(values.title),

  async findExisting(scope, keys) {
    return lockLive(scope, deals, titleIn(deals.title, keys));
  },

  write,
};
