import { eq } from "drizzle-orm";
import { pipelines } from "../db/crm-schema";
import { ApiError } from "../lib/errors";
import type { TenantScope } from "../lib/scope";
import { ensureDefaultPipeline, type StageRow, stagesOf } from "../pipelines/service";
import { lockStage } from "./positions";

/*
 * Which stage a deal goes to, from what the request names. The chosen stage comes back locked
 * (see positions.ts), ready for a position to be computed in it.
 */

export interface PlacementRequest {
  pipelineId?: string | undefined;
  stageId?: string | undefined;
}

/** Where the deal is now, for edits (absent on create). */
export interface CurrentPlacement {
  pipelineId: string;
  stageId: string;
}

async function lockNamedStage(scope: TenantScope, stageId: string, pipelineId?: string) {
  const stage = await lockStage(scope, stageId);
  if (!stage) throw ApiError.validation({ stageId: ["No such stage."] });
  if (pipelineId && stage.pipelineId !== pipelineId) {
    throw ApiError.validation({ stageId: ["This stage belongs to another pipeline."] });
  }
  return stage;
}

async function pipelineIdOrDefault(scope: TenantScope, pipelineId: string | undefined) {
  if (!pipelineId) return (await ensureDefaultPipeline(scope)).id;
  const [row] = await scope.tx
    .select({ id: pipelines.id })
    .from(pipelines)
    .where(eq(pipelines.id, pipelineId));
  if (!row) throw ApiError.validation({ pipelineId: ["No such pipeline."] });
  return row.id;
}

async function lockFirstStage(scope: TenantScope, pipelineId: string) {
  const [first] = await stagesOf(scope, pipelineId);
  const stage = first ? await lockStage(scope, first.id) : null;
  if (!stage) throw ApiError.validation({ pipelineId: ["This pipeline has no stages."] });
  return stage;
}

/**
 * The named stage (checked against `pipelineId` when both are given); else the deal's current
 * stage when it stays in its pipeline; else the first stage of the named pipeline, or of the
 * default pipeline.
 */
export async function lockTargetStage(
  scope: TenantScope,
  request: PlacementRequest,
  current?: CurrentPlacement,
): Promise<StageRow> {
  if (request.stageId) return lockNamedStage(scope, request.stageId, request.pipelineId);
  if (current && (request.pipelineId ?? current.pipelineId) === current.pipelineId) {
    return lockNamedStage(scope, current.stageId);
  }
  return lockFirstStage(scope, await pipelineIdOrDefault(scope, request.pipelineId));
}

export function isClosingStage(stage: StageRow): boolean {
  return stage.isWon || stage.isLost;
}
