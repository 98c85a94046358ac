import { and, eq } from "drizzle-orm";
import type { CrmEntity } from "../../shared/crm";
import { customFieldDefinitionsFor } from "../custom-fields/validate";
import type { customFieldDefinitions } from "../db/crm-schema";
import { memberships, users } from "../db/schema";
import { isClosingStage } from "../deals/placement";
import type { TenantScope } from "../lib/scope";
import { organizationDefaults } from "../organization/service";
import { ensureDefaultPipeline, stagesOf } from "../pipelines/service";
import type { CellContext, StageRef } from "./cells";
import { importerFor } from "./entities";
import type { EntityImporter } from "./entities/types";

export type CustomFieldDefinition = typeof customFieldDefinitions.$inferSelect;

/** Everything row validation needs, loaded once per request or chunk (never per row). */
export interface ImportContext extends CellContext {
  scope: TenantScope;
  importer: EntityImporter;
  definitions: CustomFieldDefinition[];
  /** Deals without a stage column land here: the default pipeline's first stage. */
  firstStage: StageRef | null;
  /** Deals without a currency column are in the organization's currency. */
  currency: string;
}

async function activeMembersByEmail(scope: TenantScope): Promise<Map<string, string>> {
  const rows = await scope.tx
    .select({ userId: memberships.userId, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, scope.actor.orgId), eq(memberships.status, "active")));
  return new Map(rows.map((row) => [row.email.toLowerCase(), row.userId]));
}

async function defaultPipelineStages(scope: TenantScope): Promise<StageRef[]> {
  const pipeline = await ensureDefaultPipeline(scope);
  const stages = await stagesOf(scope, pipeline.id);
  return stages.map((stage) => ({
    id: stage.id,
    pipelineId: stage.pipelineId,
    name: stage.name,
    closed: isClosingStage(stage),
  }));
}

export async function loadImportContext(
  scope: TenantScope,
  entity: CrmEntity,
): Promise<ImportContext> {
  const stages = entity === "deal" ? await defaultPipelineStages(scope) : [];
  const defaults = await organizationDefaults(scope);
  return {
    scope,
    importer: importerFor(entity),
    definitions: await customFieldDefinitionsFor(scope, entity),
    membersByEmail: await activeMembersByEmail(scope),
    stagesByName: new Map(stages.map((stage) => [stage.name.toLowerCase(), stage])),
    firstStage: stages[0] ?? null,
    phoneCountry: defaults.country,
    currency: defaults.currency,
  };
}
