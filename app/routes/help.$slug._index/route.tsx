import type { HeadersFunction, MetaFunction } from "@remix-run/cloudflare";
import { Link, useLoaderData } from "@remix-run/react";
import { helpPath } from "../../../shared/kb";
import { HelpLayout, HelpNotFound } from "../../components/help-layout";
import type { loader } from "./help.server";

export { loader } from "./help.server";

/** A refused search (429) tells the browser when to try again. */
export const headers: HeadersFunction = ({ loaderHeaders }) => {
  const retryAfter = loaderHeaders.get("Retry-After");
  return retryAfter ? { "Retry-After": retryAfter } : new Headers();
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.organization.name} Help` : "Help page not found" },
];

/*
 * An organization's public help page (`/help/<org slug>`): its categories with their
 * published articles, or, with `?q=`, the articles that match (typos forgiven).
 */

interface Summary {
  title: string;
  slug: string;
  excerpt: string;
}

export default function HelpCenterPage() {
  const data = useLoaderData<typeof loader>();
  const { organization } = data;
  const empty = data.categories.length === 0 && data.uncategorized.length === 0;
  return (
    <HelpLayout organization={organization} q={data.q ?? ""}>
      {data.retryAfter !== null ? (
        <p
          role="status"
          className="mb-6 rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-900 ring-1 ring-amber-200 ring-inset"
        >
          Too many searches from your network. Try again in{" "}
          {data.retryAfter < 90 ? `${data.retryAfter} seconds` : "a few minutes"}; meanwhile, here
          are all the articles.
        </p>
      ) : null}
      {data.results ? (
        <section aria-labelledby="help-results">
          <h1 id="help-results" className="text-lg font-semibold text-slate-900">
            Results for “{data.q}”
          </h1>
          {data.results.length === 0 ? (
            <p className="mt-4 text-sm text-slate-600">
              No articles match. Try other words, or{" "}
              <a
                href={`${helpPath(organization.slug)}/request`}
                className="text-indigo-700 underline"
              >
                submit a request
              </a>
              .
            </p>
          ) : (
            <ArticleList orgSlug={organization.slug} articles={data.results} />
          )}
          <p className="mt-6 text-sm">
            <Link to={helpPath(organization.slug)} className="text-indigo-700 underline">
              All articles
            </Link>
          </p>
        </section>
      ) : empty ? (
        <p className="text-sm text-slate-600">No articles have been published yet.</p>
      ) : (
        <div className="grid gap-6 md:grid-cols-2">
          {data.categories.map((category) => (
            <section
              key={category.slug}
              id={category.slug}
              aria-labelledby={`category-${category.slug}`}
              className="rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200"
            >
              <h2 id={`category-${category.slug}`} className="font-semibold text-slate-900">
                {category.name}
              </h2>
              <ArticleList orgSlug={organization.slug} articles={category.articles} compact />
            </section>
          ))}
          {data.uncategorized.length > 0 ? (
            <section
              aria-labelledby="category-other"
              className="rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200"
            >
              <h2 id="category-other" className="font-semibold text-slate-900">
                {data.categories.length > 0 ? "More articles" : "Articles"}
              </h2>
              <ArticleList orgSlug={organization.slug} articles={data.uncategorized} compact />
            </section>
          ) : null}
        </div>
      )}
    </HelpLayout>
  );
}

function ArticleList({
  orgSlug,
  articles,
  compact = false,
}: {
  orgSlug: string;
  articles: Summary[];
  compact?: boolean;
}) {
  return (
    <ul className={compact ? "mt-3 space-y-2" : "mt-4 divide-y divide-slate-200"}>
      {articles.map((article) => (
        <li key={article.slug} className={compact ? "" : "py-3"}>
          <Link
            to={helpPath(orgSlug, article.slug)}
            className="font-medium text-indigo-700 hover:underline"
          >
            {article.title}
          </Link>
          {compact ? null : <p className="mt-1 text-sm text-slate-600">{article.excerpt}</p>}
        </li>
      ))}
    </ul>
  );
}

export function ErrorBoundary() {
  return <HelpNotFound what="help page" />;
}
