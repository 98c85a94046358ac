import type { FieldErrors } from "./errors";

export interface Pagination {
  nextCursor: string | null;
  /** Pages read from the newest end (a conversation's messages): the page before this one. */
  previousCursor?: string | null;
  limit: number;
}

export interface Envelope<T> {
  success: boolean;
  data: T | null;
  message: string;
  errors: FieldErrors | null;
  meta: Record<string, unknown> | null;
}

export function ok<T>(data: T, message = "OK", meta: Record<string, unknown> | null = null) {
  return { success: true, data, message, errors: null, meta } satisfies Envelope<T>;
}

export function page<T>(rows: T[], pagination: Pagination, message = "OK") {
  return ok(rows, message, { pagination });
}

export function failure(
  message: string,
  code: string,
  requestId: string,
  errors: FieldErrors | null = null,
): Envelope<null> {
  return { success: false, data: null, message, errors, meta: { code, requestId } };
}
