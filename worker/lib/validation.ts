import type { z } from "zod";
import type { FieldErrors } from "./errors";

/** zod issues as `{ "field.path": ["message", ...] }`; unknown keys are reported per key. */
export function zodFieldErrors(error: z.ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const paths =
      issue.code === "unrecognized_keys"
        ? issue.keys.map((key) => [...issue.path, key].join("."))
        : [issue.path.join(".") || "_"];
    const message = issue.code === "unrecognized_keys" ? "Unknown field." : issue.message;
    for (const path of paths) {
      fields[path] = [...(fields[path] ?? []), message];
    }
  }
  return fields;
}
