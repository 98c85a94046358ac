import { useId } from "react";
import type { CrmEntity } from "../../shared/crm";
import { formatCount } from "./charts";
import { cx } from "./ui";

/** How the four CRM record kinds read in sentences, and where their lists live. */
export const CRM_ENTITY_TEXT: Record<CrmEntity, { one: string; many: string; path: string }> = {
  contact: { one: "contact", many: "contacts", path: "/app/contacts" },
  company: { one: "company", many: "companies", path: "/app/companies" },
  lead: { one: "lead", many: "leads", path: "/app/leads" },
  deal: { one: "deal", many: "deals", path: "/app/deals" },
};

export const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

const STEPS = ["Upload", "Map columns", "Review", "Import"] as const;

/** The wizard's steps, the current one marked for assistive technology. */
export function ImportSteps({ current }: { current: 0 | 1 | 2 | 3 }) {
  return (
    <nav aria-label="Import steps">
      <ol className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm">
        {STEPS.map((step, index) => {
          const state = index < current ? "done" : index === current ? "current" : "todo";
          return (
            <li key={step} className="flex items-center gap-2">
              {index > 0 ? <span aria-hidden="true" className="h-px w-6 bg-slate-300" /> : null}
              <span
                aria-current={state === "current" ? "step" : undefined}
                className={cx(
                  "flex items-center gap-1.5 font-medium",
                  state === "current"
                    ? "text-indigo-700"
                    : state === "done"
                      ? "text-slate-800"
                      : "text-slate-500",
                )}
              >
                <span
                  aria-hidden="true"
                  className={cx(
                    "flex size-6 items-center justify-center rounded-full text-xs",
                    state === "current"
                      ? "bg-indigo-600 text-white"
                      : state === "done"
                        ? "bg-indigo-100 text-indigo-700"
                        : "bg-slate-200 text-slate-600",
                  )}
                >
                  {state === "done" ? "✓" : index + 1}
                </span>
                {step}
                {state === "done" ? <span className="sr-only"> (done)</span> : null}
              </span>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

export interface ImportCounts {
  status: "pending" | "running" | "completed" | "failed";
  total: number;
  processed: number;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
}

export function percentDone(counts: ImportCounts): number {
  if (counts.status === "completed") return 100;
  if (counts.total === 0) return 0;
  return Math.min(100, Math.floor((counts.processed / counts.total) * 100));
}

/** A labelled progress bar (role="progressbar") with the row counts as its text. */
export function ImportProgressBar({ counts }: { counts: ImportCounts }) {
  const id = useId();
  const percent = percentDone(counts);
  const text = `${formatCount(counts.processed)} of ${formatCount(counts.total)} rows (${percent}%)`;
  return (
    <div>
      <div className="flex items-baseline justify-between gap-3 text-sm">
        <span id={id} className="font-medium text-slate-900">
          Import progress
        </span>
        <span className="text-slate-600 tabular-nums" aria-hidden="true">
          {text}
        </span>
      </div>
      <div
        role="progressbar"
        aria-labelledby={id}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={text}
        className="mt-2 h-3 overflow-hidden rounded-full bg-slate-200"
      >
        <div
          className={cx(
            "h-full rounded-full transition-[width] duration-500",
            counts.status === "failed" ? "bg-red-500" : "bg-indigo-600",
          )}
          style={{ width: `${percent}%` }}
        />
      </div>
    </div>
  );
}

/** Created / updated / skipped / failed as a definition list. */
export function ImportTotals({ counts }: { counts: ImportCounts }) {
  const items = [
    { label: "Created", value: counts.created, tone: "text-emerald-700" },
    { label: "Updated", value: counts.updated, tone: "text-indigo-700" },
    { label: "Skipped", value: counts.skipped, tone: "text-slate-700" },
    { label: "Failed", value: counts.failed, tone: "text-red-700" },
  ];
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4" data-testid="import-totals">
      {items.map((item) => (
        <div key={item.label} className="rounded-md bg-slate-50 px-4 py-3 ring-1 ring-slate-200">
          <dt className="text-xs font-medium text-slate-600">{item.label}</dt>
          <dd className={cx("mt-0.5 text-lg font-semibold tabular-nums", item.tone)}>
            {formatCount(item.value)}
          </dd>
        </div>
      ))}
    </dl>
  );
}

export interface RowError {
  row: number;
  column: string | null;
  message: string;
}

/** Row / column / problem, as a table (rows are numbered as in the file, header = row 1). */
export function RowErrorsTable({ errors, caption }: { errors: RowError[]; caption: string }) {
  return (
    <div className="relative max-h-96 overflow-auto">
      <table className="min-w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="sticky top-0 border-b border-slate-200 bg-white text-xs text-slate-600">
          <tr>
            <th scope="col" className="px-5 py-2 font-medium">
              Row
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Column
            </th>
            <th scope="col" className="px-5 py-2 font-medium">
              Problem
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {errors.map((error) => (
            <tr key={`${error.row}\u0000${error.column ?? ""}\u0000${error.message}`}>
              <td className="px-5 py-2 whitespace-nowrap text-slate-700 tabular-nums">
                {error.row}
              </td>
              <td className="px-3 py-2 whitespace-nowrap text-slate-700">{error.column ?? "—"}</td>
              <td className="px-5 py-2 text-slate-900">{error.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
