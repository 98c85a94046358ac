import type { Envelope } from "../../worker/lib/envelope";

/*
 * The browser's calls to the JSON API (/api/v1) with the session cookie, for screens that act
 * without a page navigation (exports, the phone). An expired 15-minute access cookie is renewed
 * from the refresh cookie once. A failure throws ApiRequestError with the API's own message.
 */

export type { Envelope };

export class ApiRequestError extends Error {
  readonly status: number;
  /** The API's error code (`pbx_offline`, `conflict`, ...), when it sent one. */
  readonly code: string | null;
  readonly fieldErrors: Record<string, string[]>;

  constructor(
    message: string,
    status: number,
    code: string | null,
    fieldErrors: Record<string, string[]>,
  ) {
    super(message);
    this.name = "ApiRequestError";
    this.status = status;
    this.code = code;
    this.fieldErrors = fieldErrors;
  }
}

/** The message to show for a failed call (an ApiRequestError's, or `fallback`). */
export function errorMessage(
  error: unknown,
  fallback = "Something went wrong. Try again.",
): string {
  return error instanceof Error && error.message ? error.message : fallback;
}

interface ApiInit {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Sent as JSON. */
  body?: unknown;
  signal?: AbortSignal;
}

/** Asks for a new 15-minute access cookie from the refresh cookie. */
export function refreshSession(signal?: AbortSignal | null): Promise<Response> {
  return fetch("/api/v1/auth/refresh", { method: "POST", credentials: "same-origin", signal });
}

/**
 * The browser's one 401 -> refresh -> retry: a same-origin request whose access cookie expired
 * is sent again once after the session is renewed.
 */
export async function fetchWithSession(url: string, init: RequestInit = {}): Promise<Response> {
  const send = () => fetch(url, { ...init, credentials: "same-origin" });
  const response = await send();
  if (response.status !== 401) return response;
  return (await refreshSession(init.signal)).ok ? send() : response;
}

/** Same-origin API call; resolves with the envelope of a successful answer. */
export async function callApi<T>(
  path: string,
  init: ApiInit = {},
  fallback = "The request failed.",
): Promise<Envelope<T>> {
  let response: Response;
  try {
    response = await fetchWithSession(`/api/v1${path}`, {
      method: init.method ?? "GET",
      signal: init.signal,
      headers: {
        Accept: "application/json",
        ...(init.body !== undefined ? { "Content-Type": "application/json" } : {}),
      },
      body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    });
  } catch (error) {
    if (init.signal?.aborted) throw error;
    throw new ApiRequestError("No connection to Switchboard. Try again.", 0, null, {});
  }
  const body = (await response.json().catch(() => null)) as Envelope<T> | null;
  if (!response.ok || !body?.success) {
    const code = body?.meta && typeof body.meta.code === "string" ? body.meta.code : null;
    throw new ApiRequestError(
      body?.message || `${fallback.replace(/\.$/, "")} (${response.status}).`,
      response.status,
      code,
      body?.errors ?? {},
    );
  }
  return body;
}
