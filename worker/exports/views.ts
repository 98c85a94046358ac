import { getTableColumns } from "drizzle-orm";
import { exportJobs } from "../db/crm-schema";
import type { PublishedEvent } from "../realtime/events";

/** Every column but the CSV itself (only the download reads it). */
const { csv: _csv, ...exportJobColumns } = getTableColumns(exportJobs);

export { exportJobColumns };

export type ExportJobRow = Omit<typeof exportJobs.$inferSelect, "csv">;

export function toExportJobView(row: ExportJobRow) {
  return {
    id: row.id,
    entity: row.entity,
    status: row.status,
    query: row.query,
    rowCount: row.rowCount,
    downloadUrl: row.status === "completed" ? `/api/v1/exports/${row.id}/download` : null,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    completedAt: row.completedAt?.toISOString() ?? null,
  };
}

export function exportReadyEvent(row: ExportJobRow): PublishedEvent {
  return {
    type: "export.ready",
    jobId: row.id,
    status: row.status === "completed" ? "completed" : "failed",
    rowCount: row.rowCount,
  };
}
