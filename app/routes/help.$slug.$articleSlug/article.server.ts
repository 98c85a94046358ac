import { json, type LoaderFunctionArgs } from "@remix-run/cloudflare";
import { loadHelpArticle } from "../../../worker/kb/public";
import { afterCommitFor } from "../../lib/session.server";

/* A published article on the public help page, rendered safely on the server. */

export async function loader({ params, context }: LoaderFunctionArgs) {
  const found = await loadHelpArticle(
    context.database,
    afterCommitFor(context),
    params.slug ?? "",
    params.articleSlug ?? "",
  );
  if (!found) throw new Response("Article not found", { status: 404 });
  return json(found);
}
