import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { type ListParams, sortDirection, sortSearch } from "../lib/list-params";
import { cx, focusRing } from "./ui";

export interface Column<Row> {
  key: string;
  label: string;
  /** The list service's sort field; the header becomes a link that sorts by it. */
  sort?: string;
  /** The first click sorts this way (dates and amounts read best newest/biggest first). */
  firstDirection?: "ascending" | "descending";
  align?: "left" | "right";
  /** Hidden on small screens. */
  wide?: boolean;
  render(row: Row): ReactNode;
}

export interface Selection {
  /** The id of the (bulk action) form the checkboxes belong to. */
  form: string;
  name: string;
  selected: ReadonlySet<string>;
  onToggle(id: string, checked: boolean): void;
  onToggleAll(checked: boolean): void;
}

function SortIcon({ direction }: { direction: "ascending" | "descending" | null }) {
  return (
    <svg viewBox="0 0 12 12" className="size-3" aria-hidden="true">
      <path
        d="M3 4.5 6 1.5l3 3"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.5"
        className={direction === "ascending" ? "text-indigo-600" : "text-slate-300"}
      />
      <path
        d="M3 7.5 6 10.5l3-3"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.5"
        className={direction === "descending" ? "text-indigo-600" : "text-slate-300"}
      />
    </svg>
  );
}

function HeaderCell<Row>({
  column,
  params,
  defaultSort,
}: {
  column: Column<Row>;
  params: ListParams;
  defaultSort: string;
}) {
  const direction = column.sort ? sortDirection(params, column.sort, defaultSort) : null;
  return (
    <th
      scope="col"
      aria-sort={direction ?? undefined}
      className={cx(
        "px-3 py-2.5 font-medium whitespace-nowrap first:pl-5 last:pr-5",
        column.align === "right" && "text-right",
        column.wide && "hidden md:table-cell",
      )}
    >
      {column.sort ? (
        <Link
          to={sortSearch(params, column.sort, defaultSort, column.firstDirection)}
          preventScrollReset
          className={cx(
            "inline-flex items-center gap-1 rounded-sm hover:text-slate-900",
            direction && "text-slate-900",
            focusRing,
          )}
        >
          {column.label}
          <SortIcon direction={direction} />
          <span className="sr-only">
            {direction === "ascending"
              ? ", sorted ascending"
              : direction === "descending"
                ? ", sorted descending"
                : ", sort"}
          </span>
        </Link>
      ) : (
        column.label
      )}
    </th>
  );
}

/** A list of records as a table: sortable headers (links) and, optionally, row checkboxes. */
export function DataTable<Row>({
  caption,
  columns,
  rows,
  rowId,
  rowLabel,
  params,
  defaultSort,
  selection,
  empty,
}: {
  caption: string;
  columns: Column<Row>[];
  rows: Row[];
  rowId(row: Row): string;
  rowLabel(row: Row): string;
  params: ListParams;
  defaultSort: string;
  selection?: Selection;
  empty: ReactNode;
}) {
  const allSelected =
    selection !== undefined &&
    rows.length > 0 &&
    rows.every((row) => selection.selected.has(rowId(row)));
  return (
    <div className="relative overflow-x-auto">
      <table className="min-w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-slate-200 bg-slate-50/60 text-xs text-slate-600">
          <tr>
            {selection ? (
              <th scope="col" className="w-10 py-2.5 pl-5">
                <input
                  type="checkbox"
                  aria-label="Select all rows on this page"
                  checked={allSelected}
                  onChange={(event) => selection.onToggleAll(event.currentTarget.checked)}
                  className={cx("size-4 accent-indigo-600", focusRing)}
                />
              </th>
            ) : null}
            {columns.map((column) => (
              <HeaderCell
                key={column.key}
                column={column}
                params={params}
                defaultSort={defaultSort}
              />
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.length === 0 ? (
            <tr>
              <td colSpan={columns.length + (selection ? 1 : 0)} className="px-5 py-10 text-center">
                {empty}
              </td>
            </tr>
          ) : (
            rows.map((row) => {
              const id = rowId(row);
              const selected = selection?.selected.has(id) ?? false;
              return (
                <tr key={id} className={selected ? "bg-indigo-50/50" : "hover:bg-slate-50/70"}>
                  {selection ? (
                    <td className="py-2.5 pl-5">
                      <input
                        type="checkbox"
                        form={selection.form}
                        name={selection.name}
                        value={id}
                        checked={selected}
                        onChange={(event) => selection.onToggle(id, event.currentTarget.checked)}
                        aria-label={`Select ${rowLabel(row)}`}
                        className={cx("size-4 accent-indigo-600", focusRing)}
                      />
                    </td>
                  ) : null}
                  {columns.map((column) => (
                    <td
                      key={column.key}
                      className={cx(
                        "px-3 py-2.5 text-slate-700 first:pl-5 last:pr-5",
                        column.align === "right" && "text-right tabular-nums",
                        column.wide && "hidden md:table-cell",
                      )}
                    >
                      {column.render(row)}
                    </td>
                  ))}
                </tr>
              );
            })
          )}
        </tbody>
      </table>
    </div>
  );
}
