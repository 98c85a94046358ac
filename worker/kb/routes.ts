import { z } from "@hono/zod-openapi";
import { authenticatedRoute } from "../auth/authenticated-route";
import { appLink, type Config } from "../env";
import { ok } from "../lib/envelope";
import { type createRouter, withTenant } from "../lib/hono";
import { errorResponses, idParamSchema, jsonBody, jsonResponse } from "../lib/openapi";
import { requirePermission } from "../lib/scope";
import { renderMarkdown } from "./markdown";
import {
  createKbArticleBodySchema,
  createKbCategoryBodySchema,
  kbArticleSchema,
  kbArticleWithHtmlSchema,
  kbCategorySchema,
  listKbArticlesQuerySchema,
  previewKbBodySchema,
  updateKbArticleBodySchema,
  updateKbCategoryBodySchema,
} from "./schemas";
import {
  createArticle,
  createCategory,
  deleteArticle,
  deleteCategory,
  getArticle,
  listArticles,
  listCategories,
  updateArticle,
  updateCategory,
} from "./service";

const tags = ["Knowledge base"];

/** The API's article carries its full help-page address, for sharing it with customers. */
function withHelpUrl<T extends { helpPath: string }>(config: Config, article: T) {
  return { ...article, helpUrl: appLink(config, article.helpPath) };
}

const listCategoriesRoute = authenticatedRoute({
  method: "get",
  path: "/kb/categories",
  tags,
  summary: "The knowledge base's categories, in their order",
  responses: { 200: jsonResponse(z.array(kbCategorySchema), "Categories"), ...errorResponses },
});

const createCategoryRoute = authenticatedRoute({
  method: "post",
  path: "/kb/categories",
  tags,
  summary: "Add a category (manager+); the slug is made from the name unless given",
  request: { body: jsonBody(createKbCategoryBodySchema) },
  responses: { 201: jsonResponse(kbCategorySchema, "Created"), ...errorResponses },
});

const updateCategoryRoute = authenticatedRoute({
  method: "patch",
  path: "/kb/categories/{id}",
  tags,
  summary: "Rename, re-slug or move a category (manager+)",
  request: { params: idParamSchema, body: jsonBody(updateKbCategoryBodySchema) },
  responses: { 200: jsonResponse(kbCategorySchema, "Updated"), ...errorResponses },
});

const deleteCategoryRoute = authenticatedRoute({
  method: "delete",
  path: "/kb/categories/{id}",
  tags,
  summary: "Delete a category (manager+); its articles stay, uncategorized",
  request: { params: idParamSchema },
  responses: { 200: jsonResponse(z.null(), "Deleted"), ...errorResponses },
});

const listArticlesRoute = authenticatedRoute({
  method: "get",
  path: "/kb/articles",
  tags,
  summary: "Articles, most recently updated first; with `q`, the best matches (typo-tolerant)",
  request: { query: listKbArticlesQuerySchema },
  responses: { 200: jsonResponse(z.array(kbArticleSchema), "Articles"), ...errorResponses },
});

const createArticleRoute = authenticatedRoute({
  method: "post",
  path: "/kb/articles",
  tags,
  summary: "Write an article (agent+; published at once only by manager+)",
  request: { body: jsonBody(createKbArticleBodySchema) },
  responses: { 201: jsonResponse(kbArticleSchema, "Created"), ...errorResponses },
});

const getArticleRoute = authenticatedRoute({
  method: "get",
  path: "/kb/articles/{id}",
  tags,
  summary: "An article with its body rendered to safe HTML",
  request: { params: idParamSchema },
  responses: { 200: jsonResponse(kbArticleWithHtmlSchema, "Article"), ...errorResponses },
});

const updateArticleRoute = authenticatedRoute({
  method: "patch",
  path: "/kb/articles/{id}",
  tags,
  summary:
    "Change an article; `status` publishes or unpublishes. Agents edit drafts; publishing, unpublishing and editing a published article need manager+",
  description: "Send `version` to be refused (409) if the article changed meanwhile.",
  request: { params: idParamSchema, body: jsonBody(updateKbArticleBodySchema) },
  responses: { 200: jsonResponse(kbArticleSchema, "Updated"), ...errorResponses },
});

const deleteArticleRoute = authenticatedRoute({
  method: "delete",
  path: "/kb/articles/{id}",
  tags,
  summary: "Delete an article (manager+); it leaves the help page at once",
  request: { params: idParamSchema },
  responses: { 200: jsonResponse(z.null(), "Deleted"), ...errorResponses },
});

const previewRoute = authenticatedRoute({
  method: "post",
  path: "/kb/preview",
  tags,
  summary: "Render Markdown as an article would be rendered (safe HTML)",
  request: { body: jsonBody(previewKbBodySchema) },
  responses: {
    200: jsonResponse(z.object({ html: z.string() }), "Rendered"),
    ...errorResponses,
  },
});

export function registerKbRoutes(app: ReturnType<typeof createRouter>) {
  app.openapi(listCategoriesRoute, async (c) => {
    return c.json(ok(await withTenant(c, listCategories)), 200);
  });

  app.openapi(createCategoryRoute, async (c) => {
    const body = c.req.valid("json");
    const category = await withTenant(c, (scope) => createCategory(scope, body));
    return c.json(ok(category, "Category added."), 201);
  });

  app.openapi(updateCategoryRoute, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const category = await withTenant(c, (scope) => updateCategory(scope, id, body));
    return c.json(ok(category, "Category saved."), 200);
  });

  app.openapi(deleteCategoryRoute, async (c) => {
    const { id } = c.req.valid("param");
    await withTenant(c, (scope) => deleteCategory(scope, id));
    return c.json(ok(null, "Category deleted."), 200);
  });

  app.openapi(listArticlesRoute, async (c) => {
    const query = c.req.valid("query");
    const result = await withTenant(c, (scope) => listArticles(scope, query));
    return c.json(
      ok(
        result.articles.map((article) => withHelpUrl(c.var.config, article)),
        "OK",
        {
          pagination: { nextCursor: result.nextCursor, limit: query.limit },
        },
      ),
      200,
    );
  });

  app.openapi(createArticleRoute, async (c) => {
    const body = c.req.valid("json");
    const article = await withTenant(c, (scope) => createArticle(scope, body));
    return c.json(ok(withHelpUrl(c.var.config, article), "Article saved."), 201);
  });

  app.openapi(getArticleRoute, async (c) => {
    const { id } = c.req.valid("param");
    const article = await withTenant(c, (scope) => getArticle(scope, id));
    return c.json(ok(withHelpUrl(c.var.config, article)), 200);
  });

  app.openapi(updateArticleRoute, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const article = await withTenant(c, (scope) => updateArticle(scope, id, body));
    return c.json(ok(withHelpUrl(c.var.config, article), "Article saved."), 200);
  });

  app.openapi(deleteArticleRoute, async (c) => {
    const { id } = c.req.valid("param");
    await withTenant(c, (scope) => deleteArticle(scope, id));
    return c.json(ok(null, "Article deleted."), 200);
  });

  app.openapi(previewRoute, async (c) => {
    const { body } = c.req.valid("json");
    await withTenant(c, async (scope) => requirePermission(scope.actor, "kb:read"));
    return c.json(ok({ html: renderMarkdown(body) }), 200);
  });
}
