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

/** The failure of whichever of these forms was posted, or undefined. */
export function failureForAny(data: unknown, intents: readonly string[]): FormFailure | undefined {
  return isFailure(data) && intents.includes(data.intent) ? data : undefined;
}

/** The success of one of these forms, typed as that form's success, or undefined. */
export function successFor<
  Success extends { ok: true; intent: string },
  Intent extends Success["intent"],
>(data: Success | FormFailure | undefined, intents: readonly Intent[]) {
  return data?.ok && (intents as readonly string[]).includes(data.intent)
    ? (data as Extract<Success, { intent: Intent }>)
    : undefined;
}
