import { getTableColumns, type SQL, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Tx } from "../db/client";

/**
 * Updates many records of an editable table in ONE statement, each with its own values:
 *   UPDATE t SET col = v.col, ... FROM jsonb_to_recordset($rows) AS v(id uuid, col type, ...)
 * Every listed column is overwritten (callers send the merged values). Bumps `version` and
 * `updated_at` like any edit (a JavaScript date: millisecond precision, like list cursors).
 * Row-level security applies as usual.
 */
export async function updateMany<T extends PgTable>(
  tx: Tx,
  table: T,
  rows: ({ id: string } & Partial<T["$inferInsert"]>)[],
  columns: (keyof T["$inferInsert"] & string)[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const tableColumns = getTableColumns(table);
  const definitions = columns.map((key) => {
    const column = tableColumns[key];
    if (!column) throw new Error(`updateMany: ${key} is not a column`);
    return { key, name: column.name, type: column.getSQLType() };
  });
  const payload = rows.map((row) => {
    const record: Record<string, unknown> = { id: row.id };
    for (const { key, name } of definitions) record[name] = (row as Record<string, unknown>)[key];
    return record;
  });
  const assignments = sql.join(
    definitions.map(({ name }) => sql`${sql.identifier(name)} = v.${sql.identifier(name)}`),
    sql`, `,
  );
  const recordType: SQL = sql.join(
    [
      sql`id uuid`,
      ...definitions.map(({ name, type }) => sql`${sql.identifier(name)} ${sql.raw(type)}`),
    ],
    sql`, `,
  );
  const result = await tx.execute(sql`
    update ${table} as t
    set ${assignments}, version = t.version + 1, updated_at = ${new Date()}
    from jsonb_to_recordset(${JSON.stringify(payload)}::jsonb) as v(${recordType})
    where t.id = v.id`);
  return result.rowCount ?? 0;
}
