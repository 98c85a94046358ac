import type { ReactNode } from "react";
import type { FormFailure } from "../lib/forms";
import { Alert, cx } from "./ui";

export interface FormOutcomeProps {
  failure: FormFailure | undefined;
  success?: { message: string };
  failureTitle?: string;
  /** Wraps the message in a div with these classes (e.g. its padding inside a section). */
  className?: string;
}

function outcomeAlert({ failure, success, failureTitle }: FormOutcomeProps) {
  if (failure) return <Alert title={failureTitle}>{failure.message}</Alert>;
  return success ? <Alert tone="success">{success.message}</Alert> : null;
}

/** A form's failure, else its success message; nothing when there is neither. */
export function FormOutcome({ className, ...outcome }: FormOutcomeProps) {
  const alert = outcomeAlert(outcome);
  return alert && className ? <div className={className}>{alert}</div> : alert;
}

/** A column header: its label, or the label with `wide` for one hidden on small screens. */
export type SettingsColumn = string | { label: string; wide: true };

function HeaderCell({ column, edge }: { column: SettingsColumn; edge: boolean }) {
  const wide = typeof column !== "string";
  return (
    <th
      scope="col"
      className={cx(edge ? "px-5" : "px-3", "py-2.5 font-medium", wide && "hidden md:table-cell")}
    >
      {wide ? column.label : column}
    </th>
  );
}

/**
 * Below `sm`, a stacked table's rows are blocks: the first cell on a line of its own, the
 * others flowing after it (wrapping as needed), so every control is on screen at 390 px
 * instead of off to the right of a sideways-scrolling table. The column headers stay for
 * screen readers. Cells hidden on small screens (`hidden md:table-cell`) stay hidden.
 */
const stackedOnPhones = cx(
  "max-sm:block max-sm:[&_tbody]:block",
  "max-sm:[&_tr]:flex max-sm:[&_tr]:flex-wrap max-sm:[&_tr]:items-center max-sm:[&_tr]:gap-x-3 max-sm:[&_tr]:gap-y-2 max-sm:[&_tr]:px-5 max-sm:[&_tr]:py-3",
  "max-sm:[&_td]:block max-sm:[&_td]:p-0 max-sm:[&_td:first-child]:w-full max-sm:[&_td.hidden]:hidden",
);

/**
 * The table of a settings section: a caption for screen readers, the column headers (plus an
 * unlabelled "Actions" column at the end with `actions`), and the rows given as children.
 * With `stack`, rows become blocks on phones (for rows whose cells read without their
 * headers: a name, a badge, a form); otherwise the table scrolls sideways in its own box.
 */
export function SettingsTable({
  caption,
  columns,
  actions = false,
  stack = false,
  children,
}: {
  caption: string;
  columns: SettingsColumn[];
  actions?: boolean;
  stack?: boolean;
  children: ReactNode;
}) {
  const lastIndex = columns.length - 1;
  return (
    <div className="relative overflow-x-auto">
      <table className={cx("min-w-full text-left text-sm", stack && stackedOnPhones)}>
        <caption className="sr-only">{caption}</caption>
        <thead
          className={cx(
            "border-b border-slate-200 text-xs text-slate-600",
            stack && "max-sm:sr-only",
          )}
        >
          <tr>
            {columns.map((column, index) => (
              <HeaderCell
                key={typeof column === "string" ? column : column.label}
                column={column}
                edge={index === 0 || (index === lastIndex && !actions)}
              />
            ))}
            {actions ? (
              <th
                scope="col"
                className="px-5 py-2.5 text-right font-medium max-sm:sticky max-sm:right-0 max-sm:bg-white"
              >
                <span className="sr-only">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}
