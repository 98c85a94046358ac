import { z } from "zod";

/** Every job the queue carries, validated when it is consumed. */
export const jobMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("maintenance.purge_expired"), requestedAt: z.string().datetime() }),
]);
export type JobMessage = z.infer<typeof jobMessageSchema>;
