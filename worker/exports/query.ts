import { deletedCondition } from "../crm/list-conditions";
import { type ListQuery, listQuerySchema, planList } from "../crm/list-query";
import type { CrmEntity } from "../crm/record-tables";
import { ApiError } from "../lib/errors";
import { zodFieldErrors } from "../lib/validation";
import { entityExports } from "./entities";
import { exportListSpecs } from "./list-specs";

/** Records read per query while exporting (keyset pages through `planList`). */
export const EXPORT_PAGE = 1000;

/** A stored export query: the list parameters minus paging. */
export type ExportQuery = Omit<ListQuery, "limit" | "cursor">;

/**
 * The list query as the entity's list endpoint would read it, checked now (unknown filters,
 * bad values, unsortable columns are 400/422 at request time, not a failed job later).
 */
export function checkedExportQuery(entity: CrmEntity, raw: Record<string, string>): ExportQuery {
  const parsed = listQuerySchema.safeParse(raw);
  if (!parsed.success) throw ApiError.validation(zodFieldErrors(parsed.error));
  const { limit: _limit, cursor: _cursor, ...query } = parsed.data;
  planPage(entity, query, undefined);
  return query;
}

/** The plan for one page of the export, after `cursor`. */
export function planPage(entity: CrmEntity, query: ExportQuery, cursor: string | undefined) {
  // ListQuery's catch-all (string) signature does not admit the numeric limit in a literal.
  const page = { ...query, limit: EXPORT_PAGE, ...(cursor ? { cursor } : {}) } as ListQuery;
  return planList(exportListSpecs[entity], page, [
    deletedCondition(entityExports[entity].deletedAt, page),
  ]);
}
