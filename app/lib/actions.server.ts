import { json } from "@remix-run/cloudflare";
import type { z } from "zod";
import { CHANNEL_SECRET_NAMES } from "../../worker/channels/schemas";
import { ApiError } from "../../worker/lib/errors";
import { zodFieldErrors } from "../../worker/lib/validation";
import type { FormFailure } from "./forms";

export interface SubmittedForm {
  intent: string;
  values: Record<string, string>;
}

/**
 * Reads a posted form's text fields and its `intent`. Cross-site posts never get here:
 * worker/remix.ts refuses them before Remix runs.
 */
export async function readForm(request: Request): Promise<SubmittedForm> {
  const values: Record<string, string> = {};
  for (const [name, value] of await request.formData()) {
    if (typeof value === "string") values[name] = value;
  }
  const { intent = "", ...rest } = values;
  return { intent, values: rest };
}

/** Validates with the API's own schemas; failures become field errors. */
export function parseForm<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw ApiError.validation(zodFieldErrors(parsed.error), "Check the highlighted fields.");
  }
  return parsed.data;
}

/** Never echoed back to refill a form: passwords and channel credentials. */
const SECRET_FIELDS = new Set<string>([
  "password",
  "currentPassword",
  "newPassword",
  ...CHANNEL_SECRET_NAMES,
]);

/**
 * Turns an ApiError (from validation or a service) into the form's error response; anything
 * else (a thrown redirect, a bug) is rethrown.
 */
export function formFailure(error: unknown, form: SubmittedForm, headers?: Headers) {
  if (!(error instanceof ApiError)) throw error;
  const values = Object.fromEntries(
    Object.entries(form.values).filter(([name]) => !SECRET_FIELDS.has(name)),
  );
  const failure: FormFailure = {
    ok: false,
    intent: form.intent,
    message: error.message,
    fieldErrors: error.fieldErrors ?? {},
    values,
  };
  const responseHeaders = new Headers(headers);
  if (error.status === 429) {
    const retryAfter = error.headers["Retry-After"];
    if (retryAfter) responseHeaders.set("Retry-After", retryAfter);
  }
  return json(failure, { status: error.status, headers: responseHeaders });
}
