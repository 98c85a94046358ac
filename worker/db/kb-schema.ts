import { sql } from "drizzle-orm";
import { index, integer, pgEnum, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { KB_ARTICLE_STATUSES } from "../../shared/kb";
import { tsvector } from "./crm-schema";
import { at, tenantColumn, tenantIsolation, timestamps, userColumn } from "./schema";

/*
 * The knowledge base: categories (ordered) and articles written in Markdown, drafts for the
 * team and published ones on the organization's public help page (`/help/<org slug>`).
 */

export const kbArticleStatus = pgEnum("kb_article_status", KB_ARTICLE_STATUSES);

export const kbCategories = pgTable(
  "kb_categories",
  {
    id: uuid("id").primaryKey(),
    orgId: tenantColumn(),
    name: text("name").notNull(),
    slug: text("slug").notNull(),
    /** Order on the help page, smallest first. */
    position: integer("position").notNull().default(0),
    ...timestamps,
  },
  (table) => [
    uniqueIndex("kb_categories_org_slug_key").on(table.orgId, table.slug),
    tenantIsolation(),
  ],
).enableRLS();

export const kbArticles = pgTable(
  "kb_articles",
  {
    id: uuid("id").primaryKey(),
    orgId: tenantColumn(),
    title: text("title").notNull(),
    /** The article's address on the help page; unique among the organization's live articles. */
    slug: text("slug").notNull(),
    /** Markdown, rendered safely on the server (worker/kb/markdown.ts). */
    body: text("body").notNull().default(""),
    categoryId: uuid("category_id").references(() => kbCategories.id, { onDelete: "set null" }),
    status: kbArticleStatus("status").notNull().default("draft"),
    authorId: userColumn("author_id", "set null"),
    publishedAt: at("published_at"),
    /** Full text, the title weighing more than the body (see kb_search in the migration). */
    search: tsvector("search").generatedAlwaysAs(
      sql.raw(
        "setweight(to_tsvector('simple', sb_search_text(coalesce(title, ''))), 'A') || setweight(to_tsvector('simple', sb_search_text(coalesce(body, ''))), 'B')",
      ),
    ),
    version: integer("version").notNull().default(1),
    deletedAt: at("deleted_at"),
    ...timestamps,
  },
  (table) => [
    uniqueIndex("kb_articles_org_slug_key")
      .on(table.orgId, table.slug)
      .where(sql`${table.deletedAt} is null`),
    index("kb_articles_org_updated_idx").on(table.orgId, table.updatedAt.desc()),
    index("kb_articles_category_idx").on(table.categoryId),
    index("kb_articles_search_idx").using("gin", table.search),
    index("kb_articles_title_trgm_idx").using(
      "gin",
      sql`sb_search_text(${table.title}) gin_trgm_ops`,
    ),
    tenantIsolation(),
  ],
).enableRLS();
