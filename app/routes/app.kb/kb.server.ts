import {
  type ActionFunctionArgs,
  json,
  type LoaderFunctionArgs,
  redirect,
} from "@remix-run/cloudflare";
import { helpPath } from "../../../shared/kb";
import {
  createKbCategoryBodySchema,
  listKbArticlesQuerySchema,
  updateKbCategoryBodySchema,
} from "../../../worker/kb/schemas";
import {
  createCategory,
  deleteCategory,
  kbRights,
  listArticles,
  listCategories,
  updateCategory,
} from "../../../worker/kb/service";
import { orgSlugOf } from "../../../worker/kb/store";
import { ApiError } from "../../../worker/lib/errors";
import { formFailure, parseForm, readForm } from "../../lib/actions.server";
import { requireUser, runAsUser } from "../../lib/session.server";

/*
 * The knowledge base's list (app/routes/app.kb/route.tsx): articles with the filters in the
 * URL (`?status=&category=&q=&cursor=`), the categories (managed inline by managers+), and the
 * address of the public help page. The action adds, renames and deletes categories.
 */

const PAGE_SIZE = 50;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireUser(request, context);
  const params = new URL(request.url).searchParams;
  const filters = {
    status: params.get("status") ?? "",
    category: params.get("category") ?? "",
    q: params.get("q")?.trim() ?? "",
    cursor: params.get("cursor") ?? "",
  };
  const query = listKbArticlesQuerySchema.safeParse({
    limit: PAGE_SIZE,
    status: filters.status || undefined,
    categoryId: filters.category || undefined,
    q: filters.q || undefined,
    cursor: filters.cursor || undefined,
  });
  try {
    const data = await runAsUser(context, session, async (scope) => ({
      list: query.success
        ? await listArticles(scope, query.data)
        : { articles: [], nextCursor: null },
      categories: await listCategories(scope),
      helpHome: helpPath(await orgSlugOf(scope.tx, scope.orgId)),
    }));
    return json(
      {
        articles: data.list.articles,
        nextCursor: data.list.nextCursor,
        categories: data.categories,
        helpHome: data.helpHome,
        filters,
        invalidFilters: !query.success,
        ...kbRights(session.me.role),
      },
      { headers: session.headers },
    );
  } catch (error) {
    if (error instanceof ApiError && error.status === 400 && filters.cursor) {
      throw redirect("/app/kb", { headers: session.headers });
    }
    throw error;
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requireUser(request, context);
  const form = await readForm(request);
  try {
    const message = await runAsUser(context, session, async (scope) => {
      switch (form.intent) {
        case "createCategory": {
          const body = parseForm(createKbCategoryBodySchema, { name: form.values.name ?? "" });
          const category = await createCategory(scope, body);
          return `Category “${category.name}” added.`;
        }
        case "renameCategory": {
          const body = parseForm(updateKbCategoryBodySchema, { name: form.values.name ?? "" });
          await updateCategory(scope, categoryId(form.values.id), body);
          return "Category renamed.";
        }
        case "deleteCategory":
          await deleteCategory(scope, categoryId(form.values.id));
          return "Category deleted; its articles are now uncategorized.";
        default:
          throw ApiError.badRequest("That action is not available on this page.");
      }
    });
    return json({ ok: true as const, intent: form.intent, message }, { headers: session.headers });
  } catch (error) {
    return formFailure(error, form, session.headers);
  }
}

function categoryId(value: string | undefined): string {
  if (!value || !/^[0-9a-f-]{36}$/i.test(value)) throw ApiError.notFound("Category");
  return value;
}
