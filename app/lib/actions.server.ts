import { type AppLoadContext, json } from "@remix-run/cloudflare";
import type { z } from "zod";
import { normalizeEmail } from "../../worker/auth/service";
import { ApiError } from "../../worker/lib/errors";
import { zodFieldErrors } from "../../worker/lib/validation";
import { enforceRateLimits } from "../../worker/rate-limit/enforce";
import type { FormFailure } from "./forms";

export interface SubmittedForm {
  intent: string;
  values: Record<string, string>;
}

/**
 * Reads a posted form after checking it came from our own pages. Session cookies are
 * SameSite=Lax and Remix checks Origin on document POSTs; this also covers its `?_data`
 * (fetch) submissions, the same rule as the API's cookie-authenticated writes.
 */
export async function readForm(request: Request, context: AppLoadContext): Promise<SubmittedForm> {
  const origin = request.headers.get("origin");
  if (
    origin &&
    origin !== new URL(request.url).origin &&
    !context.config.ALLOWED_ORIGINS.includes(origin)
  ) {
    throw new Response("Cross-site form submission refused.", { status: 403 });
  }
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

/** The same per-IP and per-email limits the API puts on credential-guessing endpoints. */
export async function limitAuthAttempt(context: AppLoadContext, email?: string) {
  const ip = context.meta.ip ?? "unknown";
  await enforceRateLimits(context.env, context.config.RATE_LIMIT_MULTIPLIER, [
    { limit: "authByIp", key: ip },
    ...(email ? [{ limit: "authByEmail" as const, key: normalizeEmail(email) }] : []),
  ]);
}

const SECRET_FIELDS = new Set(["password", "currentPassword"]);

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
