/*
 * The CRM vocabulary the browser shares with the Worker, as plain constants (no zod, no
 * drizzle), so pages that show them do not download the schemas built from them.
 */

export const ACTIVITY_TYPES = ["note", "task", "call", "message", "meeting"] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];
