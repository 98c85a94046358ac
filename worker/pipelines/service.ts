import { and, asc, count, eq, isNotNull, isNull, max, ne, sql } from "drizzle-orm";
import { deals, pipelineStages, pipelines } from "../db/crm-schema";
import { newId } from "../lib/crypto";
import { ApiError } from "../lib/errors";
import { requirePermission, type TenantScope } from "../lib/scope";
import type {
  CreatePipelineBody,
  CreateStageBody,
  StageInput,
  UpdatePipelineBody,
  UpdateStageBody,
} from "./schemas";

type PipelineRow = typeof pipelines.$inferSelect;
export type StageRow = typeof pipelineStages.$inferSelect;

export interface StageView {
  id: string;
  pipelineId: string;
  name: string;
  position: number;
  probability: number;
  isWon: boolean;
  isLost: boolean;
}

export interface PipelineView {
  id: string;
  name: string;
  isDefault: boolean;
  position: number;
  createdAt: string;
  updatedAt: string;
  stages: StageView[];
}

/** The stages every organization starts with. */
export const DEFAULT_STAGES: StageInput[] = [
  { name: "Lead in", probability: 10 },
  { name: "Qualified", probability: 25 },
  { name: "Proposal", probability: 50 },
  { name: "Negotiation", probability: 75 },
  { name: "Won", probability: 100, isWon: true },
  { name: "Lost", probability: 0, isLost: true },
];

export function toStageView(row: StageRow): StageView {
  return {
    id: row.id,
    pipelineId: row.pipelineId,
    name: row.name,
    position: row.position,
    probability: row.probability,
    isWon: row.isWon,
    isLost: row.isLost,
  };
}

function toPipelineView(row: PipelineRow, stages: StageRow[]): PipelineView {
  return {
    id: row.id,
    name: row.name,
    isDefault: row.isDefault,
    position: row.position,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    stages: stages.map(toStageView),
  };
}

async function findDefaultPipeline(scope: TenantScope): Promise<PipelineRow | undefined> {
  const [row] = await scope.tx.select().from(pipelines).where(eq(pipelines.isDefault, true));
  return row;
}

function stageRows(scope: TenantScope, pipelineId: string, inputs: StageInput[], from = 0) {
  return inputs.map((input, index) => ({
    id: newId(),
    orgId: scope.actor.orgId,
    pipelineId,
    name: input.name,
    position: from + index,
    probability: input.probability ?? 0,
    isWon: input.isWon ?? false,
    isLost: input.isLost ?? false,
  }));
}

/**
 * The organization's default pipeline, created with the standard stages on first use. Two
 * first requests racing each other both end up with the same pipeline: the partial unique
 * index `pipelines_one_default_key` lets only one insert through (the other waits for it to
 * commit, then does nothing) and the loser reads the winner's row.
 */
export async function ensureDefaultPipeline(scope: TenantScope): Promise<PipelineRow> {
  const existing = await findDefaultPipeline(scope);
  if (existing) return existing;
  const [created] = await scope.tx
    .insert(pipelines)
    .values({ id: newId(), orgId: scope.actor.orgId, name: "Sales", isDefault: true })
    .onConflictDoNothing({ target: pipelines.orgId, where: sql`is_default` })
    .returning();
  if (created) {
    await scope.tx.insert(pipelineStages).values(stageRows(scope, created.id, DEFAULT_STAGES));
    return created;
  }
  const winner = await findDefaultPipeline(scope);
  if (!winner) throw new Error("Default pipeline vanished after a concurrent creation");
  return winner;
}

export async function stagesOf(scope: TenantScope, pipelineId: string): Promise<StageRow[]> {
  return scope.tx
    .select()
    .from(pipelineStages)
    .where(eq(pipelineStages.pipelineId, pipelineId))
    .orderBy(asc(pipelineStages.position), asc(pipelineStages.createdAt));
}

export async function listPipelines(scope: TenantScope): Promise<PipelineView[]> {
  requirePermission(scope.actor, "crm:read");
  await ensureDefaultPipeline(scope);
  const rows = await scope.tx
    .select()
    .from(pipelines)
    .orderBy(asc(pipelines.position), asc(pipelines.createdAt));
  const stages = await scope.tx
    .select()
    .from(pipelineStages)
    .orderBy(asc(pipelineStages.position), asc(pipelineStages.createdAt));
  return rows.map((row) =>
    toPipelineView(
      row,
      stages.filter((stage) => stage.pipelineId === row.id),
    ),
  );
}

/** A pipeline by id (404 when missing or in another organization), locked when asked. */
export async function findPipeline(
  scope: TenantScope,
  pipelineId: string,
  options: { lock?: boolean } = {},
): Promise<PipelineRow> {
  const query = scope.tx.select().from(pipelines).where(eq(pipelines.id, pipelineId));
  const [row] = options.lock ? await query.for("no key update") : await query;
  if (!row) throw ApiError.notFound("Pipeline");
  return row;
}

export async function getPipeline(scope: TenantScope, pipelineId: string): Promise<PipelineView> {
  requirePermission(scope.actor, "crm:read");
  const row = await findPipeline(scope, pipelineId);
  return toPipelineView(row, await stagesOf(scope, row.id));
}

export async function createPipeline(
  scope: TenantScope,
  input: CreatePipelineBody,
): Promise<PipelineView> {
  requirePermission(scope.actor, "crm:configure");
  await ensureDefaultPipeline(scope);
  const [last] = await scope.tx.select({ position: max(pipelines.position) }).from(pipelines);
  const [row] = await scope.tx
    .insert(pipelines)
    .values({
      id: newId(),
      orgId: scope.actor.orgId,
      name: input.name,
      position: (last?.position ?? -1) + 1,
    })
    .returning();
  if (!row) throw new Error("Pipeline insert returned no row");
  const stages = await scope.tx
    .insert(pipelineStages)
    .values(stageRows(scope, row.id, input.stages))
    .returning();
  return toPipelineView(row, stages);
}

export async function updatePipeline(
  scope: TenantScope,
  pipelineId: string,
  input: UpdatePipelineBody,
): Promise<PipelineView> {
  requirePermission(scope.actor, "crm:configure");
  const current = await findPipeline(scope, pipelineId, { lock: true });
  if (input.isDefault === false && current.isDefault) {
    throw ApiError.validation({
      isDefault: ["Make another pipeline the default instead; one must stay the default."],
    });
  }
  if (input.isDefault && !current.isDefault) {
    // Clear the old default first: the partial unique index allows only one at a time.
    await scope.tx
      .update(pipelines)
      .set({ isDefault: false, updatedAt: new Date() })
      .where(and(eq(pipelines.isDefault, true), ne(pipelines.id, pipelineId)));
  }
  const [row] = await scope.tx
    .update(pipelines)
    .set({
      name: input.name ?? current.name,
      isDefault: input.isDefault ?? current.isDefault,
      updatedAt: new Date(),
    })
    .where(eq(pipelines.id, pipelineId))
    .returning();
  if (!row) throw ApiError.notFound("Pipeline");
  return toPipelineView(row, await stagesOf(scope, row.id));
}

/** Rewrites stage positions as 0..n-1 in the given order (only rows whose position changed). */
async function writeStageOrder(scope: TenantScope, ordered: StageRow[]) {
  for (const [index, stage] of ordered.entries()) {
    if (stage.position === index) continue;
    await scope.tx
      .update(pipelineStages)
      .set({ position: index, updatedAt: new Date() })
      .where(eq(pipelineStages.id, stage.id));
  }
}

function placeAt<T>(items: T[], item: T, index: number | undefined): T[] {
  const at = Math.min(index ?? items.length, items.length);
  return [...items.slice(0, at), item, ...items.slice(at)];
}

export async function addStage(
  scope: TenantScope,
  pipelineId: string,
  input: CreateStageBody,
): Promise<PipelineView> {
  requirePermission(scope.actor, "crm:configure");
  const pipeline = await findPipeline(scope, pipelineId, { lock: true });
  const stages = await stagesOf(scope, pipelineId);
  const [row] = await scope.tx
    .insert(pipelineStages)
    .values(stageRows(scope, pipelineId, [input], stages.length))
    .returning();
  if (!row) throw new Error("Stage insert returned no row");
  await writeStageOrder(scope, placeAt(stages, row, input.position));
  return toPipelineView(pipeline, await stagesOf(scope, pipelineId));
}

async function findStageIn(scope: TenantScope, pipelineId: string, stageId: string) {
  const [stage] = await scope.tx
    .select()
    .from(pipelineStages)
    .where(and(eq(pipelineStages.id, stageId), eq(pipelineStages.pipelineId, pipelineId)))
    .for("no key update");
  if (!stage) throw ApiError.notFound("Stage");
  return stage;
}

export async function updateStage(
  scope: TenantScope,
  pipelineId: string,
  stageId: string,
  input: UpdateStageBody,
): Promise<PipelineView> {
  requirePermission(scope.actor, "crm:configure");
  const pipeline = await findPipeline(scope, pipelineId, { lock: true });
  const stage = await findStageIn(scope, pipelineId, stageId);
  const isWon = input.isWon ?? (input.isLost ? false : stage.isWon);
  const isLost = input.isLost ?? (input.isWon ? false : stage.isLost);
  await scope.tx
    .update(pipelineStages)
    .set({
      name: input.name ?? stage.name,
      probability: input.probability ?? stage.probability,
      isWon,
      isLost,
      updatedAt: new Date(),
    })
    .where(eq(pipelineStages.id, stageId));
  if (input.position !== undefined) {
    const others = (await stagesOf(scope, pipelineId)).filter((other) => other.id !== stageId);
    await writeStageOrder(scope, placeAt(others, stage, input.position));
  }
  return toPipelineView(pipeline, await stagesOf(scope, pipelineId));
}

/**
 * Deletes an empty stage. Live deals block it (409); soft-deleted deals in it move to the
 * pipeline's first remaining stage so a later restore still has somewhere to land.
 */
export async function deleteStage(
  scope: TenantScope,
  pipelineId: string,
  stageId: string,
): Promise<PipelineView> {
  requirePermission(scope.actor, "crm:configure");
  const pipeline = await findPipeline(scope, pipelineId, { lock: true });
  await findStageIn(scope, pipelineId, stageId);
  const [live] = await scope.tx
    .select({ count: count() })
    .from(deals)
    .where(and(eq(deals.stageId, stageId), isNull(deals.deletedAt)));
  if ((live?.count ?? 0) > 0) {
    throw ApiError.conflict(
      `This stage still holds ${live?.count} deal(s). Move them to another stage first.`,
    );
  }
  const remaining = (await stagesOf(scope, pipelineId)).filter((stage) => stage.id !== stageId);
  const fallback = remaining[0];
  if (!fallback) throw ApiError.conflict("A pipeline needs at least one stage.");
  await scope.tx
    .update(deals)
    .set({ stageId: fallback.id })
    .where(and(eq(deals.stageId, stageId), isNotNull(deals.deletedAt)));
  await scope.tx.delete(pipelineStages).where(eq(pipelineStages.id, stageId));
  await writeStageOrder(scope, remaining);
  return toPipelineView(pipeline, await stagesOf(scope, pipelineId));
}
