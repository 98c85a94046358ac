import type { CrmEntity } from "../../../shared/crm";
import type { ListParams } from "../../lib/list-params";
import type { CustomFieldDefinition, FieldOption } from "../../lib/record-fields";

export interface Member {
  userId: string;
  name: string;
  active: boolean;
}

export interface SavedView {
  id: string;
  name: string;
  shared: boolean;
  mine: boolean;
  definition: { filters: Record<string, unknown>; sort: string | null; columns: string[] };
}

export interface RecordListData<Row> {
  params: ListParams;
  rows: Row[];
  nextCursor: string | null;
  listError: string | null;
  me: string;
  canWrite: boolean;
  canBulk: boolean;
  canImport: boolean;
  canExport: boolean;
  /** Viewers keep personal views only. */
  canShareViews: boolean;
  members: Member[];
  customFields: CustomFieldDefinition[];
  views: SavedView[];
  defaultColumns: string[];
  removed: { id: string; label: string } | null;
}

export interface ListFilter {
  /** The URL parameter, e.g. `filter.lifecycleStage`. */
  name: string;
  label: string;
  /** A select with these options; otherwise a text box. */
  options?: readonly FieldOption[];
  placeholder?: string;
}

export interface RecordListConfig {
  entity: CrmEntity;
  path: string;
  one: string;
  many: string;
  defaultSort: string;
}
