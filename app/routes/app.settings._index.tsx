import { redirect } from "@remix-run/cloudflare";

/* "/app/settings" (typed, or a link someone shared) opens the first settings page. */
export const loader = () => redirect("/app/settings/organization");
