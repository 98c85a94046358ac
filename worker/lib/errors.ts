import type { ContentfulStatusCode } from "hono/utils/http-status";

export type ErrorCode =
  | "bad_request"
  | "invalid_json"
  | "validation_failed"
  | "payload_too_large"
  | "unsupported_media_type"
  | "unauthenticated"
  | "invalid_signature"
  | "invalid_credentials"
  | "token_expired"
  | "invalid_token"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "gone"
  | "rate_limited"
  | "internal_error"
  | "service_unavailable"
  | "pbx_offline"
  | "pbx_timeout"
  | "pbx_command_failed";

export type FieldErrors = Record<string, string[]>;

/** The one error type routes and services throw; `onError` turns it into the envelope. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly fieldErrors: FieldErrors | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }

  static badRequest(message: string, fieldErrors: FieldErrors | null = null) {
    return new ApiError(400, "bad_request", message, fieldErrors);
  }
  static validation(fieldErrors: FieldErrors, message = "Some fields are invalid.") {
    return new ApiError(422, "validation_failed", message, fieldErrors);
  }
  static unauthenticated(message = "Sign in to continue.") {
    return new ApiError(401, "unauthenticated", message);
  }
  static forbidden(message = "You do not have permission to do that.") {
    return new ApiError(403, "forbidden", message);
  }
  static notFound(what = "Resource") {
    return new ApiError(404, "not_found", `${what} not found.`);
  }
  static conflict(message: string, fieldErrors: FieldErrors | null = null) {
    return new ApiError(409, "conflict", message, fieldErrors);
  }
}
