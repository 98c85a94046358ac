import type { CrmEntity } from "../../../shared/crm";
import type { ImportRowError } from "../../db/crm-schema";
import type { TenantScope } from "../../lib/scope";
import type { CellRules, StageRef } from "../cells";

/** A record field a CSV column can be mapped to. */
export interface ImportField extends CellRules {
  label: string;
  /** Header names (compared without case, spaces or punctuation) that suggest this field. */
  aliases: readonly string[];
  /** May be fed from several columns; their values are combined (emails, phones, tags). */
  multiple?: boolean;
}

/** One valid CSV row: its parsed field values and validated custom values. */
export interface ImportRecord {
  row: number;
  values: Record<string, unknown>;
  custom: Record<string, unknown>;
}

/** What writing needs beyond the row itself. */
export interface WriteContext {
  scope: TenantScope;
  /** Owner of new records unless the row names one: whoever started the import. */
  defaultOwnerId: string | null;
  /** The default pipeline's first stage, for deals without a stage column. */
  firstStage: StageRef | null;
  /** The organization's currency, for deals without a currency column. */
  currency: string;
}

/** An insert of a new record, or an update of an existing one (`before` = as stored). */
export interface PlannedWrite<V> {
  kind: "insert" | "update";
  values: V;
  before: V | null;
  rows: number[];
}

/**
 * Everything entity-specific about importing: which fields exist, how a row lands on a record
 * (new or existing), how duplicates are recognised, and how a batch is written (one
 * multi-row INSERT and one UPDATE ... FROM per batch, never a statement per row).
 */
export interface EntityImporter<V extends { id: string } = { id: string }> {
  entity: CrmEntity;
  fields: Record<string, ImportField>;
  /** Each group needs at least one of its fields mapped and filled in every row. */
  required: readonly (readonly string[])[];
  /** Whether rows may name a company (linked by name, created when missing). */
  linksCompany: boolean;
  newRecord(context: WriteContext): V;
  apply(target: V, record: ImportRecord): void;
  /** Keys under which two records are the same (`email:ada@example.com`); may be empty. */
  duplicateKeys(values: V): string[];
  /** Live (not deleted) records matching any of the keys, locked for the transaction. */
  findExisting(scope: TenantScope, keys: string[]): Promise<V[]>;
  write(context: WriteContext, writes: PlannedWrite<V>[]): Promise<void>;
}

export type { ImportRowError };
