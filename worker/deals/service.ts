import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { assertLinkedRecords } from "../crm/linked-records";
import { auditOwnerChange, ownerForNewRecord, tellNewOwner } from "../crm/ownership";
import { emitRecordEvent } from "../crm/record-events";
import { lockForEdit, type RecordType, restoreRecord, softDeleteRecord } from "../crm/soft-delete";
import { validateCustomChange, validateCustomValues } from "../custom-fields/validate";
import { dealStageHistory, deals } from "../db/crm-schema";
import { newId } from "../lib/crypto";
import { ApiError } from "../lib/errors";
import { requirePermission, type TenantScope } from "../lib/scope";
import { organizationDefaults } from "../organization/service";
import type { StageRow } from "../pipelines/service";
import { isClosingStage, lockTargetStage } from "./placement";
import { isKeyTaken, keyAtEnd, keyAtIndex, liveKeys, lockStage } from "./positions";
import type { CreateDealBody, UpdateDealBody } from "./schemas";
import {
  type DealRow,
  type DealView,
  type StageChangeView,
  toDealView,
  toStageChangeView,
} from "./views";

async function recordStageChange(
  scope: TenantScope,
  dealId: string,
  fromStageId: string | null,
  toStageId: string,
) {
  await scope.tx.insert(dealStageHistory).values({
    id: newId(),
    orgId: scope.actor.orgId,
    dealId,
    fromStageId,
    toStageId,
    changedBy: scope.actor.userId,
  });
}

/**
 * Opens a deal at the end of its stage (the default pipeline's first stage unless named), in
 * the organization's currency unless it names one.
 */
export async function createDeal(scope: TenantScope, input: CreateDealBody): Promise<DealView> {
  requirePermission(scope.actor, "crm:write");
  const ownerId = await ownerForNewRecord(scope, input.ownerId);
  await assertLinkedRecords(scope, input);
  const custom = await validateCustomValues(scope, "deal", input.custom ?? {});
  const stage = await lockTargetStage(scope, input);
  // Timestamps set here (millisecond precision) so list cursors, which carry JSON dates, stay exact.
  const now = new Date();
  const [row] = await scope.tx
    .insert(deals)
    .values({
      id: newId(),
      orgId: scope.actor.orgId,
      title: input.title,
      amount: input.amount,
      currency: input.currency ?? (await organizationDefaults(scope)).currency,
      expectedCloseDate: input.expectedCloseDate ?? null,
      pipelineId: stage.pipelineId,
      stageId: stage.id,
      position: await keyAtEnd(scope, stage.id),
      ownerId,
      contactId: input.contactId ?? null,
      companyId: input.companyId ?? null,
      closedAt: isClosingStage(stage) ? now : null,
      tags: input.tags ?? [],
      custom,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  if (!row) throw new Error("Deal insert returned no row");
  await recordStageChange(scope, row.id, null, stage.id);
  await tellNewOwner(scope, { type: "deal", id: row.id, name: row.title }, ownerId);
  emitRecordEvent(scope, "deal", "created", row);
  return toDealView(row);
}

const dealRecord: RecordType<typeof deals> = {
  table: deals,
  entity: "deal",
  noun: "Deal",
  ownerOf: (row) => row.ownerId,
  labelOf: (row) => row.title,
};

export async function getDeal(
  scope: TenantScope,
  dealId: string,
): Promise<DealView & { stageHistory: StageChangeView[] }> {
  requirePermission(scope.actor, "crm:read");
  const [row] = await scope.tx
    .select()
    .from(deals)
    .where(and(eq(deals.id, dealId), isNull(deals.deletedAt)));
  if (!row) throw ApiError.notFound("Deal");
  const history = await scope.tx
    .select()
    .from(dealStageHistory)
    .where(eq(dealStageHistory.dealId, dealId))
    .orderBy(asc(dealStageHistory.changedAt), asc(dealStageHistory.id));
  return { ...toDealView(row), stageHistory: history.map(toStageChangeView) };
}

const MOVE_KEYS = ["pipelineId", "stageId", "position"] as const;

function isMove(input: UpdateDealBody): boolean {
  return MOVE_KEYS.some((key) => input[key] !== undefined);
}

function editsFields(input: UpdateDealBody): boolean {
  return Object.entries(input).some(
    ([key, value]) =>
      value !== undefined && key !== "version" && !(MOVE_KEYS as readonly string[]).includes(key),
  );
}

interface Placement {
  stage: StageRow;
  position: string;
  closedAt: Date | null;
}

/**
 * Where a move puts the deal: the target stage (locked), the key for the requested index
 * among that stage's other live cards (the end when only the stage changes), and `closedAt`
 * set on entering a won/lost stage and cleared on entering an open one.
 */
async function placementForMove(
  scope: TenantScope,
  deal: DealRow,
  input: UpdateDealBody,
): Promise<Placement> {
  const stage = await lockTargetStage(scope, input, deal);
  const sameStage = stage.id === deal.stageId;
  if (sameStage && input.position === undefined) {
    return { stage, position: deal.position, closedAt: deal.closedAt };
  }
  const keys = await liveKeys(scope, stage.id, deal.id);
  const position = keyAtIndex(keys, input.position ?? keys.length);
  if (sameStage) return { stage, position, closedAt: deal.closedAt };
  return { stage, position, closedAt: isClosingStage(stage) ? new Date() : null };
}

/** The plain field edits of a PATCH, with custom values validated and merged. */
async function fieldChanges(scope: TenantScope, deal: DealRow, input: UpdateDealBody) {
  return {
    title: input.title,
    amount: input.amount,
    currency: input.currency,
    expectedCloseDate: input.expectedCloseDate,
    ownerId: input.ownerId,
    contactId: input.contactId,
    companyId: input.companyId,
    tags: input.tags,
    custom: await validateCustomChange(scope, "deal", input.custom, deal.custom),
  };
}

/** Edits fields and/or moves the card; see `updateDealBodySchema`. */
export async function updateDeal(
  scope: TenantScope,
  dealId: string,
  input: UpdateDealBody,
): Promise<DealView> {
  requirePermission(scope.actor, "crm:write");
  const deal = await lockForEdit(scope, dealRecord, dealId, input);
  await assertLinkedRecords(scope, input);
  const changes = await fieldChanges(scope, deal, input);
  const placement = isMove(input) ? await placementForMove(scope, deal, input) : null;
  const [row] = await scope.tx
    .update(deals)
    .set({
      ...changes,
      ...(placement && {
        pipelineId: placement.stage.pipelineId,
        stageId: placement.stage.id,
        position: placement.position,
        closedAt: placement.closedAt,
      }),
      version: sql`${deals.version} + 1`,
      updatedAt: new Date(),
    })
    .where(eq(deals.id, dealId))
    .returning();
  if (!row) throw ApiError.notFound("Deal");
  await afterUpdate(scope, deal, row, input);
  return toDealView(row);
}

async function afterUpdate(
  scope: TenantScope,
  before: DealRow,
  after: DealRow,
  input: UpdateDealBody,
) {
  if (input.ownerId !== undefined) {
    await auditOwnerChange(
      scope,
      { type: "deal", id: after.id, name: after.title },
      before.ownerId,
      after.ownerId,
    );
  }
  if (after.stageId !== before.stageId) {
    await recordStageChange(scope, after.id, before.stageId, after.stageId);
  }
  if (isMove(input)) {
    scope.emit({
      type: "deal.moved",
      id: after.id,
      fromStageId: before.stageId,
      toStageId: after.stageId,
      position: after.position,
      version: after.version,
      actorId: scope.actor.userId,
    });
  }
  if (editsFields(input)) emitRecordEvent(scope, "deal", "updated", after);
}

export async function deleteDeal(scope: TenantScope, dealId: string): Promise<DealView> {
  requirePermission(scope.actor, "crm:write");
  return toDealView(await softDeleteRecord(scope, dealRecord, dealId));
}

/**
 * Brings a soft-deleted deal back to its old place; if a live card took that exact key in the
 * meantime, the restored card goes to the end of the stage instead.
 */
export async function restoreDeal(scope: TenantScope, dealId: string): Promise<DealView> {
  requirePermission(scope.actor, "crm:write");
  const deal = await restoreRecord(scope, dealRecord, dealId);
  await lockStage(scope, deal.stageId);
  if (!(await isKeyTaken(scope, deal.stageId, deal.position, deal.id))) return toDealView(deal);
  const [row] = await scope.tx
    .update(deals)
    .set({ position: await keyAtEnd(scope, deal.stageId) })
    .where(eq(deals.id, dealId))
    .returning();
  if (!row) throw ApiError.notFound("Deal");
  return toDealView(row);
}
