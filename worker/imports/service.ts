import { and, desc, eq, lt, or } from "drizzle-orm";
import { cleanCsvText } from "../crm/csv";
import { importJobs } from "../db/crm-schema";
import { newId } from "../lib/crypto";
import { ApiError } from "../lib/errors";
import { type Cursor, decodeCursor, encodeCursor } from "../lib/pagination";
import { requirePermission, type TenantScope } from "../lib/scope";
import { type ImportContext, loadImportContext } from "./context";
import type { ImportRowError } from "./entities/types";
import { type ColumnPlan, CUSTOM_PREFIX, planColumns, suggestMapping } from "./mapping";
import { parseRow } from "./rows";
import type { CreateImportBody, ImportPreviewBody } from "./schemas";
import { type CsvHeader, parseUploadedHeader, uploadedRecords } from "./source";
import {
  type ImportJobRow,
  importJobColumns,
  importProgressEvent,
  toImportJobSummary,
  toImportJobView,
} from "./views";

/** The validation report lists this many problems at most (the counts cover every row). */
export const MAX_REPORTED_ERRORS = 500;
const PREVIEW_ROWS = 5;

async function contextFor(scope: TenantScope, entity: CreateImportBody["entity"]) {
  const context = await loadImportContext(scope, entity);
  if (entity === "deal" && !context.firstStage) {
    throw ApiError.validation({ entity: ["The default pipeline has no stages to put deals in."] });
  }
  return context;
}

function fieldList(context: ImportContext) {
  const { importer, definitions } = context;
  const required = new Set(importer.required.flat());
  return [
    ...Object.entries(importer.fields).map(([key, field]) => ({
      key,
      label: field.label,
      required: required.has(key),
      multiple: field.multiple === true,
    })),
    ...definitions.map((definition) => ({
      key: `${CUSTOM_PREFIX}${definition.key}`,
      label: definition.label,
      required: definition.required,
      multiple: false,
    })),
  ];
}

/** Headers, the first rows and a suggested mapping: what the UI's mapping step shows. */
export async function previewImport(scope: TenantScope, body: ImportPreviewBody) {
  requirePermission(scope.actor, "crm:import");
  const csv = cleanCsvText(body.csv);
  const header = parseUploadedHeader(csv);
  const context = await contextFor(scope, body.entity);
  const rows: string[][] = [];
  for await (const record of uploadedRecords(csv, header)) {
    rows.push(record.fields);
    if (rows.length === PREVIEW_ROWS) break;
  }
  return {
    headers: header.headers,
    rows,
    suggestedMapping: suggestMapping(header.headers, context.importer, context.definitions),
    fields: fieldList(context),
  };
}

/** Parses and checks every row (no database work per row); counts them and lists problems. */
async function validateRows(
  csv: string,
  header: CsvHeader,
  columns: ColumnPlan[],
  context: ImportContext,
) {
  let totalRows = 0;
  let validRows = 0;
  const errors: ImportRowError[] = [];
  for await (const { row, fields } of uploadedRecords(csv, header)) {
    totalRows += 1;
    const outcome = await parseRow(fields, row, columns, context);
    if (outcome.ok) validRows += 1;
    else if (errors.length < MAX_REPORTED_ERRORS) errors.push(...outcome.errors);
  }
  return { totalRows, validRows, errors: errors.slice(0, MAX_REPORTED_ERRORS) };
}

/** Only the columns that are imported, with trimmed names. */
function normalizedMapping(columns: ColumnPlan[]): Record<string, string> {
  return Object.fromEntries(
    columns.map(({ header, target }) => [
      header,
      target.type === "custom" ? `${CUSTOM_PREFIX}${target.key}` : target.key,
    ]),
  );
}

/** Validates the whole file and stores it as a pending import; `start` runs it. */
export async function createImport(scope: TenantScope, body: CreateImportBody) {
  requirePermission(scope.actor, "crm:import");
  const csv = cleanCsvText(body.csv);
  const header = parseUploadedHeader(csv);
  const context = await contextFor(scope, body.entity);
  const columns = planColumns(header.headers, body.mapping, context.importer, context.definitions);
  const report = await validateRows(csv, header, columns, context);
  if (report.totalRows === 0) throw ApiError.validation({ csv: ["The file has no data rows."] });
  const now = new Date();
  const [row] = await scope.tx
    .insert(importJobs)
    .values({
      id: newId(),
      orgId: scope.actor.orgId,
      entity: body.entity,
      mapping: normalizedMapping(columns),
      duplicates: body.duplicates,
      csv,
      totalRows: report.totalRows,
      createdBy: scope.actor.userId,
      createdAt: now,
      updatedAt: now,
    })
    .returning(importJobColumns);
  if (!row) throw new Error("Import job insert returned no row");
  return { job: toImportJobView(row), ...report };
}

async function findImportJob(scope: TenantScope, id: string, lock = false) {
  const query = scope.tx.select(importJobColumns).from(importJobs).where(eq(importJobs.id, id));
  const [row] = lock ? await query.for("update") : await query;
  if (!row) throw ApiError.notFound("Import");
  return row;
}

/** Queues the first chunk, through the outbox: it is sent once the status change commits. */
export async function startImport(scope: TenantScope, id: string) {
  requirePermission(scope.actor, "crm:import");
  const job = await findImportJob(scope, id, true);
  if (job.status !== "pending") throw ApiError.conflict("This import has already been started.");
  const [row] = await scope.tx
    .update(importJobs)
    .set({ status: "running", updatedAt: new Date() })
    .where(eq(importJobs.id, id))
    .returning(importJobColumns);
  if (!row) throw ApiError.notFound("Import");
  scope.enqueue({ type: "import.chunk", jobId: row.id, offset: 0, row: 0 });
  scope.emit(importProgressEvent(row));
  return toImportJobView(row);
}

export async function getImport(scope: TenantScope, id: string) {
  requirePermission(scope.actor, "crm:import");
  return toImportJobView(await findImportJob(scope, id));
}

function olderThan(cursor: Cursor) {
  return or(
    lt(importJobs.createdAt, cursor.at),
    and(eq(importJobs.createdAt, cursor.at), lt(importJobs.id, cursor.id)),
  );
}

/** Recent imports, newest first. */
export async function listImports(
  scope: TenantScope,
  query: { limit: number; cursor?: string | undefined },
) {
  requirePermission(scope.actor, "crm:import");
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const rows: ImportJobRow[] = await scope.tx
    .select(importJobColumns)
    .from(importJobs)
    .where(after ? olderThan(after) : undefined)
    .orderBy(desc(importJobs.createdAt), desc(importJobs.id))
    .limit(query.limit + 1);
  const pageRows = rows.slice(0, query.limit);
  const last = pageRows.at(-1);
  return {
    rows: pageRows.map(toImportJobSummary),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last.createdAt, last.id) : null,
  };
}
