import { and, eq, isNull, ne, sql } from "drizzle-orm";
import { helpPath } from "../../shared/kb";
import type { Tx } from "../db/client";
import { kbArticles, kbCategories } from "../db/kb-schema";
import { organizations, users } from "../db/schema";
import { slugBase } from "../lib/slug";
import { markdownExcerpt } from "./markdown";
import type { KbArticleView } from "./schemas";

/*
 * Rows of the knowledge base and their views, for the service and the public help page.
 */

export type KbArticleRow = typeof kbArticles.$inferSelect;

/** Articles with their category's and author's names. */
export function selectArticles(tx: Tx) {
  return tx
    .select({
      article: kbArticles,
      categoryName: kbCategories.name,
      authorName: users.name,
    })
    .from(kbArticles)
    .leftJoin(kbCategories, eq(kbCategories.id, kbArticles.categoryId))
    .leftJoin(users, eq(users.id, kbArticles.authorId));
}

type SelectedArticle = Awaited<ReturnType<ReturnType<typeof selectArticles>["where"]>>[number];

export function toArticleView(row: SelectedArticle, orgSlug: string): KbArticleView {
  const { article } = row;
  return {
    id: article.id,
    title: article.title,
    slug: article.slug,
    body: article.body,
    excerpt: markdownExcerpt(article.body),
    categoryId: article.categoryId,
    categoryName: row.categoryName,
    status: article.status,
    authorId: article.authorId,
    authorName: row.authorName,
    publishedAt: article.publishedAt?.toISOString() ?? null,
    helpPath: helpPath(orgSlug, article.slug),
    version: article.version,
    createdAt: article.createdAt.toISOString(),
    updatedAt: article.updatedAt.toISOString(),
  };
}

/** The organization's slug, which the help page's addresses carry. */
export async function orgSlugOf(tx: Tx, orgId: string): Promise<string> {
  const [row] = await tx
    .select({ slug: organizations.slug })
    .from(organizations)
    .where(eq(organizations.id, orgId));
  return row?.slug ?? "";
}

/** Addresses under `/help/<org slug>/` that are pages, not articles ("Submit a request"). */
const RESERVED_ARTICLE_SLUGS = ["request"];

/**
 * A slug for `text` not yet taken among the organization's live articles (or categories):
 * "password-reset", then "password-reset-2", ...
 */
export async function freeSlug(
  tx: Tx,
  table: "articles" | "categories",
  text: string,
  exceptId?: string,
): Promise<string> {
  const base = slugBase(text, 70) || (table === "articles" ? "article" : "category");
  const t = table === "articles" ? kbArticles : kbCategories;
  const rows = await tx
    .select({ slug: t.slug })
    .from(t)
    .where(
      and(
        sql`(${t.slug} = ${base} or ${t.slug} like ${`${base}-%`})`,
        table === "articles" ? isNull(kbArticles.deletedAt) : undefined,
        exceptId ? ne(t.id, exceptId) : undefined,
      ),
    );
  const taken = new Set(rows.map((row) => row.slug));
  if (table === "articles") for (const reserved of RESERVED_ARTICLE_SLUGS) taken.add(reserved);
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
  }
}

/** Whether a slug is free (the caller named it): otherwise the caller answers 422. */
export async function slugTaken(
  tx: Tx,
  table: "articles" | "categories",
  slug: string,
  exceptId?: string,
): Promise<boolean> {
  if (table === "articles" && RESERVED_ARTICLE_SLUGS.includes(slug)) return true;
  const t = table === "articles" ? kbArticles : kbCategories;
  const [row] = await tx
    .select({ id: t.id })
    .from(t)
    .where(
      and(
        eq(t.slug, slug),
        table === "articles" ? isNull(kbArticles.deletedAt) : undefined,
        exceptId ? ne(t.id, exceptId) : undefined,
      ),
    );
  return Boolean(row);
}
