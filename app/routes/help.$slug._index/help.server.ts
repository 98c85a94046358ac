import { json, type LoaderFunctionArgs } from "@remix-run/cloudflare";
import { loadHelpCenter } from "../../../worker/kb/public";
import { ApiError } from "../../../worker/lib/errors";
import { enforceRateLimits } from "../../../worker/rate-limit/enforce";
import { afterCommitFor } from "../../lib/session.server";

/*
 * The public help page's loader: categories with their published articles, or search results.
 * Anonymous searches are limited per address (a person reading, not a scraper walking the
 * index): past the limit the page answers 429 with Retry-After and shows the articles to
 * browse instead of results.
 */

/** Seconds to wait when this address has searched too much, else null. */
async function searchRefusal(context: LoaderFunctionArgs["context"]): Promise<number | null> {
  try {
    await enforceRateLimits(context.env, context.config.RATE_LIMIT_MULTIPLIER, [
      { limit: "helpSearchesByAddress", key: context.meta.ip ?? "unknown" },
    ]);
    return null;
  } catch (error) {
    if (error instanceof ApiError && error.status === 429) {
      return Number(error.headers?.["Retry-After"] ?? 60);
    }
    throw error;
  }
}

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const asked = new URL(request.url).searchParams.get("q")?.trim().slice(0, 200) || null;
  const retryAfter = asked ? await searchRefusal(context) : null;
  const q = retryAfter === null ? asked : null;
  const center = await loadHelpCenter(
    context.database,
    afterCommitFor(context),
    params.slug ?? "",
    q,
  );
  if (!center) throw new Response("Help page not found", { status: 404 });
  if (retryAfter !== null) {
    return json(
      { ...center, q: asked, retryAfter },
      { status: 429, headers: { "Retry-After": String(retryAfter) } },
    );
  }
  return json({ ...center, q, retryAfter: null });
}
