import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { helpPath } from "../../shared/kb";
import { buttonClass, controlClass, cx } from "./ui";

/*
 * The public help page's frame (`/help/<org slug>/...`): the organization's name, a search box
 * and "Submit a request"; no sign-in, no app shell.
 */

export function HelpLayout({
  organization,
  q = "",
  children,
}: {
  organization: { name: string; slug: string };
  q?: string;
  children: ReactNode;
}) {
  const home = helpPath(organization.slug);
  return (
    <div className="min-h-full bg-slate-50">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-4xl flex-wrap items-center gap-3 px-4 py-4 sm:px-6">
          <Link to={home} className="min-w-0 flex-1 truncate text-lg font-semibold text-slate-900">
            {organization.name} <span className="font-normal text-slate-500">Help</span>
          </Link>
          <a href={`${home}/request`} className={buttonClass("primary", "sm")}>
            Submit a request
          </a>
        </div>
        <div className="mx-auto max-w-4xl px-4 pb-5 sm:px-6">
          <Form method="get" action={home} role="search" className="flex gap-2">
            <label htmlFor="help-search" className="sr-only">
              Search the help articles
            </label>
            <input
              id="help-search"
              type="search"
              name="q"
              defaultValue={q}
              maxLength={200}
              placeholder="Search for answers"
              className={cx(controlClass(false), "min-w-0 flex-1")}
            />
            <button type="submit" className={buttonClass("secondary")}>
              Search
            </button>
          </Form>
        </div>
      </header>
      <main className="mx-auto max-w-4xl px-4 py-8 sm:px-6">{children}</main>
    </div>
  );
}

/** The help page's 404: an unknown organization, or an article that is not published. */
export function HelpNotFound({
  what,
  home,
}: {
  what: "help page" | "article";
  /** The organization's help page, to go back to (an unknown article). */
  home?: string;
}) {
  return (
    <main className="mx-auto max-w-lg px-4 py-16 text-center sm:px-6">
      <h1 className="text-xl font-semibold tracking-tight text-slate-900">
        {what === "article" ? "Article not found" : "Help page not found"}
      </h1>
      <p className="mt-2 text-sm text-slate-600">
        {what === "article"
          ? "This article does not exist or is no longer published."
          : "There is no help page at this address."}
      </p>
      {home ? (
        <Link to={home} className={cx("mt-6", buttonClass("secondary"))}>
          All help articles
        </Link>
      ) : null}
    </main>
  );
}
