import { eq, sql } from "drizzle-orm";
import { recordAudit } from "../audit/service";
import { jobScope } from "../crm/job-scope";
import type { Tx } from "../db/client";
import { importJobs } from "../db/crm-schema";
import { ApiError } from "../lib/errors";
import type { TenantScope } from "../lib/scope";
import type { UnitOfWork } from "../lib/unit-of-work";
import { notify } from "../notifications/service";
import { type ImportContext, loadImportContext } from "./context";
import type { ImportRowError, WriteContext } from "./entities/types";
import { type ColumnPlan, planColumns } from "./mapping";
import { parseRow } from "./rows";
import { readStoredChunk, readStoredHeader } from "./source";
import { type ImportJobRow, importJobColumns, importProgressEvent } from "./views";
import { type ChunkCounts, planWrites, writeWithFallback } from "./writer";

/*
 * One queue message imports one chunk of rows, then enqueues the next chunk: a 100,000-row
 * file is a hundred short invocations, never one long one. A message names where its chunk
 * starts in the CSV (`offset`, characters) and how many rows came before it (`row`); the job's
 * `processedRows` tells whether that chunk is next, already done (ignored) or not reachable
 * yet (retried later). Each chunk runs as the job's unit of work (worker/jobs/consumer.ts):
 * the next chunk is written to the outbox in the same transaction as this one's progress, and
 * the records' events and the progress reach the organization's sockets after commit.
 */

export const CHUNK_ROWS = 1000;
/** The job keeps the first errors only; `failedRows` counts them all. */
export const MAX_STORED_ERRORS = 500;

export interface ImportChunkMessage {
  type: "import.chunk";
  orgId: string;
  jobId: string;
  offset: number;
  row: number;
}

type ChunkState = "next" | "done" | "not_yet";

function chunkState(job: ImportJobRow, message: ImportChunkMessage): ChunkState {
  if (job.status === "completed" || job.status === "failed") return "done";
  if (job.status === "pending") return "not_yet";
  if (message.row < job.processedRows) return "done";
  return message.row > job.processedRows ? "not_yet" : "next";
}

async function lockImportJob(tx: Tx, jobId: string): Promise<ImportJobRow | null> {
  const [row] = await tx
    .select(importJobColumns)
    .from(importJobs)
    .where(eq(importJobs.id, jobId))
    .for("update");
  return row ?? null;
}

async function parseRecords(
  records: { fields: string[] }[],
  firstRow: number,
  columns: ColumnPlan[],
  context: ImportContext,
  counts: ChunkCounts,
) {
  const valid = [];
  for (const [index, record] of records.entries()) {
    const outcome = await parseRow(record.fields, firstRow + index, columns, context);
    if (outcome.ok) valid.push(outcome.record);
    else {
      counts.failed += 1;
      counts.errors.push(...outcome.errors);
    }
  }
  return valid;
}

async function importRecords(
  scope: TenantScope,
  job: ImportJobRow,
  records: { fields: string[] }[],
  columns: ColumnPlan[],
  context: ImportContext,
): Promise<ChunkCounts> {
  const counts: ChunkCounts = { created: 0, updated: 0, skipped: 0, failed: 0, errors: [] };
  // Rows are numbered as in a spreadsheet: the header is row 1.
  const valid = await parseRecords(records, job.processedRows + 2, columns, context, counts);
  const writeContext: WriteContext = {
    scope,
    defaultOwnerId: job.createdBy,
    firstStage: context.firstStage,
    currency: context.currency,
  };
  const writes = await planWrites(context.importer, writeContext, valid, job.duplicates, counts);
  await writeWithFallback(context.importer, writeContext, writes, counts);
  return counts;
}

async function saveProgress(
  tx: Tx,
  job: ImportJobRow,
  processed: number,
  counts: ChunkCounts,
  done: boolean,
): Promise<ImportJobRow> {
  const now = new Date();
  const [row] = await tx
    .update(importJobs)
    .set({
      status: done ? "completed" : "running",
      processedRows: sql`${importJobs.processedRows} + ${processed}`,
      createdRows: sql`${importJobs.createdRows} + ${counts.created}`,
      updatedRows: sql`${importJobs.updatedRows} + ${counts.updated}`,
      skippedRows: sql`${importJobs.skippedRows} + ${counts.skipped}`,
      failedRows: sql`${importJobs.failedRows} + ${counts.failed}`,
      errors: [...job.errors, ...counts.errors].slice(0, MAX_STORED_ERRORS),
      completedAt: done ? now : null,
      updatedAt: now,
    })
    .where(eq(importJobs.id, job.id))
    .returning(importJobColumns);
  if (!row) throw new Error(`import job ${job.id} vanished`);
  return row;
}

async function auditImport(scope: TenantScope, job: ImportJobRow) {
  await recordAudit(
    scope.tx,
    {
      orgId: job.orgId,
      actor: { userId: job.createdBy, apiKeyId: null },
      action: "records.imported",
      target: { type: "import_job", id: job.id },
      metadata: {
        entity: job.entity,
        totalRows: job.totalRows,
        created: job.createdRows,
        updated: job.updatedRows,
        skipped: job.skippedRows,
        failed: job.failedRows,
      },
    },
    scope.meta,
  );
}

/** Marks the job failed with one explanatory error (the rows already imported stay). */
async function failImport(tx: Tx, job: ImportJobRow, message: string): Promise<ImportJobRow> {
  const now = new Date();
  const error: ImportRowError = { row: job.processedRows + 2, column: null, message };
  const [row] = await tx
    .update(importJobs)
    .set({
      status: "failed",
      errors: [...job.errors, error].slice(-MAX_STORED_ERRORS),
      completedAt: now,
      updatedAt: now,
    })
    .where(eq(importJobs.id, job.id))
    .returning(importJobColumns);
  return row ?? job;
}

/** The mapping is checked again: a custom field deleted since the upload fails the import. */
function columnsOrFailure(headers: string[], job: ImportJobRow, context: ImportContext) {
  try {
    return planColumns(headers, job.mapping, context.importer, context.definitions);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const reasons = Object.values(error.fieldErrors ?? {}).flat();
    return `The mapping no longer fits: ${reasons.join(" ") || error.message}`;
  }
}

async function processChunk(
  unit: UnitOfWork,
  message: ImportChunkMessage,
): Promise<ImportJobRow | null> {
  const { tx } = unit;
  const job = await lockImportJob(tx, message.jobId);
  if (!job) return null;
  const state = chunkState(job, message);
  if (state === "done") return null;
  if (state === "not_yet") throw new Error("import chunk arrived before its predecessor committed");

  const scope = jobScope(unit, job, "CSV import");
  const context = await loadImportContext(scope, job.entity);
  const header = await readStoredHeader(tx, job.id);
  const columns = columnsOrFailure(header.headers, job, context);
  if (typeof columns === "string") return failImport(tx, job, columns);

  const offset = Math.max(message.offset, header.end);
  const chunk = await readStoredChunk(tx, job.id, offset, header.delimiter, CHUNK_ROWS);
  const counts = await importRecords(scope, job, chunk.records, columns, context);
  const processed = chunk.records.length;
  const done = chunk.exhausted || job.processedRows + processed >= job.totalRows;
  const saved = await saveProgress(tx, job, processed, counts, done);
  if (done) {
    await auditImport(scope, saved);
    await notify(scope, [saved.createdBy], {
      kind: "import_finished",
      title: `Your ${saved.entity} import finished: ${saved.createdRows} created, ${saved.updatedRows} updated, ${saved.failedRows} failed`,
      link: `/app/import/${saved.id}`,
    });
  } else {
    scope.enqueue({
      type: "import.chunk",
      jobId: job.id,
      offset: chunk.nextOffset,
      row: saved.processedRows,
    });
  }
  return saved;
}

export async function runImportChunk(unit: UnitOfWork, message: ImportChunkMessage) {
  const saved = await processChunk(unit, message);
  if (saved) unit.emit(importProgressEvent(saved));
}

/**
 * A chunk that exhausted its retries fails its import, if it was the chunk the import waits
 * for (a stray duplicate, or one whose job was never started, changes nothing).
 */
export async function failImportChunk(unit: UnitOfWork, message: ImportChunkMessage) {
  const job = await lockImportJob(unit.tx, message.jobId);
  if (!job || chunkState(job, message) !== "next") return;
  const failed = await failImport(
    unit.tx,
    job,
    "The import stopped after repeated errors; try again later.",
  );
  unit.emit(importProgressEvent(failed));
}

/**
 * An admin retries a dead chunk: the import it failed runs again from that chunk (the rows
 * already imported stay). Anything else is left as it is.
 */
export async function reopenImportChunk(unit: UnitOfWork, message: ImportChunkMessage) {
  const job = await lockImportJob(unit.tx, message.jobId);
  if (job?.status !== "failed" || job.processedRows !== message.row) return;
  const [row] = await unit.tx
    .update(importJobs)
    .set({ status: "running", completedAt: null, updatedAt: new Date() })
    .where(eq(importJobs.id, job.id))
    .returning(importJobColumns);
  if (row) unit.emit(importProgressEvent(row));
}
