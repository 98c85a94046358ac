import { and, asc, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Database, Tx } from "../db/client";
import { kbArticles, kbCategories } from "../db/kb-schema";
import { organizations } from "../db/schema";
import { type AfterCommit, runUnitOfWork } from "../lib/unit-of-work";
import { markdownExcerpt, renderMarkdown } from "./markdown";
import { searchArticleIds } from "./search";

/*
 * The public help page of an organization (`/help/<org slug>`), read by anyone without signing
 * in: published articles only. The organization is found by its slug through
 * `support_mailbox_org()` (SECURITY DEFINER, the id only, migrations/0020), then everything is
 * read in that organization's own transaction under row-level security, so nothing of another
 * organization can appear, whatever the address says.
 */

export interface HelpArticleSummary {
  title: string;
  slug: string;
  excerpt: string;
}

export interface HelpCenter {
  organization: { name: string; slug: string };
  categories: Array<{ name: string; slug: string; articles: HelpArticleSummary[] }>;
  /** Published articles in no category. */
  uncategorized: HelpArticleSummary[];
  /** Search results, best first, when the visitor searched. */
  results: HelpArticleSummary[] | null;
}

export interface HelpArticle {
  organization: { name: string; slug: string };
  article: {
    title: string;
    slug: string;
    html: string;
    categoryName: string | null;
    updatedAt: string;
  };
}

/** Runs `work` in the organization's transaction when `slug` names one; null otherwise. */
async function inHelpCenter<T>(
  database: Database,
  afterCommit: AfterCommit,
  slug: string,
  work: (tx: Tx, organization: { name: string; slug: string }) => Promise<T | null>,
): Promise<T | null> {
  if (!/^[a-z0-9-]{1,80}$/.test(slug)) return null;
  const orgId = await database.global(async (tx) => {
    const { rows } = await tx.execute<{ org_id: string | null }>(
      sql`select support_mailbox_org(${slug}) as org_id`,
    );
    return rows[0]?.org_id ?? null;
  });
  if (!orgId) return null;
  return runUnitOfWork(database, { orgId, userId: null }, afterCommit, async ({ tx }) => {
    const [organization] = await tx
      .select({ name: organizations.name, slug: organizations.slug })
      .from(organizations)
      .where(eq(organizations.id, orgId));
    return organization ? work(tx, organization) : null;
  });
}

function summary(row: { title: string; slug: string; body: string }): HelpArticleSummary {
  return { title: row.title, slug: row.slug, excerpt: markdownExcerpt(row.body) };
}

const published = and(isNull(kbArticles.deletedAt), eq(kbArticles.status, "published"));

export function loadHelpCenter(
  database: Database,
  afterCommit: AfterCommit,
  slug: string,
  q: string | null,
): Promise<HelpCenter | null> {
  return inHelpCenter(database, afterCommit, slug, async (tx, organization) => {
    const categories = await tx
      .select({ id: kbCategories.id, name: kbCategories.name, slug: kbCategories.slug })
      .from(kbCategories)
      .orderBy(asc(kbCategories.position), asc(kbCategories.name));
    const articles = await tx
      .select({
        title: kbArticles.title,
        slug: kbArticles.slug,
        body: kbArticles.body,
        categoryId: kbArticles.categoryId,
      })
      .from(kbArticles)
      .where(published)
      .orderBy(asc(kbArticles.title));
    let results: HelpArticleSummary[] | null = null;
    if (q) {
      const ids = await searchArticleIds(tx, q, true, 20);
      const rows = ids.length
        ? await tx
            .select({
              id: kbArticles.id,
              title: kbArticles.title,
              slug: kbArticles.slug,
              body: kbArticles.body,
            })
            .from(kbArticles)
            .where(and(published, inArray(kbArticles.id, ids)))
            .orderBy(desc(kbArticles.updatedAt))
        : [];
      const order = new Map(ids.map((id, index) => [id, index]));
      results = rows.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0)).map(summary);
    }
    return {
      organization,
      categories: categories
        .map((category) => ({
          name: category.name,
          slug: category.slug,
          articles: articles.filter((a) => a.categoryId === category.id).map(summary),
        }))
        .filter((category) => category.articles.length > 0),
      uncategorized: articles.filter((a) => a.categoryId === null).map(summary),
      results,
    };
  });
}

export function loadHelpArticle(
  database: Database,
  afterCommit: AfterCommit,
  slug: string,
  articleSlug: string,
): Promise<HelpArticle | null> {
  return inHelpCenter(database, afterCommit, slug, async (tx, organization) => {
    const [row] = await tx
      .select({ article: kbArticles, categoryName: kbCategories.name })
      .from(kbArticles)
      .leftJoin(kbCategories, eq(kbCategories.id, kbArticles.categoryId))
      .where(and(published, eq(kbArticles.slug, articleSlug)));
    if (!row) return null;
    return {
      organization,
      article: {
        title: row.article.title,
        slug: row.article.slug,
        html: renderMarkdown(row.article.body),
        categoryName: row.categoryName,
        updatedAt: row.article.updatedAt.toISOString(),
      },
    };
  });
}
