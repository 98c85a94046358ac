import {
  Form,
  Link,
  useActionData,
  useFetcher,
  useLocation,
  useNavigate,
  useNavigation,
  useSearchParams,
} from "@remix-run/react";
import {
  createContext,
  type FormEvent,
  type ReactNode,
  useContext,
  useEffect,
  useId,
  useRef,
  useState,
} from "react";
import type { CrmEntity } from "../../worker/crm/record-tables";
import { isFailure } from "../lib/forms";
import {
  isFiltered,
  type ListParams,
  listSearch,
  paramsMatchView,
  readListParams,
} from "../lib/list-params";
import {
  type CustomFieldDefinition,
  createSpecs,
  customFieldSpecs,
  type FieldKind,
  type FieldOption,
  type FieldSpec,
  postedValue,
} from "../lib/record-fields";
import { useRevalidateOnEvents } from "../lib/use-live";
import { useSubmitting } from "../lib/use-pending";
import { type Column, DataTable } from "./data-table";
import { ExportButton } from "./export-button";
import { FieldDisplay, FieldInput } from "./record-fields";
import {
  Alert,
  Button,
  buttonClass,
  CheckboxField,
  cx,
  focusRing,
  Modal,
  SelectField,
  TextField,
  useHydrated,
} from "./ui";

/*
 * The browser half of every record list: search, filters and columns (one GET form, so it
 * all works without JavaScript), saved views, sortable table, bulk actions, "Load more",
 * the "New" dialog, and live refresh when a teammate changes a record of this kind.
 */

interface Member {
  userId: string;
  name: string;
  active: boolean;
}

interface SavedView {
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

const DeletedModeContext = createContext(false);

/** The link to a record from its list (plain text in the "Deleted" list: there is no page). */
export function RecordLink({ to, children }: { to: string; children: ReactNode }) {
  const deleted = useContext(DeletedModeContext);
  if (deleted) return <span className="font-medium text-slate-900">{children}</span>;
  return (
    <Link
      to={to}
      prefetch="intent"
      className={cx("rounded-sm font-medium text-slate-900 hover:text-indigo-700", focusRing)}
    >
      {children}
    </Link>
  );
}

/** Refreshes the list (once, shortly) when a record of this kind changes anywhere. */
function useLiveList(entity: CrmEntity) {
  useRevalidateOnEvents(
    (event) =>
      event.type.startsWith(`${entity}.`) || (entity === "deal" && event.type === "deal.moved"),
    { delayMs: 250, maxWaitMs: Number.POSITIVE_INFINITY, whileReloading: "skip" },
  );
}

type ActionData = { ok: true; intent: string; message: string; undo?: string[] } | undefined;

function useListActionData() {
  const data = useActionData() as unknown;
  if (isFailure(data)) return { failure: data, success: undefined };
  const success =
    data && typeof data === "object" && "ok" in data ? (data as ActionData) : undefined;
  return { failure: undefined, success };
}

function customColumns<Row extends { custom: Record<string, unknown> }>(
  definitions: CustomFieldDefinition[],
): Column<Row>[] {
  const specs = customFieldSpecs(definitions);
  return definitions.map((definition, index) => {
    const spec = specs[index] as FieldSpec;
    return {
      key: `cf.${definition.key}`,
      label: definition.label,
      wide: true,
      render: (row: Row) => <FieldDisplay spec={spec} value={row.custom[definition.key]} />,
    };
  });
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
}: {
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
}) {
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

function restoreColumn<Row extends { id: string }>(rowLabel: (row: Row) => string): Column<Row> {
  return {
    key: "restore",
    label: "Restore",
    align: "right",
    render: (row) => (
      <Form method="post">
        <input type="hidden" name="intent" value="restore" />
        <input type="hidden" name="id" value={row.id} />
        <Button variant="secondary" size="sm">
          Restore<span className="sr-only"> {rowLabel(row)}</span>
        </Button>
      </Form>
    ),
  };
}

function RemovedBanner({ removed }: { removed: { id: string; label: string } }) {
  const restoring = useSubmitting("restore");
  return (
    <Alert tone="info" focusOnMount={false}>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <span>
          <span className="font-medium">{removed.label}</span> was deleted. You can restore it for
          30 days.
        </span>
        <Form method="post">
          <input type="hidden" name="intent" value="restore" />
          <input type="hidden" name="id" value={removed.id} />
          <Button size="sm" variant="secondary" pending={restoring}>
            Undo
          </Button>
        </Form>
      </div>
    </Alert>
  );
}

/** After a bulk delete: how many went, and "Undo" (a bulk restore of exactly those). */
function BulkUndoBanner({ message, ids }: { message: string; ids: string[] }) {
  const restoring = useSubmitting("bulk-restore");
  return (
    <Alert tone="info" focusOnMount={false}>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <span>{message}</span>
        <Form method="post">
          <input type="hidden" name="intent" value="bulk-restore" />
          {ids.map((id) => (
            <input key={id} type="hidden" name="ids" value={id} />
          ))}
          <Button size="sm" variant="secondary" pending={restoring}>
            Undo
          </Button>
        </Form>
      </div>
    </Alert>
  );
}

function useSelection<Row extends { id: string }>(rows: Row[]) {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const navigation = useNavigation();
  const { success } = useListActionData();
  // A finished bulk action clears the selection.
  useEffect(() => {
    if (navigation.state === "idle" && success?.intent.startsWith("bulk-")) setSelected(new Set());
  }, [navigation.state, success]);
  // Rows that left the list (deleted, filtered out) leave the selection.
  const ids = rows.map((row) => row.id).join(",");
  useEffect(() => {
    const present = new Set(ids.split(","));
    setSelected((current) => new Set([...current].filter((id) => present.has(id))));
  }, [ids]);
  return {
    selected,
    toggle(id: string, checked: boolean) {
      setSelected((current) => {
        const next = new Set(current);
        if (checked) next.add(id);
        else next.delete(id);
        return next;
      });
    },
    toggleAll(all: Row[], checked: boolean) {
      setSelected(checked ? new Set(all.map((row) => row.id)) : new Set());
    },
  };
}

const BULK_FORM_ID = "bulk-form";

function BulkBar({
  members,
  me,
  selected,
  config,
}: {
  members: Member[];
  me: string;
  selected: number;
  config: RecordListConfig;
}) {
  const hydrated = useHydrated();
  const none = hydrated && selected === 0;
  const [confirming, setConfirming] = useState(false);
  const deleting = useSubmitting("bulk-delete");
  const noun = selected === 1 ? config.one : config.many;
  // The dialog closes once the delete went through (or nothing is selected any more).
  useEffect(() => {
    if (selected === 0) setConfirming(false);
  }, [selected]);
  const owners = [
    { value: "", label: "Nobody" },
    ...members
      .filter((member) => member.active)
      .map((member) => ({
        value: member.userId,
        label: member.userId === me ? `${member.name} (you)` : member.name,
      })),
  ];
  return (
    <Form
      method="post"
      id={BULK_FORM_ID}
      aria-label="Bulk actions"
      className="flex flex-wrap items-end gap-x-4 gap-y-2 border-b border-slate-200 bg-slate-50/60 px-4 py-2.5 sm:px-5"
    >
      <p className="self-center text-xs font-medium text-slate-700" aria-live="polite">
        {hydrated ? `${selected} selected` : "Select rows, then:"}
      </p>
      <div className="flex items-end gap-1.5">
        <SelectField
          label="New owner"
          hideLabel
          name="ownerId"
          options={owners}
          size="sm"
          className="w-36 sm:w-40"
        />
        <Button name="intent" value="bulk-assign" variant="secondary" size="sm" disabled={none}>
          Assign owner
        </Button>
      </div>
      <div className="flex items-end gap-1.5">
        <label className="sr-only" htmlFor="bulk-tags">
          Tags to add or remove
        </label>
        <input
          id="bulk-tags"
          name="tags"
          placeholder="tag, another"
          className="h-8 w-36 rounded-md border-0 px-2.5 text-xs text-slate-900 ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-indigo-600 focus:outline-none"
        />
        <Button name="intent" value="bulk-tag" variant="secondary" size="sm" disabled={none}>
          Add tag
        </Button>
        <Button name="intent" value="bulk-untag" variant="ghost" size="sm" disabled={none}>
          Remove tag
        </Button>
      </div>
      {hydrated ? (
        // With JavaScript, a delete asks first; without, it goes through (and offers Undo).
        <Button
          type="button"
          variant="danger"
          size="sm"
          disabled={none}
          className="ml-auto"
          onClick={() => setConfirming(true)}
        >
          Delete selected
        </Button>
      ) : (
        <Button name="intent" value="bulk-delete" variant="danger" size="sm" className="ml-auto">
          Delete selected
        </Button>
      )}
      {confirming ? (
        <Modal
          title={`Delete ${selected} ${noun}?`}
          description={`They move to “Deleted”, where you can restore them for 30 days.`}
          onClose={() => setConfirming(false)}
          closeHref="?"
        >
          <div className="flex justify-end gap-2 px-5 py-4">
            <Button type="button" variant="secondary" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
            <Button
              name="intent"
              value="bulk-delete"
              variant="danger"
              form={BULK_FORM_ID}
              pending={deleting}
            >
              Delete {selected} {noun}
            </Button>
          </div>
        </Modal>
      ) : null}
    </Form>
  );
}

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

function FilterBar<Row>({
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

function SavedViews<Row>({
  data,
  config,
}: {
  data: RecordListData<Row>;
  config: RecordListConfig;
}) {
  const navigate = useNavigate();
  const location = useLocation();
  const current = data.views.find((view) =>
    paramsMatchView(data.params, view.definition, data.defaultColumns, config.defaultSort),
  );
  const mine = data.views.filter((view) => view.mine);
  const shared = data.views.filter((view) => !view.mine);
  const hydrated = useHydrated();
  return (
    <div className="flex flex-wrap items-center gap-2">
      <form method="get" className="flex items-center gap-2">
        <div className="flex items-center gap-2">
          <label htmlFor="saved-view" className="text-sm font-medium text-slate-800">
            View
          </label>
          <select
            id="saved-view"
            name="view"
            key={current?.id ?? "none"}
            defaultValue={current?.id ?? ""}
            onChange={(event) => {
              const id = event.currentTarget.value;
              navigate(id ? `?view=${id}` : config.path);
            }}
            className="block h-9 w-56 rounded-md border-0 bg-white pr-8 pl-3 text-sm text-slate-900 shadow-xs ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-indigo-600 focus:outline-none"
          >
            <option value="">
              {current || (!isFiltered(data.params) && !data.params.columns)
                ? `All ${config.many}`
                : "Unsaved view"}
            </option>
            {mine.length > 0 ? (
              <optgroup label="My views">
                {mine.map((view) => (
                  <option key={view.id} value={view.id}>
                    {view.name}
                    {view.shared ? " (shared)" : ""}
                  </option>
                ))}
              </optgroup>
            ) : null}
            {shared.length > 0 ? (
              <optgroup label="Shared with the team">
                {shared.map((view) => (
                  <option key={view.id} value={view.id}>
                    {view.name}
                  </option>
                ))}
              </optgroup>
            ) : null}
          </select>
        </div>
        {hydrated ? null : <Button variant="secondary">Open</Button>}
      </form>
      {/* A new view remounts (closes) the popover. */}
      <details className="relative" key={data.views.length}>
        <summary
          className={cx(
            buttonClass("secondary"),
            "cursor-pointer list-none [&::-webkit-details-marker]:hidden",
          )}
        >
          Save view
        </summary>
        <Form
          method="post"
          className="absolute left-0 z-20 mt-1 w-72 space-y-3 rounded-lg bg-white p-4 shadow-lg ring-1 ring-slate-200"
        >
          <input type="hidden" name="intent" value="save-view" />
          <input type="hidden" name="params" value={location.search.replace(/^\?/, "")} />
          <p className="text-xs text-slate-600">
            Saves the current search, filters, sort order and columns.
          </p>
          <TextField label="View name" name="name" required maxLength={80} />
          {data.canShareViews ? (
            <CheckboxField label="Share with the team" name="shared" value="true" />
          ) : null}
          <Button size="sm">Save</Button>
        </Form>
      </details>
      {current?.mine ? (
        <Form method="post">
          <input type="hidden" name="intent" value="delete-view" />
          <input type="hidden" name="viewId" value={current.id} />
          <Button variant="ghost" size="sm" className="h-9">
            Delete view<span className="sr-only"> {current.name}</span>
          </Button>
        </Form>
      ) : null}
    </div>
  );
}

function NewButton({ config, label }: { config: RecordListConfig; label?: string | undefined }) {
  const [searchParams] = useSearchParams();
  const next = new URLSearchParams(searchParams);
  next.set("new", "1");
  return (
    <Link to={`?${next.toString()}`} preventScrollReset className={buttonClass("primary")}>
      <span aria-hidden="true">+</span>
      {label ?? `New ${config.one}`}
    </Link>
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

interface Page<Row> {
  rows: Row[];
  nextCursor: string | null;
}

interface MoreRows<Row> {
  rows: Row[];
  nextCursor: string | null;
  loading: boolean;
  load(): void;
}

/** "Load more": the next pages, fetched in place and appended (reset when the list changes). */
function useMoreRows<Row>(data: RecordListData<Row>, path: string): MoreRows<Row> {
  const fetcher = useFetcher();
  const [pages, setPages] = useState<Page<Row>[]>([]);
  const key = `${listSearch(data.params, { cursor: null })}|${data.rows.map((row) => (row as { id: string }).id).join(",")}`;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` names the first page
  useEffect(() => setPages([]), [key]);
  useEffect(() => {
    // The loader's own data for the next page (it is the same route).
    const page = fetcher.data as Page<Row> | undefined;
    if (fetcher.state === "idle" && page?.rows) {
      setPages((current) => (current.includes(page) ? current : [...current, page]));
    }
  }, [fetcher.state, fetcher.data]);
  const nextCursor = pages.length > 0 ? (pages.at(-1)?.nextCursor ?? null) : data.nextCursor;
  return {
    rows: pages.flatMap((page) => page.rows),
    nextCursor,
    loading: fetcher.state !== "idle",
    load() {
      if (!nextCursor || fetcher.state !== "idle") return;
      const search = listSearch(data.params, { cursor: nextCursor });
      fetcher.load(`${path}${search}&index`);
    },
  };
}

function Pager<Row>({
  data,
  config,
  more,
}: {
  data: RecordListData<Row>;
  config: RecordListConfig;
  more: MoreRows<Row>;
}) {
  const paged = Boolean(data.params.cursor);
  if (!more.nextCursor && !paged) return null;
  return (
    <div className="flex justify-between gap-3 border-t border-slate-200 px-5 py-3">
      {paged ? (
        <Link
          to={listSearch(data.params, { cursor: null })}
          className={buttonClass("secondary", "sm")}
        >
          First page
        </Link>
      ) : (
        <span />
      )}
      {more.nextCursor ? (
        <Link
          to={listSearch(data.params, { cursor: more.nextCursor })}
          preventScrollReset
          onClick={(event) => {
            event.preventDefault();
            more.load();
          }}
          aria-busy={more.loading || undefined}
          className={buttonClass("secondary", "sm")}
        >
          {more.loading ? "Loading…" : `Load more ${config.many}`}
        </Link>
      ) : null}
    </div>
  );
}

function NewRecordDialog<Row>({
  data,
  config,
  createFields,
}: {
  data: RecordListData<Row>;
  config: RecordListConfig;
  createFields: FieldSpec[];
}) {
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const { failure } = useListActionData();
  const createFailure = failure?.intent === "create" ? failure : undefined;
  const requested = searchParams.has("new");
  const [open, setOpen] = useState(requested || createFailure !== undefined);
  useEffect(() => {
    if (requested || createFailure) setOpen(true);
  }, [requested, createFailure]);
  const creating = useSubmitting("create");
  if (!open || !data.canWrite) return null;
  const withoutNew = new URLSearchParams(searchParams);
  withoutNew.delete("new");
  const closeHref = withoutNew.size > 0 ? `?${withoutNew.toString()}` : config.path;
  const close = () => {
    setOpen(false);
    if (requested) navigate(closeHref, { replace: true, preventScrollReset: true });
  };
  const specs = [...createSpecs(createFields), ...customFieldSpecs(data.customFields)];
  const values = createFailure?.values ?? {};
  const generalError =
    createFailure && Object.keys(createFailure.fieldErrors).length === 0
      ? createFailure.message
      : null;
  return (
    <Modal title={`New ${config.one}`} onClose={close} closeHref={closeHref} size="lg">
      <Form method="post" noValidate className="space-y-4 px-5 py-4">
        <input type="hidden" name="intent" value="create" />
        {generalError ? <Alert>{generalError}</Alert> : null}
        {createFailure && !generalError ? (
          <Alert title={`The ${config.one} was not created`}>{createFailure.message}</Alert>
        ) : null}
        <div className="grid gap-4 sm:grid-cols-2">
          {specs.map((spec, index) => (
            <FieldInput
              key={spec.name}
              spec={spec}
              value={createFailure ? postedValue(spec, values) : defaultFor(spec)}
              fieldErrors={createFailure?.fieldErrors}
              autoFocus={index === 0}
              className={WIDE_KINDS.has(spec.kind) ? "sm:col-span-2" : undefined}
            />
          ))}
        </div>
        <div className="flex justify-end gap-2 border-t border-slate-200 pt-4">
          <Link
            to={closeHref}
            onClick={(event) => {
              event.preventDefault();
              close();
            }}
            className={buttonClass("ghost")}
          >
            Cancel
          </Link>
          <Button pending={creating}>Create {config.one}</Button>
        </div>
      </Form>
    </Modal>
  );
}

/** Fields that take both columns of the "New" form. */
const WIDE_KINDS = new Set<FieldKind>(["textarea", "multi_select", "address"]);

function defaultFor(spec: FieldSpec): unknown {
  if (spec.kind === "select" && spec.required) return spec.options?.[0]?.value;
  return undefined;
}
