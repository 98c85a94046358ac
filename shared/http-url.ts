import { z } from "zod";

/*
 * The one check for web addresses that are stored or rendered as links: only http(s) URLs
 * with a host. `javascript:`, `data:`, `vbscript:` and relative addresses are refused. Shared
 * by the Worker's API schemas, the pbx-bridge edge protocol and the app's links.
 */

export const HTTP_URL_MESSAGE = "Expected a web address starting with http:// or https://.";

/** True for an absolute http: or https: URL with a host. */
export function isHttpUrl(value: string): boolean {
  if (!/^https?:\/\//i.test(value.trim())) return false;
  try {
    const url = new URL(value.trim());
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}

/** An http(s) URL of at most 2048 characters. */
export const httpUrlSchema = z
  .string()
  .trim()
  .max(2048)
  .refine(isHttpUrl, { message: HTTP_URL_MESSAGE });

/** The value as an href when it is an http(s) URL; undefined (render no link) otherwise. */
export function safeHref(value: string | null | undefined): string | undefined {
  return value && isHttpUrl(value) ? value.trim() : undefined;
}
