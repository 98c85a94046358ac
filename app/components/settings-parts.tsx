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
 * The table of a settings section: a caption for screen readers, the column headers (plus an
 * unlabelled "Actions" column at the end with `actions`), and the rows given as children.
 */
export function SettingsTable({
  caption,
  columns,
  actions = false,
  children,
}: {
  caption: string;
  columns: SettingsColumn[];
  actions?: boolean;
  children: ReactNode;
}) {
  const lastIndex = columns.length - 1;
  return (
    <div className="relative overflow-x-auto">
      <table className="min-w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-slate-200 text-xs text-slate-600">
          <tr>
            {columns.map((column, index) => (
              <HeaderCell
                key={typeof column === "string" ? column : column.label}
                column={column}
                edge={index === 0 || (index === lastIndex && !actions)}
              />
            ))}
            {actions ? (
              <th scope="col" className="px-5 py-2.5 text-right font-medium">
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
