import { asc, eq } from "drizzle-orm";
import { recordAudit } from "../audit/service";
import { csvLine } from "../crm/csv";
import { jobMeta } from "../crm/job-scope";
import { loadOrgLookups, pageLookups } from "../crm/record-lookups";
import type { Tx } from "../db/client";
import { customFieldDefinitions, exportJobs } from "../db/crm-schema";
import type { UnitOfWork } from "../lib/unit-of-work";
import { notify } from "../notifications/service";
import { entityExports } from "./entities";
import { EXPORT_PAGE, type ExportQuery, planPage } from "./query";
import { type ExportJobRow, exportJobColumns, exportReadyEvent } from "./views";

/*
 * The export job: pages through the entity's list (same filters, search and sort as the list
 * endpoint) and stores the CSV on the job, as the job's unit of work (worker/jobs/consumer.ts),
 * whose `export.ready` event goes out after commit.
 */

export interface ExportRunMessage {
  type: "export.run";
  orgId: string;
  jobId: string;
}

/** How a value reads in a cell: lists joined with "; ", dates as ISO 8601, empty for null. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(cellText).join("; ");
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

async function definitionsOf(tx: Tx, entity: ExportJobRow["entity"]) {
  return tx
    .select({ key: customFieldDefinitions.key })
    .from(customFieldDefinitions)
    .where(eq(customFieldDefinitions.entity, entity))
    .orderBy(asc(customFieldDefinitions.position), asc(customFieldDefinitions.key));
}

/** The CSV: a header row (custom fields as `cf.<key>`), then one line per matching record. */
async function buildCsv(tx: Tx, job: ExportJobRow) {
  const { columns, fetchPage } = entityExports[job.entity];
  const customKeys = (await definitionsOf(tx, job.entity)).map((definition) => definition.key);
  const org = await loadOrgLookups(tx, job.entity);
  const lines = [
    csvLine([...columns.map((column) => column.header), ...customKeys.map((key) => `cf.${key}`)]),
  ];
  let rowCount = 0;
  let cursor: string | undefined;
  do {
    const plan = planPage(job.entity, job.query as ExportQuery, cursor);
    const rows = await fetchPage(tx, plan);
    const pageRows = rows.slice(0, EXPORT_PAGE);
    const lookups = await pageLookups(tx, org, pageRows);
    for (const row of pageRows) {
      const cells = columns.map((column) => cellText(column.value(row, lookups)));
      lines.push(csvLine([...cells, ...customKeys.map((key) => cellText(row.custom[key]))]));
    }
    rowCount += pageRows.length;
    cursor =
      plan.nextCursor(rows.map((row) => ({ sortValue: row.sortValue, id: row.id }))) ?? undefined;
  } while (cursor);
  return { csv: lines.join(""), rowCount };
}

async function lockExportJob(tx: Tx, jobId: string): Promise<ExportJobRow | null> {
  const [row] = await tx
    .select(exportJobColumns)
    .from(exportJobs)
    .where(eq(exportJobs.id, jobId))
    .for("update");
  return row ?? null;
}

async function completeExport(tx: Tx, job: ExportJobRow): Promise<ExportJobRow> {
  const { csv, rowCount } = await buildCsv(tx, job);
  const now = new Date();
  const [row] = await tx
    .update(exportJobs)
    .set({ status: "completed", csv, rowCount, completedAt: now, updatedAt: now })
    .where(eq(exportJobs.id, job.id))
    .returning(exportJobColumns);
  if (!row) throw new Error(`export job ${job.id} vanished`);
  await recordAudit(
    tx,
    {
      orgId: row.orgId,
      actor: { userId: row.createdBy, apiKeyId: null },
      action: "records.exported",
      target: { type: "export_job", id: row.id },
      metadata: { entity: row.entity, rowCount, query: row.query },
    },
    jobMeta(row.id),
  );
  return row;
}

function rows(count: number): string {
  return `${count} ${count === 1 ? "row" : "rows"}`;
}

export async function runExport(unit: UnitOfWork, message: ExportRunMessage) {
  const job = await lockExportJob(unit.tx, message.jobId);
  // Gone (or, for a message queued before the outbox, not committed yet): retried, then dead.
  if (!job) throw new Error("export job not found");
  if (job.status === "completed" || job.status === "failed") return;
  const done = await completeExport(unit.tx, job);
  unit.emit(exportReadyEvent(done));
  // Whoever asked may have left the page: the bell tells them, with the download.
  await notify(unit, [done.createdBy], {
    kind: "export_finished",
    title: `Your ${done.entity} export is ready (${rows(done.rowCount ?? 0)})`,
    link: `/api/v1/exports/${done.id}/download`,
  });
}

/** Out of retries: the export is marked failed and the UI told so. */
export async function failExportRun(unit: UnitOfWork, message: ExportRunMessage) {
  const job = await lockExportJob(unit.tx, message.jobId);
  if (!job || job.status === "completed" || job.status === "failed") return;
  const now = new Date();
  const [row] = await unit.tx
    .update(exportJobs)
    .set({ status: "failed", completedAt: now, updatedAt: now })
    .where(eq(exportJobs.id, job.id))
    .returning(exportJobColumns);
  if (row) unit.emit(exportReadyEvent(row));
}

/** An admin retries a dead export: it runs again. */
export async function reopenExportRun(unit: UnitOfWork, message: ExportRunMessage) {
  const job = await lockExportJob(unit.tx, message.jobId);
  if (job?.status !== "failed") return;
  await unit.tx
    .update(exportJobs)
    .set({ status: "pending", completedAt: null, updatedAt: new Date() })
    .where(eq(exportJobs.id, job.id));
}
