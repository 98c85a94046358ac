import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { isFiltered, listSearch } from "../../lib/list-params";
import type { FieldSpec } from "../../lib/record-fields";
import { type Column, DataTable } from "../data-table";
import { ExportButton } from "../export-button";
import { Alert, buttonClass } from "../ui";
import { useListActionData } from "./action-data";
import { BulkUndoBanner, RemovedBanner } from "./banners";
import { BULK_FORM_ID, BulkBar } from "./bulk-bar";
import { customColumns, restoreColumn } from "./columns";
import { FilterBar } from "./filter-bar";
import { Pager, useMoreRows } from "./load-more";
import { NewButton, NewRecordDialog } from "./new-record";
import { DeletedModeContext } from "./record-link";
import { SavedViews } from "./saved-views";
import { useSelection } from "./selection";
import type { ListFilter, RecordListConfig, RecordListData } from "./types";
import { useLiveList } from "./use-live-list";

// The public surface the list routes import.
export { RecordLink } from "./record-link";
export type { ListFilter, RecordListConfig, RecordListData } from "./types";

/*
 * The browser half of every record list: search, filters and columns (one GET form, so it
 * all works without JavaScript), saved views, sortable table, bulk actions, "Load more",
 * the "New" dialog, and live refresh when a teammate changes a record of this kind.
 */

export interface RecordListProps<Row> {
  data: RecordListData<Row>;
  config: RecordListConfig;
  columns: Column<Row>[];
  filters: ListFilter[];
  /** The "New" form's fields (custom fields are added). */
  createFields: FieldSpec[];
  rowLabel(row: Row): string;
  newLabel?: string;
  searchPlaceholder?: string;
  /** More buttons next to "New" (the deals table links to the board). */
  toolbarActions?: ReactNode;
}

export function RecordList<Row extends { id: string; custom: Record<string, unknown> }>({
  data,
  config,
  columns: builtInColumns,
  filters,
  createFields,
  rowLabel,
  newLabel,
  searchPlaceholder = "Search…",
  toolbarActions,
}: RecordListProps<Row>) {
  const { params } = data;
  useLiveList(config.entity);
  const allColumns = [...builtInColumns, ...customColumns<Row>(data.customFields)];
  const chosen = params.columns ?? data.defaultColumns;
  const visible = allColumns.filter((column, index) => index === 0 || chosen.includes(column.key));
  const { failure, success } = useListActionData();
  const selection = useSelection(data.rows);
  const more = useMoreRows(data, config.path);
  const rows = [...data.rows, ...more.rows];

  return (
    <DeletedModeContext.Provider value={params.deleted}>
      <div className="space-y-4">
        {data.removed ? <RemovedBanner removed={data.removed} /> : null}
        {success?.undo?.length ? (
          <BulkUndoBanner message={success.message} ids={success.undo} />
        ) : success ? (
          <Alert tone="success" focusOnMount={false}>
            {success.message}
          </Alert>
        ) : null}
        {failure && failure.intent !== "create" ? (
          <Alert title="That did not work">
            {[failure.message, ...Object.values(failure.fieldErrors).flat()].join(" ")}
          </Alert>
        ) : null}
        <div className="flex flex-wrap items-center justify-between gap-3">
          <SavedViews data={data} config={config} />
          <div className="flex flex-wrap items-center gap-2">
            {toolbarActions}
            {data.canImport ? (
              <Link to={`/app/import?entity=${config.entity}`} className={buttonClass("secondary")}>
                Import
              </Link>
            ) : null}
            {data.canExport && !params.deleted ? <ExportButton entity={config.entity} /> : null}
            {data.canWrite ? <NewButton config={config} label={newLabel} /> : null}
          </div>
        </div>
        <div className="rounded-lg bg-white ring-1 ring-slate-200">
          <FilterBar
            data={data}
            config={config}
            searchPlaceholder={searchPlaceholder}
            filters={filters}
            columns={allColumns}
            visible={visible}
          />
          {data.canBulk && !params.deleted ? (
            <BulkBar
              members={data.members}
              me={data.me}
              selected={selection.selected.size}
              config={config}
            />
          ) : null}
          {data.listError ? (
            <div className="px-5 pt-4">
              <Alert title="Those filters could not be applied" focusOnMount={false}>
                {data.listError}
              </Alert>
            </div>
          ) : null}
          <DataTable
            caption={`${config.many.charAt(0).toUpperCase()}${config.many.slice(1)}`}
            columns={params.deleted ? [...visible, restoreColumn<Row>(rowLabel)] : visible}
            rows={rows}
            rowId={(row) => row.id}
            rowLabel={rowLabel}
            params={params}
            defaultSort={config.defaultSort}
            selection={
              data.canBulk && !params.deleted
                ? {
                    form: BULK_FORM_ID,
                    name: "ids",
                    selected: selection.selected,
                    onToggle: selection.toggle,
                    onToggleAll: (checked) => selection.toggleAll(rows, checked),
                  }
                : undefined
            }
            empty={<EmptyList data={data} config={config} />}
          />
          <Pager data={data} config={config} more={more} />
        </div>
      </div>
      <NewRecordDialog data={data} config={config} createFields={createFields} />
    </DeletedModeContext.Provider>
  );
}

function EmptyList<Row>({ data, config }: { data: RecordListData<Row>; config: RecordListConfig }) {
  if (data.listError) return <p className="text-sm text-slate-600">No results.</p>;
  if (isFiltered(data.params)) {
    return (
      <p className="text-sm text-slate-600">
        No {config.many} match these filters.{" "}
        <Link
          to={listSearch(data.params, { q: "", filters: {}, cursor: null })}
          className="font-medium text-indigo-700"
        >
          Clear filters
        </Link>
      </p>
    );
  }
  if (data.params.deleted) {
    return <p className="text-sm text-slate-600">Nothing was deleted in the last 30 days.</p>;
  }
  return (
    <p className="text-sm text-slate-600">
      No {config.many} yet.
      {data.canWrite ? ` Add the first one with “New ${config.one}”.` : null}
    </p>
  );
}
