import { and, asc, desc, eq, inArray, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import { recordScopedAudit } from "../audit/service";
import { can } from "../auth/permissions";
import { assertVersion } from "../crm/records";
import { kbArticles, kbCategories } from "../db/kb-schema";
import { newId } from "../lib/crypto";
import { ApiError } from "../lib/errors";
import { decodeCursor, encodeCursor } from "../lib/pagination";
import { requirePermission, type TenantScope } from "../lib/scope";
import { renderMarkdown } from "./markdown";
import type {
  CreateKbArticleInput,
  CreateKbCategoryInput,
  KbArticleView,
  KbCategoryView,
  ListKbArticlesQuery,
  UpdateKbArticleInput,
  UpdateKbCategoryInput,
} from "./schemas";
import { searchArticleIds } from "./search";
import {
  freeSlug,
  type KbArticleRow,
  orgSlugOf,
  selectArticles,
  slugTaken,
  toArticleView,
} from "./store";

/*
 * The knowledge base for the team (API and pages): categories and articles. Everyone signed in
 * reads, drafts included; agents write articles and edit drafts; managers and up publish,
 * unpublish, edit what is published, delete, and arrange categories (docs/decisions/031).
 * Publishing, unpublishing and deleting are audited.
 */

// Categories

export async function listCategories(scope: TenantScope): Promise<KbCategoryView[]> {
  requirePermission(scope.actor, "kb:read");
  const rows = await scope.tx
    .select({
      category: kbCategories,
      // Qualified by hand: inside the subquery an unqualified "id" would be the article's.
      articleCount: sql<number>`(select count(*)::int from kb_articles a where a.category_id = kb_categories.id and a.deleted_at is null)`,
    })
    .from(kbCategories)
    .orderBy(asc(kbCategories.position), asc(kbCategories.name));
  return rows.map(({ category, articleCount }) => categoryView(category, articleCount));
}

function categoryView(
  category: typeof kbCategories.$inferSelect,
  articleCount: number,
): KbCategoryView {
  return {
    id: category.id,
    name: category.name,
    slug: category.slug,
    position: category.position,
    articleCount,
    createdAt: category.createdAt.toISOString(),
    updatedAt: category.updatedAt.toISOString(),
  };
}

async function categorySlug(scope: TenantScope, name: string, slug?: string, exceptId?: string) {
  if (!slug) return freeSlug(scope.tx, "categories", name, exceptId);
  if (await slugTaken(scope.tx, "categories", slug, exceptId)) {
    throw ApiError.validation({ slug: ["Another category has this slug."] });
  }
  return slug;
}

export async function createCategory(scope: TenantScope, input: CreateKbCategoryInput) {
  requirePermission(scope.actor, "kb:manage");
  const position =
    input.position ??
    (
      await scope.tx
        .select({ next: sql<number>`coalesce(max(${kbCategories.position}) + 1, 0)::int` })
        .from(kbCategories)
    )[0]?.next ??
    0;
  const [row] = await scope.tx
    .insert(kbCategories)
    .values({
      id: newId(),
      orgId: scope.orgId,
      name: input.name,
      slug: await categorySlug(scope, input.name, input.slug),
      position,
    })
    .returning();
  if (!row) throw new Error("category not inserted");
  return categoryView(row, 0);
}

async function lockCategory(scope: TenantScope, id: string) {
  const [row] = await scope.tx
    .select()
    .from(kbCategories)
    .where(eq(kbCategories.id, id))
    .for("update");
  if (!row) throw ApiError.notFound("Category");
  return row;
}

export async function updateCategory(scope: TenantScope, id: string, input: UpdateKbCategoryInput) {
  requirePermission(scope.actor, "kb:manage");
  const current = await lockCategory(scope, id);
  const slug =
    input.slug && input.slug !== current.slug
      ? await categorySlug(scope, current.name, input.slug, id)
      : current.slug;
  await scope.tx
    .update(kbCategories)
    .set({
      name: input.name ?? current.name,
      slug,
      position: input.position ?? current.position,
      updatedAt: new Date(),
    })
    .where(eq(kbCategories.id, id));
  const categories = await listCategories(scope);
  const view = categories.find((category) => category.id === id);
  if (!view) throw ApiError.notFound("Category");
  return view;
}

/** Deletes a category; its articles stay, uncategorized. */
export async function deleteCategory(scope: TenantScope, id: string) {
  requirePermission(scope.actor, "kb:manage");
  const current = await lockCategory(scope, id);
  await scope.tx.delete(kbCategories).where(eq(kbCategories.id, id));
  await recordScopedAudit(scope, {
    action: "kb.category_deleted",
    target: { type: "kb_category", id },
    metadata: { name: current.name },
  });
}

async function assertCategory(scope: TenantScope, categoryId: string | null | undefined) {
  if (!categoryId) return;
  const [row] = await scope.tx
    .select({ id: kbCategories.id })
    .from(kbCategories)
    .where(eq(kbCategories.id, categoryId));
  if (!row) throw ApiError.validation({ categoryId: ["No such category."] });
}

// Articles

export async function listArticles(
  scope: TenantScope,
  query: ListKbArticlesQuery,
): Promise<{ articles: KbArticleView[]; nextCursor: string | null }> {
  requirePermission(scope.actor, "kb:read");
  const conditions: SQL[] = [isNull(kbArticles.deletedAt)];
  if (query.status) conditions.push(inArray(kbArticles.status, query.status));
  if (query.categoryId === "none") conditions.push(isNull(kbArticles.categoryId));
  else if (query.categoryId) conditions.push(eq(kbArticles.categoryId, query.categoryId));
  const orgSlug = await orgSlugOf(scope.tx, scope.orgId);
  if (query.q) {
    // Best matches first, one page: a search is read, not paged through.
    const ranked = await searchArticleIds(scope.tx, query.q, false, 100);
    if (ranked.length === 0) return { articles: [], nextCursor: null };
    const rows = await selectArticles(scope.tx).where(
      and(...conditions, inArray(kbArticles.id, ranked)),
    );
    const order = new Map(ranked.map((id, index) => [id, index]));
    const sorted = rows.sort(
      (a, b) => (order.get(a.article.id) ?? 0) - (order.get(b.article.id) ?? 0),
    );
    return {
      articles: sorted.slice(0, query.limit).map((row) => toArticleView(row, orgSlug)),
      nextCursor: null,
    };
  }
  if (query.cursor) {
    const cursor = decodeCursor(query.cursor);
    const older = or(
      lt(kbArticles.updatedAt, cursor.at),
      and(eq(kbArticles.updatedAt, cursor.at), lt(kbArticles.id, cursor.id)),
    );
    if (older) conditions.push(older);
  }
  const rows = await selectArticles(scope.tx)
    .where(and(...conditions))
    .orderBy(desc(kbArticles.updatedAt), desc(kbArticles.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    articles: page.map((row) => toArticleView(row, orgSlug)),
    nextCursor:
      rows.length > query.limit && last
        ? encodeCursor(last.article.updatedAt, last.article.id)
        : null,
  };
}

async function loadArticleView(scope: TenantScope, id: string): Promise<KbArticleView> {
  const [row] = await selectArticles(scope.tx).where(
    and(eq(kbArticles.id, id), isNull(kbArticles.deletedAt)),
  );
  if (!row) throw ApiError.notFound("Article");
  return toArticleView(row, await orgSlugOf(scope.tx, scope.orgId));
}

export async function getArticle(scope: TenantScope, id: string) {
  requirePermission(scope.actor, "kb:read");
  const view = await loadArticleView(scope, id);
  return { ...view, html: renderMarkdown(view.body) };
}

async function articleSlug(scope: TenantScope, title: string, slug?: string, exceptId?: string) {
  if (!slug) return freeSlug(scope.tx, "articles", title, exceptId);
  if (await slugTaken(scope.tx, "articles", slug, exceptId)) {
    throw ApiError.validation({ slug: ["Another article has this slug."] });
  }
  return slug;
}

export async function createArticle(scope: TenantScope, input: CreateKbArticleInput) {
  requirePermission(scope.actor, "kb:write");
  const status = input.status ?? "draft";
  if (status === "published") requirePermission(scope.actor, "kb:manage");
  await assertCategory(scope, input.categoryId);
  const id = newId();
  await scope.tx.insert(kbArticles).values({
    id,
    orgId: scope.orgId,
    title: input.title,
    slug: await articleSlug(scope, input.title, input.slug),
    body: input.body ?? "",
    categoryId: input.categoryId ?? null,
    status,
    authorId: scope.actor.userId,
    publishedAt: status === "published" ? new Date() : null,
  });
  if (status === "published") await auditStatus(scope, id, input.title, "published");
  return loadArticleView(scope, id);
}

async function lockArticle(scope: TenantScope, id: string): Promise<KbArticleRow> {
  const [row] = await scope.tx
    .select()
    .from(kbArticles)
    .where(and(eq(kbArticles.id, id), isNull(kbArticles.deletedAt)))
    .for("update");
  if (!row) throw ApiError.notFound("Article");
  return row;
}

/**
 * Changes an article. Publishing (`status: published`), unpublishing (`draft`) and any edit of
 * a published article change what customers read: manager+.
 */
export async function updateArticle(scope: TenantScope, id: string, input: UpdateKbArticleInput) {
  requirePermission(scope.actor, "kb:write");
  const current = await lockArticle(scope, id);
  assertVersion(current, input.version);
  const statusChanges = input.status !== undefined && input.status !== current.status;
  if (statusChanges || current.status === "published") {
    requirePermission(scope.actor, "kb:manage");
  }
  await assertCategory(scope, input.categoryId);
  const title = input.title ?? current.title;
  const slug =
    input.slug && input.slug !== current.slug
      ? await articleSlug(scope, title, input.slug, id)
      : current.slug;
  const status = input.status ?? current.status;
  await scope.tx
    .update(kbArticles)
    .set({
      title,
      slug,
      body: input.body ?? current.body,
      categoryId: input.categoryId === undefined ? current.categoryId : input.categoryId,
      status,
      publishedAt: statusChanges
        ? status === "published"
          ? new Date()
          : null
        : current.publishedAt,
      version: current.version + 1,
      updatedAt: new Date(),
    })
    .where(eq(kbArticles.id, id));
  if (statusChanges) await auditStatus(scope, id, title, status);
  return loadArticleView(scope, id);
}

async function auditStatus(
  scope: TenantScope,
  id: string,
  title: string,
  status: KbArticleRow["status"],
) {
  await recordScopedAudit(scope, {
    action: status === "published" ? "kb.article_published" : "kb.article_unpublished",
    target: { type: "kb_article", id },
    metadata: { title },
  });
}

/** Soft delete: the article leaves the help page and the lists; its slug is free again. */
export async function deleteArticle(scope: TenantScope, id: string) {
  requirePermission(scope.actor, "kb:manage");
  const current = await lockArticle(scope, id);
  await scope.tx
    .update(kbArticles)
    .set({ deletedAt: new Date(), updatedAt: new Date() })
    .where(eq(kbArticles.id, id));
  await recordScopedAudit(scope, {
    action: "kb.article_deleted",
    target: { type: "kb_article", id },
    metadata: { title: current.title, status: current.status },
  });
}

/** What a role may do here, for the pages. */
export function kbRights(role: TenantScope["actor"]["role"]) {
  return { canWrite: can(role, "kb:write"), canManage: can(role, "kb:manage") };
}
