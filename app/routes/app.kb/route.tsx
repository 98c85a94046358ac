import type { MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useLoaderData, useNavigate } from "@remix-run/react";
import { useId } from "react";
import { LocalTime } from "../../components/local-time";
import { RouteError } from "../../components/route-error";
import { Alert, Badge, Button, buttonClass, controlClass, cx } from "../../components/ui";
import { type FormFailure, failureFor, isFailure } from "../../lib/forms";
import { useActionResult } from "../../lib/use-action-result";
import type { action, loader } from "./kb.server";

export { action, loader } from "./kb.server";

export const meta: MetaFunction = () => [{ title: "Knowledge base · Switchboard" }];

/*
 * The knowledge base for the team: articles (title, category, status, author, updated) with
 * status and category filters and typo-tolerant search; categories managed inline by
 * managers+; links to the public help page.
 */

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

const STATUS_LABELS = { draft: "Draft", published: "Published" } as const;

export default function KnowledgeBasePage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionResult<typeof action>();
  const filtered = Boolean(data.filters.status || data.filters.category || data.filters.q);
  return (
    <div className="min-h-dvh bg-white">
      <div className="border-b border-slate-200 px-4 py-4 sm:px-6">
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="flex-1 text-lg font-semibold tracking-tight text-slate-900">
            Knowledge base
          </h1>
          <a
            href={data.helpHome}
            target="_blank"
            rel="noreferrer"
            className={buttonClass("secondary", "sm")}
          >
            View help page
          </a>
          {data.canWrite ? (
            <Link to="/app/kb/new" className={buttonClass("primary", "sm")}>
              <span aria-hidden="true">+</span>
              New article
            </Link>
          ) : null}
        </div>
        <Filters data={data} />
      </div>
      {result && !isFailure(result) ? (
        <div className="px-4 pt-4 sm:px-6">
          <Alert tone="success">{result.message}</Alert>
        </div>
      ) : null}
      <div className="flex flex-col gap-6 px-4 py-4 sm:px-6 lg:flex-row">
        <section aria-label="Articles" className="min-w-0 flex-1">
          {data.invalidFilters ? (
            <p className="py-8 text-sm text-slate-600">
              These filters do not read.{" "}
              <Link to="/app/kb" className="text-indigo-700 underline">
                Show all articles
              </Link>
              .
            </p>
          ) : data.articles.length === 0 ? (
            <div className="py-12 text-center" data-testid="kb-empty">
              <p className="text-sm font-medium text-slate-900">
                {filtered ? "No articles match these filters." : "No articles yet."}
              </p>
              {filtered ? (
                <Link to="/app/kb" className={cx("mt-3", buttonClass("secondary", "sm"))}>
                  Clear the filters
                </Link>
              ) : null}
            </div>
          ) : (
            <ArticleTable data={data} />
          )}
          {data.nextCursor ? (
            <div className="pt-4">
              <Link
                to={`?${new URLSearchParams({ ...data.filters, cursor: data.nextCursor }).toString()}`}
                className={buttonClass("secondary", "sm")}
              >
                Older articles
              </Link>
            </div>
          ) : null}
        </section>
        <Categories data={data} failure={isFailure(result) ? result : undefined} />
      </div>
    </div>
  );
}

function Filters({ data }: { data: Data }) {
  const id = useId();
  const navigate = useNavigate();
  const { filters } = data;
  return (
    <Form
      method="get"
      role="search"
      className="mt-3 flex flex-wrap items-center gap-2"
      key={`${filters.status}|${filters.category}|${filters.q}`}
    >
      <label htmlFor={`${id}-q`} className="sr-only">
        Search articles
      </label>
      <input
        id={`${id}-q`}
        type="search"
        name="q"
        defaultValue={filters.q}
        maxLength={200}
        placeholder="Search titles and text"
        className={cx(controlClass(false, "sm"), "min-w-0 basis-full sm:flex-1 sm:basis-auto")}
      />
      <label htmlFor={`${id}-status`} className="sr-only">
        Status
      </label>
      <select
        id={`${id}-status`}
        name="status"
        defaultValue={filters.status}
        className={cx(controlClass(false, "sm"), "min-w-0 flex-1 pr-7 sm:w-44 sm:flex-none")}
        onChange={(event) => navigate(`?${formQuery(event.currentTarget.form)}`)}
      >
        <option value="">Any status</option>
        <option value="draft">Drafts</option>
        <option value="published">Published</option>
      </select>
      <label htmlFor={`${id}-category`} className="sr-only">
        Category
      </label>
      <select
        id={`${id}-category`}
        name="category"
        defaultValue={filters.category}
        className={cx(controlClass(false, "sm"), "min-w-0 flex-1 pr-7 sm:w-44 sm:flex-none")}
        onChange={(event) => navigate(`?${formQuery(event.currentTarget.form)}`)}
      >
        <option value="">Any category</option>
        {data.categories.map((category) => (
          <option key={category.id} value={category.id}>
            {category.name}
          </option>
        ))}
        <option value="none">Uncategorized</option>
      </select>
      <button type="submit" className={buttonClass("secondary", "sm")}>
        Search
      </button>
    </Form>
  );
}

/** The filter form's non-empty fields as a query string. */
function formQuery(form: HTMLFormElement | null): string {
  const query = new URLSearchParams();
  if (!form) return "";
  for (const [name, value] of new FormData(form)) {
    if (typeof value === "string" && value) query.set(name, value);
  }
  return query.toString();
}

function ArticleTable({ data }: { data: Data }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm" data-testid="kb-articles">
        <thead className="border-b border-slate-200 text-xs text-slate-500">
          <tr>
            <th scope="col" className="py-2 pr-3 font-medium">
              Title
            </th>
            <th scope="col" className="hidden px-3 py-2 font-medium md:table-cell">
              Category
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Status
            </th>
            <th scope="col" className="hidden px-3 py-2 font-medium md:table-cell">
              Author
            </th>
            <th scope="col" className="hidden py-2 pl-3 font-medium sm:table-cell">
              Updated
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {data.articles.map((article) => (
            <tr key={article.id}>
              {/* A long word (a bare link in the excerpt) wraps instead of widening the table. */}
              <td className="py-2.5 pr-3 [overflow-wrap:anywhere]">
                <Link
                  to={`/app/kb/${article.id}`}
                  className="font-medium text-slate-900 hover:text-indigo-700 hover:underline"
                >
                  {article.title}
                </Link>
                {article.excerpt ? (
                  <p className="line-clamp-1 text-xs text-slate-500">{article.excerpt}</p>
                ) : null}
              </td>
              <td className="hidden px-3 py-2.5 text-slate-700 md:table-cell">
                {article.categoryName ?? <span className="text-slate-400">None</span>}
              </td>
              <td className="px-3 py-2.5">
                <Badge tone={article.status === "published" ? "success" : "neutral"}>
                  {STATUS_LABELS[article.status]}
                </Badge>
              </td>
              <td className="hidden px-3 py-2.5 text-slate-700 md:table-cell">
                {article.authorName ?? "—"}
              </td>
              <td className="hidden py-2.5 pl-3 whitespace-nowrap text-slate-600 sm:table-cell">
                <LocalTime iso={article.updatedAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Categories({ data, failure }: { data: Data; failure: FormFailure | undefined }) {
  const addFailure = failureFor(failure, "createCategory");
  const otherFailure = failure && failure.intent !== "createCategory" ? failure : undefined;
  return (
    <aside aria-labelledby="kb-categories" className="shrink-0 lg:w-72">
      <h2 id="kb-categories" className="text-sm font-semibold text-slate-900">
        Categories
      </h2>
      {otherFailure ? (
        <div className="mt-2">
          <Alert>{otherFailure.message}</Alert>
        </div>
      ) : null}
      <ul className="mt-2 divide-y divide-slate-100 rounded-lg ring-1 ring-slate-200">
        {data.categories.length === 0 ? (
          <li className="px-3 py-2 text-sm text-slate-500">No categories yet.</li>
        ) : null}
        {data.categories.map((category) => (
          <li key={category.id} className="px-3 py-2 text-sm">
            {data.canManage ? (
              <details>
                <summary className="flex cursor-pointer items-center gap-2">
                  <span className="min-w-0 flex-1 truncate text-slate-800">{category.name}</span>
                  <span className="text-xs text-slate-500 tabular-nums">
                    {category.articleCount}
                  </span>
                </summary>
                <Form method="post" className="mt-2 flex gap-2">
                  <input type="hidden" name="id" value={category.id} />
                  <label htmlFor={`rename-${category.id}`} className="sr-only">
                    New name of {category.name}
                  </label>
                  <input
                    id={`rename-${category.id}`}
                    name="name"
                    defaultValue={category.name}
                    maxLength={120}
                    className={cx(controlClass(false, "sm"), "min-w-0 flex-1")}
                  />
                  <Button size="sm" variant="secondary" name="intent" value="renameCategory">
                    Rename
                  </Button>
                </Form>
                <Form
                  method="post"
                  className="mt-2"
                  onSubmit={(event) => {
                    if (
                      !window.confirm(
                        `Delete the category “${category.name}”? Its articles stay, uncategorized.`,
                      )
                    ) {
                      event.preventDefault();
                    }
                  }}
                >
                  <input type="hidden" name="id" value={category.id} />
                  <Button size="sm" variant="danger" name="intent" value="deleteCategory">
                    Delete category
                  </Button>
                </Form>
              </details>
            ) : (
              <div className="flex items-center gap-2">
                <span className="min-w-0 flex-1 truncate text-slate-800">{category.name}</span>
                <span className="text-xs text-slate-500 tabular-nums">{category.articleCount}</span>
              </div>
            )}
          </li>
        ))}
      </ul>
      {data.canManage ? (
        <Form method="post" className="mt-3 flex gap-2">
          <label htmlFor="kb-new-category" className="sr-only">
            New category
          </label>
          <input
            id="kb-new-category"
            name="name"
            required
            maxLength={120}
            placeholder="New category"
            defaultValue={addFailure?.values.name ?? ""}
            aria-invalid={addFailure ? true : undefined}
            className={cx(controlClass(Boolean(addFailure), "sm"), "min-w-0 flex-1")}
          />
          <Button size="sm" name="intent" value="createCategory">
            Add
          </Button>
        </Form>
      ) : null}
      {addFailure ? (
        <p className="mt-1 text-xs font-medium text-red-700">
          {addFailure.fieldErrors.name?.join(" ") ?? addFailure.message}
        </p>
      ) : null}
    </aside>
  );
}

export function ErrorBoundary() {
  return <RouteError />;
}
