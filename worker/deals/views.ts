import type { dealStageHistory, deals } from "../db/crm-schema";

export type DealRow = typeof deals.$inferSelect;

export interface DealView {
  id: string;
  title: string;
  amount: number;
  currency: string;
  expectedCloseDate: string | null;
  pipelineId: string;
  stageId: string;
  position: string;
  ownerId: string | null;
  contactId: string | null;
  companyId: string | null;
  closedAt: string | null;
  tags: string[];
  custom: Record<string, unknown>;
  version: number;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

export interface StageChangeView {
  id: string;
  fromStageId: string | null;
  toStageId: string;
  changedBy: string | null;
  changedAt: string;
}

export function toDealView(row: DealRow): DealView {
  return {
    id: row.id,
    title: row.title,
    amount: Number(row.amount),
    currency: row.currency,
    expectedCloseDate: row.expectedCloseDate,
    pipelineId: row.pipelineId,
    stageId: row.stageId,
    position: row.position,
    ownerId: row.ownerId,
    contactId: row.contactId,
    companyId: row.companyId,
    closedAt: row.closedAt?.toISOString() ?? null,
    tags: row.tags,
    custom: row.custom,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    deletedAt: row.deletedAt?.toISOString() ?? null,
  };
}

export function toStageChangeView(row: typeof dealStageHistory.$inferSelect): StageChangeView {
  return {
    id: row.id,
    fromStageId: row.fromStageId,
    toStageId: row.toStageId,
    changedBy: row.changedBy,
    changedAt: row.changedAt.toISOString(),
  };
}
