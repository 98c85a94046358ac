import { eq } from "drizzle-orm";
import type { CrmEntity } from "../crm/record-tables";
import { exportJobs } from "../db/crm-schema";
import { newId } from "../lib/crypto";
import { ApiError } from "../lib/errors";
import { requirePermission, type TenantScope } from "../lib/scope";
import { checkedExportQuery } from "./query";
import type { CreateExportBody } from "./schemas";
import { exportJobColumns, toExportJobView } from "./views";

const FILE_NAMES: Record<CrmEntity, string> = {
  contact: "contacts",
  company: "companies",
  lead: "leads",
  deal: "deals",
};

/** Stores the export and queues its job through the outbox (sent once the export commits). */
export async function createExport(scope: TenantScope, body: CreateExportBody) {
  requirePermission(scope.actor, "crm:export");
  const query = checkedExportQuery(body.entity, body.query);
  const now = new Date();
  const [row] = await scope.tx
    .insert(exportJobs)
    .values({
      id: newId(),
      orgId: scope.actor.orgId,
      entity: body.entity,
      query,
      createdBy: scope.actor.userId,
      createdAt: now,
      updatedAt: now,
    })
    .returning(exportJobColumns);
  if (!row) throw new Error("Export job insert returned no row");
  scope.enqueue({ type: "export.run", jobId: row.id });
  return toExportJobView(row);
}

export async function getExport(scope: TenantScope, id: string) {
  requirePermission(scope.actor, "crm:export");
  const [row] = await scope.tx
    .select(exportJobColumns)
    .from(exportJobs)
    .where(eq(exportJobs.id, id));
  if (!row) throw ApiError.notFound("Export");
  return toExportJobView(row);
}

/** The finished file; 404 until the export has completed. */
export async function downloadExport(scope: TenantScope, id: string) {
  requirePermission(scope.actor, "crm:export");
  const [row] = await scope.tx
    .select({
      entity: exportJobs.entity,
      status: exportJobs.status,
      csv: exportJobs.csv,
      createdAt: exportJobs.createdAt,
    })
    .from(exportJobs)
    .where(eq(exportJobs.id, id));
  if (!row) throw ApiError.notFound("Export");
  if (row.status !== "completed" || row.csv === null) {
    throw new ApiError(404, "not_found", "This export is not ready yet.");
  }
  const day = row.createdAt.toISOString().slice(0, 10);
  return { csv: row.csv, fileName: `${FILE_NAMES[row.entity]}-${day}.csv` };
}
