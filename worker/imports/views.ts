import { getTableColumns } from "drizzle-orm";
import { importJobs } from "../db/crm-schema";
import type { PublishedEvent } from "../realtime/events";

/** Every column but the (possibly large) CSV itself. */
const { csv: _csv, ...importJobColumns } = getTableColumns(importJobs);

export { importJobColumns };

export type ImportJobRow = Omit<typeof importJobs.$inferSelect, "csv">;

export function toImportJobView(row: ImportJobRow) {
  return {
    id: row.id,
    entity: row.entity,
    status: row.status,
    duplicates: row.duplicates,
    mapping: row.mapping,
    totalRows: row.totalRows,
    processedRows: row.processedRows,
    createdRows: row.createdRows,
    updatedRows: row.updatedRows,
    skippedRows: row.skippedRows,
    failedRows: row.failedRows,
    errors: row.errors,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    completedAt: row.completedAt?.toISOString() ?? null,
  };
}

export type ImportJobView = ReturnType<typeof toImportJobView>;

/** For lists: without the mapping and the row errors. */
export function toImportJobSummary(row: ImportJobRow) {
  const { mapping: _mapping, errors: _errors, ...summary } = toImportJobView(row);
  return summary;
}

export function importProgressEvent(row: ImportJobRow): PublishedEvent {
  return {
    type: "import.progress",
    jobId: row.id,
    status: row.status,
    total: row.totalRows,
    processed: row.processedRows,
    created: row.createdRows,
    updated: row.updatedRows,
    skipped: row.skippedRows,
    failed: row.failedRows,
  };
}
