import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  redirect,
} from "@remix-run/cloudflare";
import { renderMarkdown } from "../../../worker/kb/markdown";
import {
  createKbArticleBodySchema,
  previewKbBodySchema,
  updateKbArticleBodySchema,
} from "../../../worker/kb/schemas";
import {
  createArticle,
  deleteArticle,
  getArticle,
  kbRights,
  listCategories,
  updateArticle,
} from "../../../worker/kb/service";
import { ApiError } from "../../../worker/lib/errors";
import { formFailure, parseForm, readForm } from "../../lib/actions.server";
import { requireUser, runAsUser } from "../../lib/session.server";

/*
 * The article editor (`/app/kb/new`, `/app/kb/<id>`): the loader reads the article (with its
 * rendered HTML) and the categories; the action saves (a draft, or publishing/unpublishing),
 * deletes, and renders the preview of the Markdown being written (server-side, so the
 * renderer never reaches the browser).
 */

function articleId(params: LoaderFunctionArgs["params"]): string | null {
  const id = params.id ?? "";
  if (id === "new") return null;
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) {
    throw new Response("Article not found", { status: 404 });
  }
  return id;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const session = await requireUser(request, context);
  const id = articleId(params);
  try {
    const data = await runAsUser(context, session, async (scope) => ({
      article: id ? await getArticle(scope, id) : null,
      categories: await listCategories(scope),
    }));
    return json({ ...data, ...kbRights(session.me.role) }, { headers: session.headers });
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      throw new Response("Article not found", { status: 404, headers: session.headers });
    }
    throw error;
  }
}

function articleFields(values: Record<string, string>) {
  return {
    title: values.title ?? "",
    body: values.body ?? "",
    categoryId: values.categoryId ? values.categoryId : null,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const session = await requireUser(request, context);
  const id = articleId(params);
  const form = await readForm(request);
  try {
    if (form.intent === "preview") {
      const { body } = parseForm(previewKbBodySchema, { body: form.values.body ?? "" });
      return json(
        { ok: true as const, intent: "preview" as const, html: renderMarkdown(body) },
        { headers: session.headers },
      );
    }
    const status =
      form.intent === "publish" ? "published" : form.intent === "unpublish" ? "draft" : undefined;
    if (!["save", "publish", "unpublish", "delete"].includes(form.intent)) {
      throw ApiError.badRequest("That action is not available on this page.");
    }
    if (!id) {
      if (form.intent === "delete") throw ApiError.notFound("Article");
      const body = parseForm(createKbArticleBodySchema, {
        ...articleFields(form.values),
        status: status ?? "draft",
      });
      const article = await runAsUser(context, session, (scope) => createArticle(scope, body));
      return redirect(`/app/kb/${article.id}`, { headers: session.headers });
    }
    if (form.intent === "delete") {
      await runAsUser(context, session, (scope) => deleteArticle(scope, id));
      return redirect("/app/kb", { headers: session.headers });
    }
    const version = Number(form.values.version);
    const body = parseForm(updateKbArticleBodySchema, {
      ...articleFields(form.values),
      ...(status ? { status } : {}),
      ...(Number.isInteger(version) && version > 0 ? { version } : {}),
    });
    const article = await runAsUser(context, session, (scope) => updateArticle(scope, id, body));
    const message =
      form.intent === "publish"
        ? "Published: the article is on the help page."
        : form.intent === "unpublish"
          ? "Unpublished: the article is a draft again."
          : "Saved.";
    return json(
      { ok: true as const, intent: form.intent, message, version: article.version },
      { headers: session.headers },
    );
  } catch (error) {
    return formFailure(error, form, session.headers);
  }
}
