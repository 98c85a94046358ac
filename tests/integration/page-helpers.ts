import { SELF } from "cloudflare:test";
import { uniqueIp } from "./helpers";

/*
 * Pages as a browser fetches them in the page tests: the app's origin, the session cookie, a
 * form posted from our own page (same Origin and Host, as Remix checks), and the text a person
 * reads.
 */

export const APP = "http://switchboard.test";

/** A page, signed in with the access token when one is given, from an address of its own. */
export function page(path: string, accessToken?: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  if (!headers.has("cf-connecting-ip")) headers.set("cf-connecting-ip", uniqueIp());
  if (accessToken) headers.set("cookie", `sb_access=${accessToken}`);
  return SELF.fetch(`${APP}${path}`, { ...init, headers });
}

/** A form posted from the page (same origin), as a browser sends it. */
export function post(
  path: string,
  accessToken: string | undefined,
  fields: Record<string, string>,
) {
  return page(path, accessToken, {
    method: "POST",
    redirect: "manual",
    headers: {
      host: new URL(APP).host,
      origin: APP,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams(fields).toString(),
  });
}

/** The page's text as a person reads it (React's comment markers gone, quotes unescaped). */
export async function textOf(response: Response): Promise<string> {
  return (await response.text())
    .replaceAll("&#x27;", "'")
    .replaceAll("&quot;", '"')
    .replaceAll("&amp;", "&")
    .replaceAll("<!-- -->", "");
}
