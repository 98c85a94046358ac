import { isFailure } from "../../lib/forms";
import { useActionResult } from "../../lib/use-action-result";

/* What the list's action answered: a failure, or a success (with the ids Undo restores). */

export type ActionData = { ok: true; intent: string; message: string; undo?: string[] } | undefined;

export function useListActionData() {
  const data = useActionResult() as unknown;
  if (isFailure(data)) return { failure: data, success: undefined };
  const success =
    data && typeof data === "object" && "ok" in data ? (data as ActionData) : undefined;
  return { failure: undefined, success };
}
