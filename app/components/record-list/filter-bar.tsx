import { Link, useNavigate } from "@remix-run/react";
import { type FormEvent, useId, useRef } from "react";
import { isFiltered, type ListParams, listSearch, readListParams } from "../../lib/list-params";
import type { Column } from "../data-table";
import { Button, buttonClass, CheckboxField, cx, focusRing, SelectField, TextField } from "../ui";
import type { ListFilter, RecordListConfig, RecordListData } from "./types";

/*
 * Search, filters and columns: one GET form, so it all works without JavaScript; with it,
 * the form submits as a clean URL and selects submit at once.
 */

/** Submits the filter form as a clean URL (no empty parameters, default columns left out). */
function useFilterSubmit(defaultColumns: string[]) {
  const navigate = useNavigate();
  return (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const search = new URLSearchParams();
    for (const [key, value] of form) if (typeof value === "string") search.append(key, value);
    const params = readListParams(search);
    const sameAsDefault = (columns: string[]) => [...columns].sort().join(",");
    if (params.columns && sameAsDefault(params.columns) === sameAsDefault(defaultColumns)) {
      params.columns = null;
    }
    navigate(listSearch(params));
  };
}

export function FilterBar<Row>({
  data,
  config,
  searchPlaceholder,
  filters,
  columns,
  visible,
}: {
  data: RecordListData<Row>;
  config: RecordListConfig;
  searchPlaceholder: string;
  filters: ListFilter[];
  columns: Column<Row>[];
  visible: Column<Row>[];
}) {
  const { params } = data;
  const onSubmit = useFilterSubmit(data.defaultColumns);
  const formRef = useRef<HTMLFormElement>(null);
  const id = useId();
  const customFilters: ListFilter[] = data.customFields.map((field) => ({
    name: `filter.cf.${field.key}`,
    label: field.label,
    options:
      field.type === "checkbox"
        ? [
            { value: "true", label: "Yes" },
            { value: "false", label: "No" },
          ]
        : field.options.length > 0
          ? field.options.map((option) => ({ value: option, label: option }))
          : undefined,
  }));
  const submitNow = () => formRef.current?.requestSubmit();
  const shownFilters = [...filters, ...customFilters].map((filter) => filter.name);
  return (
    <div className="border-b border-slate-200 px-5 py-3">
      <nav className="mb-3 flex gap-4 text-sm" aria-label="Live or deleted">
        {[false, true].map((deleted) => (
          <Link
            key={String(deleted)}
            to={listSearch(params, { deleted, cursor: null })}
            aria-current={params.deleted === deleted ? "page" : undefined}
            className={cx(
              "-mb-px rounded-sm border-b-2 pb-1 font-medium",
              params.deleted === deleted
                ? "border-indigo-600 text-slate-900"
                : "border-transparent text-slate-600 hover:text-slate-900",
              focusRing,
            )}
          >
            {deleted ? "Deleted" : `All ${config.many}`}
          </Link>
        ))}
      </nav>
      <form
        ref={formRef}
        method="get"
        aria-label={`Search and filter ${config.many}`}
        onSubmit={onSubmit}
        className="flex flex-wrap items-end gap-3"
      >
        {params.sort ? <input type="hidden" name="sort" value={params.sort} /> : null}
        {params.deleted ? <input type="hidden" name="deleted" value="true" /> : null}
        {Object.entries(params.filters)
          .filter(([key]) => !shownFilters.includes(key))
          .map(([key, value]) => (
            <input key={key} type="hidden" name={key} value={value} />
          ))}
        <TextField
          label={`Search ${config.many}`}
          name="q"
          type="search"
          defaultValue={params.q}
          key={`q-${params.q}`}
          placeholder={searchPlaceholder}
          className="min-w-40 flex-1"
        />
        {filters.map((filter) => (
          <FilterControl
            key={`${filter.name}-${params.filters[filter.name] ?? ""}`}
            filter={filter}
            value={params.filters[filter.name]}
            onChange={submitNow}
          />
        ))}
        {customFilters.length > 0 ? (
          <details
            className="relative"
            open={customFilters.some((filter) => params.filters[filter.name]) || undefined}
          >
            <summary
              className={cx(
                buttonClass("secondary"),
                "cursor-pointer list-none [&::-webkit-details-marker]:hidden",
              )}
            >
              More filters
            </summary>
            <div className="absolute left-0 z-20 mt-1 grid w-[28rem] max-w-[90vw] gap-3 rounded-lg bg-white p-4 shadow-lg ring-1 ring-slate-200 sm:grid-cols-2">
              {customFilters.map((filter) => (
                <FilterControl
                  key={`${filter.name}-${params.filters[filter.name] ?? ""}`}
                  filter={filter}
                  value={params.filters[filter.name]}
                  onChange={submitNow}
                  wide
                />
              ))}
            </div>
          </details>
        ) : null}
        <details className="group relative">
          <summary
            className={cx(
              buttonClass("secondary"),
              "cursor-pointer list-none [&::-webkit-details-marker]:hidden",
            )}
          >
            Columns
          </summary>
          <fieldset
            aria-labelledby={`${id}-columns`}
            className="absolute right-0 z-20 mt-1 w-56 space-y-1.5 rounded-lg bg-white p-3 shadow-lg ring-1 ring-slate-200"
          >
            <legend id={`${id}-columns`} className="sr-only">
              Columns to show
            </legend>
            {/* The first column (the record's name) always shows. */}
            {columns[0] ? <input type="hidden" name="col" value={columns[0].key} /> : null}
            {columns.map((column, index) => (
              <CheckboxField
                key={column.key}
                label={column.label}
                name={index === 0 ? "first-column" : "col"}
                value={column.key}
                defaultChecked={visible.includes(column)}
                disabled={index === 0}
                onChange={submitNow}
              />
            ))}
          </fieldset>
        </details>
        <Button variant="secondary">Apply</Button>
        {isFiltered(params) ? (
          <Link
            to={listSearch(params, { q: "", filters: {}, cursor: null })}
            className={cx(buttonClass("ghost"))}
          >
            Clear filters
          </Link>
        ) : null}
      </form>
      <OtherFilters params={params} shown={shownFilters} />
    </div>
  );
}

function FilterControl({
  filter,
  value,
  onChange,
  wide = false,
}: {
  filter: ListFilter;
  value: string | undefined;
  onChange: () => void;
  wide?: boolean;
}) {
  return filter.options ? (
    <SelectField
      label={filter.label}
      name={filter.name}
      defaultValue={value ?? ""}
      options={[{ value: "", label: "Any" }, ...filter.options]}
      onChange={onChange}
      className={wide ? undefined : "w-32"}
    />
  ) : (
    <TextField
      label={filter.label}
      name={filter.name}
      defaultValue={value ?? ""}
      placeholder={filter.placeholder ?? "Any"}
      className={wide ? undefined : "w-28"}
    />
  );
}

const OPERATOR_TEXT: Record<string, string> = {
  gt: ">",
  gte: "≥",
  lt: "<",
  lte: "≤",
  contains: "contains",
  isEmpty: "is empty:",
};

/**
 * Filters in the URL that have no control above (a link from a company page, a saved view
 * from the API): listed so the reader knows why rows are missing, each removable.
 */
function OtherFilters({ params, shown }: { params: ListParams; shown: string[] }) {
  const others = Object.entries(params.filters).filter(([key]) => !shown.includes(key));
  if (others.length === 0) return null;
  return (
    <ul className="mt-3 flex flex-wrap gap-2" aria-label="Other filters">
      {others.map(([key, value]) => {
        const [field = key, operator] = key.replace(/^filter\.(cf\.)?/, "").split(".");
        const rest = { ...params.filters };
        delete rest[key];
        const shownValue = /^[0-9a-f-]{36}$/i.test(value) ? "a chosen record" : `“${value}”`;
        return (
          <li
            key={key}
            className="flex items-center gap-1.5 rounded-md bg-slate-100 py-1 pr-1 pl-2 text-xs text-slate-800"
          >
            {field.replace(/Id$/, "")} {operator ? (OPERATOR_TEXT[operator] ?? operator) : "is"}{" "}
            {shownValue}
            <Link
              to={listSearch(params, { filters: rest, cursor: null })}
              className={cx("rounded px-1 text-slate-500 hover:bg-slate-200", focusRing)}
            >
              <span aria-hidden="true">×</span>
              <span className="sr-only">Remove this filter</span>
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
