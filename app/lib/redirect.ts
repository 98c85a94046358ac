/** A same-site path to continue to after signing in; anything else falls back to /app. */
export function safeRedirect(
  target: FormDataEntryValue | string | null | undefined,
  fallback = "/app",
) {
  if (typeof target !== "string" || !target.startsWith("/") || target.startsWith("//")) {
    return fallback;
  }
  // Backslashes and control characters can turn a path into another host in some browsers.
  if ([...target].some((char) => char === "\\" || char.charCodeAt(0) < 0x20)) return fallback;
  return target;
}
