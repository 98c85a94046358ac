import { z } from "zod";
import { instantSchema } from "./dates";
import { ApiError } from "./errors";

/** Keyset cursor over (created_at, id): stable under inserts, opaque to clients. */
export interface Cursor {
  at: Date;
  id: string;
}

const cursorSchema = z.object({ at: instantSchema(), id: z.string().uuid() });

export function encodeCursor(at: Date, id: string): string {
  return btoa(JSON.stringify({ at: at.toISOString(), id }))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

export function decodeCursor(cursor: string): Cursor {
  try {
    const json = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
    const parsed = cursorSchema.parse(JSON.parse(json));
    return { at: new Date(parsed.at), id: parsed.id };
  } catch {
    throw ApiError.badRequest("The pagination cursor is invalid.", { cursor: ["Invalid cursor."] });
  }
}

export const paginationQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(200).optional(),
});
