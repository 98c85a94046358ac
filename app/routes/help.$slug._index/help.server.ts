import { json, type LoaderFunctionArgs } from "@remix-run/cloudflare";
import { loadHelpCenter } from "../../../worker/kb/public";
import { afterCommitFor } from "../../lib/session.server";

/* The public help page's loader: categories with their published articles, or search results. */

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const q = new URL(request.url).searchParams.get("q")?.trim().slice(0, 200) || null;
  const center = await loadHelpCenter(
    context.database,
    afterCommitFor(context),
    params.slug ?? "",
    q,
  );
  if (!center) throw new Response("Help page not found", { status: 404 });
  return json({ ...center, q });
}
