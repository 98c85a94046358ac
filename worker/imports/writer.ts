import { and, inArray, isNull, sql } from "drizzle-orm";
import { companies } from "../db/crm-schema";
import { newId } from "../lib/crypto";
import type { TenantScope } from "../lib/scope";
import type {
  EntityImporter,
  ImportRecord,
  ImportRowError,
  PlannedWrite,
  WriteContext,
} from "./entities/types";

/*
 * Writing one chunk of valid rows: link companies by name, match duplicates, then one batch
 * write (multi-row INSERT + one UPDATE ... FROM). If the batch fails, each record is retried
 * alone in its own savepoint, so one bad row never takes the others down with it.
 */

export type DuplicateStrategy = "skip" | "update" | "create";

export interface ChunkCounts {
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  errors: ImportRowError[];
}

type Values = { id: string };

const SAVE_FAILED = "This row could not be saved.";

const companyKey = (name: string) => name.trim().toLowerCase();

/** Live companies with these names (compared without case), oldest first per name. */
async function companyIdsByName(context: WriteContext, keys: string[]) {
  const rows = await context.scope.tx
    .select({ id: companies.id, name: companies.name })
    .from(companies)
    .where(and(isNull(companies.deletedAt), inArray(sql`lower(btrim(${companies.name}))`, keys)))
    .orderBy(companies.createdAt, companies.id);
  const ids = new Map<string, string>();
  for (const row of rows) if (!ids.has(companyKey(row.name))) ids.set(companyKey(row.name), row.id);
  return ids;
}

/** Creates the companies no row could be linked to yet (one INSERT), adding them to `ids`. */
async function createCompanies(context: WriteContext, names: string[], ids: Map<string, string>) {
  if (names.length === 0) return;
  const now = new Date();
  const rows = names.map((name) => ({
    id: newId(),
    orgId: context.scope.actor.orgId,
    name,
    ownerId: context.defaultOwnerId,
    createdAt: now,
    updatedAt: now,
  }));
  await context.scope.tx.insert(companies).values(rows);
  for (const row of rows) ids.set(companyKey(row.name), row.id);
}

/** `companyId` for every row naming a company: an existing live one by name, else a new one. */
async function linkCompanies(context: WriteContext, records: ImportRecord[]) {
  const named = records.filter(({ values }) => typeof values.company === "string");
  if (named.length === 0) return;
  const names = new Map(
    named.map(({ values }) => [companyKey(String(values.company)), String(values.company)]),
  );
  const ids = await companyIdsByName(context, [...names.keys()]);
  const missing = [...names].filter(([key]) => !ids.has(key)).map(([, name]) => name);
  await createCompanies(context, missing, ids);
  for (const { values } of named) values.companyId = ids.get(companyKey(String(values.company)));
}

/** Rows that land on the same record: a new one, or an existing one (`existing`). */
interface Group {
  existing: Values | null;
  records: ImportRecord[];
}

function keysOf(importer: EntityImporter, context: WriteContext, record: ImportRecord) {
  const draft = importer.newRecord(context);
  importer.apply(draft, record);
  return importer.duplicateKeys(draft);
}

function firstMatch(index: Map<string, Group>, keys: string[]): Group | undefined {
  for (const key of keys) {
    const group = index.get(key);
    if (group) return group;
  }
  return undefined;
}

function register(index: Map<string, Group>, keys: string[], group: Group) {
  for (const key of keys) if (!index.has(key)) index.set(key, group);
}

/**
 * Decides, row by row, what each valid row becomes: a new record, an update of an existing
 * one (or of one created earlier in this chunk), or nothing (skipped duplicate).
 */
async function groupRecords(
  importer: EntityImporter,
  context: WriteContext,
  records: ImportRecord[],
  strategy: DuplicateStrategy,
  counts: ChunkCounts,
): Promise<Group[]> {
  if (strategy === "create")
    return records.map((record) => ({ existing: null, records: [record] }));
  const keyed = records.map((record) => ({ record, keys: keysOf(importer, context, record) }));
  const allKeys = [...new Set(keyed.flatMap(({ keys }) => keys))];
  const existing = allKeys.length > 0 ? await importer.findExisting(context.scope, allKeys) : [];
  const index = new Map<string, Group>();
  for (const row of existing) {
    register(index, importer.duplicateKeys(row), { existing: row, records: [] });
  }
  const groups = new Set<Group>();
  for (const { record, keys } of keyed) {
    const match = firstMatch(index, keys);
    if (match && strategy === "skip") {
      counts.skipped += 1;
      continue;
    }
    const group = match ?? { existing: null, records: [] };
    group.records.push(record);
    register(index, keys, group);
    groups.add(group);
  }
  return [...groups];
}

/** The record each group becomes, its rows applied in file order (later values win). */
function toWrite(importer: EntityImporter, context: WriteContext, group: Group) {
  const values = group.existing ? { ...group.existing } : importer.newRecord(context);
  for (const record of group.records) importer.apply(values, record);
  return {
    kind: group.existing ? ("update" as const) : ("insert" as const),
    values,
    before: group.existing,
    rows: group.records.map((record) => record.row),
  };
}

/**
 * Plans the chunk's writes. Companies named by rows are linked (or created) only for rows that
 * are written, so skipped duplicates leave no trace.
 */
export async function planWrites(
  importer: EntityImporter,
  context: WriteContext,
  records: ImportRecord[],
  strategy: DuplicateStrategy,
  counts: ChunkCounts,
): Promise<PlannedWrite<Values>[]> {
  const groups = await groupRecords(importer, context, records, strategy, counts);
  if (importer.linksCompany) {
    await linkCompanies(
      context,
      groups.flatMap((group) => group.records),
    );
  }
  return groups.map((group) => toWrite(importer, context, group));
}

function countWritten(counts: ChunkCounts, write: PlannedWrite<Values>) {
  if (write.kind === "insert") {
    counts.created += 1;
    counts.updated += write.rows.length - 1;
  } else counts.updated += write.rows.length;
}

/**
 * Counts a stored write and announces it like any other change (`contact.created`, ...): the
 * events go out when the chunk's transaction commits (the job's unit of work), so lists that
 * are open refresh while an import runs. Updated records' new versions are not read back.
 */
function written(
  importer: EntityImporter,
  context: WriteContext,
  counts: ChunkCounts,
  write: PlannedWrite<Values>,
) {
  countWritten(counts, write);
  const created = write.kind === "insert";
  context.scope.emit({
    type: `${importer.entity}.${created ? "created" : "updated"}`,
    id: write.values.id,
    version: created ? 1 : null,
    actorId: context.scope.actor.userId,
  });
}

function withTx(context: WriteContext, tx: TenantScope["tx"]): WriteContext {
  return { ...context, scope: { ...context.scope, tx } };
}

/** Writes the batch; if that fails, each write alone, recording the rows that still fail. */
export async function writeWithFallback(
  importer: EntityImporter,
  context: WriteContext,
  writes: PlannedWrite<Values>[],
  counts: ChunkCounts,
) {
  if (writes.length === 0) return;
  try {
    await context.scope.tx.transaction((tx) => importer.write(withTx(context, tx), writes));
    for (const write of writes) written(importer, context, counts, write);
    return;
  } catch (error) {
    logWriteFailure("batch", error);
  }
  for (const write of writes) {
    try {
      await context.scope.tx.transaction((tx) => importer.write(withTx(context, tx), [write]));
      written(importer, context, counts, write);
    } catch (error) {
      logWriteFailure("row", error);
      counts.failed += write.rows.length;
      counts.errors.push(...write.rows.map((row) => ({ row, column: null, message: SAVE_FAILED })));
    }
  }
}

function logWriteFailure(scope: "batch" | "row", error: unknown) {
  console.warn(
    JSON.stringify({ level: "warn", msg: `import ${scope} write failed`, error: String(error) }),
  );
}
