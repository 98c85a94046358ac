import { unguardFormula } from "../crm/csv";
import { validateCustomValues } from "../custom-fields/validate";
import { ApiError } from "../lib/errors";
import { parseCell } from "./cells";
import type { ImportContext } from "./context";
import type { ImportRecord, ImportRowError } from "./entities/types";
import type { ColumnPlan } from "./mapping";

export type RowOutcome =
  | { ok: true; record: ImportRecord }
  | { ok: false; errors: ImportRowError[] };

function cellText(fields: string[], index: number): string {
  return unguardFormula((fields[index] ?? "").trim());
}

function columnOf(columns: ColumnPlan[], targetKey: string, custom: boolean): string | null {
  const column = columns.find(
    (candidate) =>
      candidate.target.key === targetKey && (candidate.target.type === "custom") === custom,
  );
  return column?.header ?? null;
}

function requiredErrors(
  values: Record<string, unknown>,
  columns: ColumnPlan[],
  context: ImportContext,
  row: number,
): ImportRowError[] {
  const { importer } = context;
  return importer.required
    .filter((group) => group.every((key) => values[key] === undefined))
    .map((group) => {
      const mapped = group.find((key) => columnOf(columns, key, false) !== null) ?? group[0] ?? "";
      return {
        row,
        column: columnOf(columns, mapped, false),
        message: `${importer.fields[mapped]?.label ?? mapped} is required.`,
      };
    });
}

async function customValues(
  raw: Record<string, string>,
  columns: ColumnPlan[],
  context: ImportContext,
  row: number,
): Promise<{ custom: Record<string, unknown>; errors: ImportRowError[] }> {
  try {
    const { scope, importer, definitions } = context;
    return {
      custom: await validateCustomValues(scope, importer.entity, raw, {}, definitions),
      errors: [],
    };
  } catch (error) {
    if (!(error instanceof ApiError) || !error.fieldErrors) throw error;
    const errors = Object.entries(error.fieldErrors).map(([path, messages]) => ({
      row,
      column: columnOf(columns, path.replace(/^custom\./, ""), true),
      message: messages[0] ?? "Invalid value.",
    }));
    return { custom: {}, errors };
  }
}

/**
 * Turns one CSV record into typed field values and validated custom values, or reports every
 * problem with its row and column. Empty cells mean "no value". Cheap: no database access.
 */
export async function parseRow(
  fields: string[],
  row: number,
  columns: ColumnPlan[],
  context: ImportContext,
): Promise<RowOutcome> {
  const values: Record<string, unknown> = {};
  const rawCustom: Record<string, string> = {};
  const errors: ImportRowError[] = [];
  for (const { index, header, target } of columns) {
    const raw = cellText(fields, index);
    if (raw === "") continue;
    if (target.type === "custom") {
      rawCustom[target.key] = raw;
      continue;
    }
    const parsed = parseCell(raw, target.field, context);
    if ("error" in parsed) errors.push({ row, column: header, message: parsed.error });
    else if (target.field.multiple) {
      const previous = (values[target.key] as unknown[] | undefined) ?? [];
      values[target.key] = [...previous, ...(parsed.value as unknown[])];
    } else values[target.key] = parsed.value;
  }
  const failedColumns = new Set(errors.map((error) => error.column));
  errors.push(
    ...requiredErrors(values, columns, context, row).filter(
      (error) => !failedColumns.has(error.column),
    ),
  );
  const custom = await customValues(rawCustom, columns, context, row);
  errors.push(...custom.errors);
  return errors.length > 0
    ? { ok: false, errors }
    : { ok: true, record: { row, values, custom: custom.custom } };
}
