import { Form, useLocation, useNavigate } from "@remix-run/react";
import { isFiltered, paramsMatchView } from "../../lib/list-params";
import { Button, buttonClass, CheckboxField, cx, TextField, useHydrated } from "../ui";
import type { RecordListConfig, RecordListData } from "./types";

/* Saved views: open one, save the current search, filters, sort and columns, delete your own. */

export function SavedViews<Row>({
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
