/** What an action returns when a form could not be processed (shared by server and browser). */
export interface FormFailure {
  ok: false;
  /** Which form on the page failed (the submitted `intent`). */
  intent: string;
  message: string;
  fieldErrors: Record<string, string[]>;
  /** The submitted values (never passwords), to refill the form without JavaScript. */
  values: Record<string, string>;
}

export function isFailure(data: unknown, intent?: string): data is FormFailure {
  if (typeof data !== "object" || data === null) return false;
  const candidate = data as Partial<FormFailure>;
  return candidate.ok === false && (intent === undefined || candidate.intent === intent);
}

/** The failure of one form on a page with several, or undefined. */
export function failureFor(data: unknown, intent: string): FormFailure | undefined {
  return isFailure(data, intent) ? data : undefined;
}
