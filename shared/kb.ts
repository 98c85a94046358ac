/*
 * The knowledge base's vocabulary, shared by the Worker and the app as plain constants.
 */

/** A draft is seen only by the team; a published article is on the public help page. */
export const KB_ARTICLE_STATUSES = ["draft", "published"] as const;
export type KbArticleStatus = (typeof KB_ARTICLE_STATUSES)[number];

/** The public help page of an organization, and one of its articles (paths on the app's origin). */
export function helpPath(orgSlug: string, articleSlug?: string): string {
  const base = `/help/${encodeURIComponent(orgSlug)}`;
  return articleSlug ? `${base}/${encodeURIComponent(articleSlug)}` : base;
}
