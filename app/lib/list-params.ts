/*
 * The state of a record list lives in its URL, so that every list works without JavaScript,
 * can be bookmarked, and can be saved as a view:
 *   ?q=acme&sort=-createdAt&cols=name,owner&deleted=true&cursor=...
 *   &filter.<field>[.<op>]=value     passed to the list services as they are
 *   &filter.cf.<key>=value           custom fields
 * One convenience the services do not know: `filter.ownerId=none` means "nobody owns it"
 * (the API's `filter.ownerId.isEmpty=true`).
 */

export interface ListParams {
  q: string;
  sort: string | null;
  /** Chosen column keys, or null for the entity's default columns. */
  columns: string[] | null;
  /** Show soft-deleted records (to restore them) instead of live ones. */
  deleted: boolean;
  cursor: string | null;
  /** `filter.*` keys with non-empty values, in URL order. */
  filters: Record<string, string>;
}

export interface ViewDefinition {
  filters: Record<string, string | number | boolean>;
  sort: string | null;
  columns: string[];
}

const FILTER_PREFIX = "filter.";
const UNOWNED = "none";
const OWNER_KEY = "filter.ownerId";
const OWNER_EMPTY_KEY = "filter.ownerId.isEmpty";

export function readListParams(search: URLSearchParams): ListParams {
  const filters: Record<string, string> = {};
  for (const [key, value] of search) {
    const trimmed = value.trim();
    if (key.startsWith(FILTER_PREFIX) && trimmed) filters[key] = trimmed;
  }
  // `cols=a,b` in links; the column checkboxes of the filter form post `col=a&col=b`.
  const cols = search.get("cols")?.trim();
  const checked = search.getAll("col").filter(Boolean);
  const columns = cols ? cols.split(",").filter(Boolean) : checked;
  return {
    q: search.get("q")?.trim() ?? "",
    sort: search.get("sort")?.trim() || null,
    columns: columns.length > 0 ? columns : null,
    deleted: search.get("deleted") === "true",
    cursor: search.get("cursor") || null,
    filters,
  };
}

/** The query the list services take (`listQuerySchema`'s input). */
export function toServiceQuery(params: ListParams, limit: number): Record<string, string> {
  const query: Record<string, string> = { limit: String(limit) };
  if (params.q) query.q = params.q;
  if (params.sort) query.sort = params.sort;
  if (params.cursor) query.cursor = params.cursor;
  if (params.deleted) query.deleted = "true";
  for (const [key, value] of Object.entries(params.filters)) {
    if (key === OWNER_KEY && value === UNOWNED) query[OWNER_EMPTY_KEY] = "true";
    else query[key] = value;
  }
  return query;
}

/** The URL search string for these params (empty parts left out), with `changes` applied. */
export function listSearch(params: ListParams, changes: Partial<ListParams> = {}): string {
  const next = { ...params, ...changes };
  const search = new URLSearchParams();
  if (next.q) search.set("q", next.q);
  for (const [key, value] of Object.entries(next.filters)) search.set(key, value);
  if (next.sort) search.set("sort", next.sort);
  if (next.columns) search.set("cols", next.columns.join(","));
  if (next.deleted) search.set("deleted", "true");
  if (next.cursor) search.set("cursor", next.cursor);
  const text = search.toString();
  return text ? `?${text}` : "";
}

export type SortDirection = "ascending" | "descending" | null;

export function sortDirection(params: ListParams, field: string, defaultSort: string) {
  const current = params.sort ?? defaultSort;
  if (current === field) return "ascending";
  if (current === `-${field}`) return "descending";
  return null;
}

/** The link target of a sortable column header: first click `firstDirection`, then toggle. */
export function sortSearch(
  params: ListParams,
  field: string,
  defaultSort: string,
  firstDirection: "ascending" | "descending" = "ascending",
) {
  const direction = sortDirection(params, field, defaultSort);
  const descending = direction ? direction === "ascending" : firstDirection === "descending";
  return listSearch(params, { sort: descending ? `-${field}` : field, cursor: null });
}

/** What "Save view" stores: the filters in the API's own terms, the sort and the columns. */
export function viewDefinitionOf(params: ListParams, defaultColumns: string[]): ViewDefinition {
  const filters: ViewDefinition["filters"] = {};
  if (params.q) filters.q = params.q;
  if (params.deleted) filters.deleted = true;
  for (const [key, value] of Object.entries(params.filters)) {
    if (key === OWNER_KEY && value === UNOWNED) filters[OWNER_EMPTY_KEY] = true;
    else filters[key] = value;
  }
  return { filters, sort: params.sort, columns: params.columns ?? defaultColumns };
}

/** The list params a saved view stands for (its definition may come from the API too). */
export function paramsOfView(definition: {
  filters: Record<string, unknown>;
  sort: string | null;
  columns: string[];
}): ListParams {
  const filters: Record<string, string> = {};
  let q = "";
  let deleted = false;
  for (const [key, raw] of Object.entries(definition.filters)) {
    const value = String(raw);
    if (key === "q") q = value;
    else if (key === "deleted") deleted = value === "true";
    else if (key === OWNER_EMPTY_KEY && value === "true") filters[OWNER_KEY] = UNOWNED;
    else if (key.startsWith(FILTER_PREFIX)) filters[key] = value;
  }
  return {
    q,
    sort: definition.sort,
    columns: definition.columns.length > 0 ? definition.columns : null,
    deleted,
    cursor: null,
    filters,
  };
}

/** True when the list shows exactly what the view describes (its columns included). */
export function paramsMatchView(
  params: ListParams,
  definition: Parameters<typeof paramsOfView>[0],
  defaultColumns: string[],
  defaultSort: string,
): boolean {
  const view = paramsOfView(definition);
  const sameColumns =
    (view.columns ?? defaultColumns).join(",") === (params.columns ?? defaultColumns).join(",");
  const sameFilters =
    JSON.stringify(sortedEntries(view.filters)) === JSON.stringify(sortedEntries(params.filters));
  return (
    sameColumns &&
    sameFilters &&
    view.q === params.q &&
    view.deleted === params.deleted &&
    (view.sort ?? defaultSort) === (params.sort ?? defaultSort)
  );
}

function sortedEntries(record: Record<string, string>) {
  return Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
}

/** True when anything narrows the list (for the "Clear filters" link and empty states). */
export function isFiltered(params: ListParams) {
  return Boolean(params.q) || Object.keys(params.filters).length > 0;
}
