import { z } from "@hono/zod-openapi";
import { KB_ARTICLE_STATUSES } from "../../shared/kb";
import { csvEnumSchema } from "../lib/openapi";
import { paginationQuerySchema } from "../lib/pagination";

const slugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(80)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "Use lower-case letters, digits and single dashes.");

export const kbCategorySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    slug: z.string(),
    position: z.number().int(),
    /** Live articles in it (drafts too). */
    articleCount: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("KbCategory");
export type KbCategoryView = z.infer<typeof kbCategorySchema>;

export const createKbCategoryBodySchema = z.strictObject({
  name: z.string().trim().min(1, "Name the category.").max(120),
  slug: slugSchema.optional(),
  position: z.number().int().min(0).max(10_000).optional(),
});
export type CreateKbCategoryInput = z.infer<typeof createKbCategoryBodySchema>;

export const updateKbCategoryBodySchema = createKbCategoryBodySchema.partial();
export type UpdateKbCategoryInput = z.infer<typeof updateKbCategoryBodySchema>;

const kbArticleFields = z.object({
  id: z.string(),
  title: z.string(),
  slug: z.string(),
  body: z.string().openapi({ description: "Markdown" }),
  excerpt: z.string().openapi({ description: "The body's start as plain text" }),
  categoryId: z.string().nullable(),
  categoryName: z.string().nullable(),
  status: z.enum(KB_ARTICLE_STATUSES),
  authorId: z.string().nullable(),
  authorName: z.string().nullable(),
  publishedAt: z.string().nullable(),
  helpPath: z.string().openapi({
    description: "The article's address on the public help page (shown there once published)",
  }),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
/** An article as the services give it (the pages add nothing; the API adds `helpUrl`). */
export type KbArticleView = z.infer<typeof kbArticleFields>;

const helpUrlField = {
  helpUrl: z.string().openapi({
    description:
      "The article's full address on the help page (on APP_URL), to share with customers",
  }),
};

export const kbArticleSchema = kbArticleFields.extend(helpUrlField).openapi("KbArticle");

export const kbArticleWithHtmlSchema = kbArticleFields
  .extend({
    ...helpUrlField,
    html: z.string().openapi({ description: "The body rendered to safe HTML" }),
  })
  .openapi("KbArticleWithHtml");

export const listKbArticlesQuerySchema = paginationQuerySchema.extend({
  status: csvEnumSchema(KB_ARTICLE_STATUSES).optional(),
  categoryId: z
    .union([z.literal("none"), z.string().uuid()])
    .optional()
    .openapi({ description: "A category's id, or `none` for uncategorized articles" }),
  q: z.string().trim().max(200).optional().openapi({
    description: "Typo-tolerant search in titles and bodies; best matches first, no cursor",
  }),
});
export type ListKbArticlesQuery = z.infer<typeof listKbArticlesQuerySchema>;

const titleSchema = z.string().trim().min(1, "Give the article a title.").max(200);
const bodySchema = z.string().max(100_000, "At most 100,000 characters.");

export const createKbArticleBodySchema = z.strictObject({
  title: titleSchema,
  slug: slugSchema.optional(),
  body: bodySchema.default(""),
  categoryId: z.string().uuid().nullable().optional(),
  status: z.enum(KB_ARTICLE_STATUSES).default("draft"),
});
export type CreateKbArticleInput = z.input<typeof createKbArticleBodySchema>;

export const updateKbArticleBodySchema = z.strictObject({
  title: titleSchema.optional(),
  slug: slugSchema.optional(),
  body: bodySchema.optional(),
  categoryId: z.string().uuid().nullable().optional(),
  status: z
    .enum(KB_ARTICLE_STATUSES)
    .optional()
    .openapi({ description: "`published` publishes, `draft` unpublishes (manager+)" }),
  version: z.number().int().min(1).optional(),
});
export type UpdateKbArticleInput = z.infer<typeof updateKbArticleBodySchema>;

export const previewKbBodySchema = z.strictObject({ body: bodySchema });
