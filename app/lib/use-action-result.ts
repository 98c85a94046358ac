import type { SerializeFrom } from "@remix-run/cloudflare";
// biome-ignore lint/style/noRestrictedImports: the one wrapper of Remix's action data.
import { useActionData, useLocation } from "@remix-run/react";
import { useRef } from "react";

/**
 * The route action's answer, kept while the page stays where it is. Remix forgets action data
 * when the loaders revalidate, and live pages revalidate whenever someone's change arrives
 * (useRevalidateOnEvents): "2 contacts deleted. Undo" or a form's errors must not vanish
 * because a colleague moved a deal. A new location (a navigation, another filter, the next
 * submission) replaces or drops it. The one way app/ reads action data.
 */
export function useActionResult<T = unknown>(): SerializeFrom<T> | undefined {
  const data = useActionData<T>();
  const { key } = useLocation();
  const kept = useRef<{ key: string; data: SerializeFrom<T> } | undefined>(undefined);
  if (data !== undefined) kept.current = { key, data };
  else if (kept.current?.key !== key) kept.current = undefined;
  return data ?? kept.current?.data;
}
