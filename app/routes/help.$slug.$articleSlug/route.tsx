import type { MetaFunction } from "@remix-run/cloudflare";
import { Link, useLoaderData, useParams } from "@remix-run/react";
import { helpPath } from "../../../shared/kb";
import { ArticleBody } from "../../components/article-body";
import { HelpLayout, HelpNotFound } from "../../components/help-layout";
import type { loader } from "./article.server";

export { loader } from "./article.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data ? `${data.article.title} · ${data.organization.name} Help` : "Article not found",
  },
];

/* One published article of an organization's help page (`/help/<org slug>/<article slug>`). */

export default function HelpArticlePage() {
  const { organization, article } = useLoaderData<typeof loader>();
  return (
    <HelpLayout organization={organization}>
      <nav aria-label="Breadcrumb" className="text-sm text-slate-500">
        <Link to={helpPath(organization.slug)} className="text-indigo-700 hover:underline">
          {organization.name} Help
        </Link>
        {article.categoryName ? <span> / {article.categoryName}</span> : null}
      </nav>
      <article className="mt-4 rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200 sm:p-8">
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{article.title}</h1>
        <p className="mt-1 text-xs text-slate-500">
          Updated{" "}
          <time dateTime={article.updatedAt}>
            {new Date(article.updatedAt).toLocaleDateString("en", {
              dateStyle: "medium",
              timeZone: "UTC",
            })}
          </time>
        </p>
        <ArticleBody html={article.html} className="mt-4" />
      </article>
      <p className="mt-6 text-sm text-slate-600">
        Still need help?{" "}
        <a href={`${helpPath(organization.slug)}/request`} className="text-indigo-700 underline">
          Submit a request
        </a>
      </p>
    </HelpLayout>
  );
}

export function ErrorBoundary() {
  const { slug } = useParams();
  return <HelpNotFound what="article" home={slug ? helpPath(slug) : undefined} />;
}
