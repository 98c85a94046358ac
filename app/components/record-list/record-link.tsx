import { Link } from "@remix-run/react";
import { createContext, type ReactNode, useContext } from "react";
import { cx, focusRing } from "../ui";

/* Record links in a list; the "Deleted" list has no pages to link to. */

export const DeletedModeContext = createContext(false);

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
