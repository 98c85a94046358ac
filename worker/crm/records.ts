import { ApiError } from "../lib/errors";

/**
 * Optimistic concurrency: an edit names the version it was based on; if the record moved on
 * meanwhile, the edit is refused with 409 and the current version instead of overwriting.
 */
export function assertVersion(current: { version: number }, expected: number | undefined) {
  if (expected !== undefined && expected !== current.version) {
    throw new ApiError(
      409,
      "conflict",
      "Someone else changed this record while you were editing. Reload to see their changes.",
      { version: [`The current version is ${current.version}.`] },
    );
  }
}

/** Soft-deleted records stay restorable for this long; then the cron removes them. */
export const RESTORE_WINDOW_DAYS = 30;

export function assertRestorable(deletedAt: Date | null) {
  if (!deletedAt) throw ApiError.conflict("This record is not deleted.");
  if (Date.now() - deletedAt.getTime() > RESTORE_WINDOW_DAYS * 86_400_000) {
    throw new ApiError(410, "gone", "This record was deleted more than 30 days ago.");
  }
}
