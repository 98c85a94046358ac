import { z } from "@hono/zod-openapi";

export const JOB_STATUSES = ["pending", "done", "failed", "dead"] as const;

export const jobSchema = z
  .object({
    id: z.string(),
    type: z.string(),
    status: z.enum(JOB_STATUSES),
    /** Runs that ended, successful or not. */
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    /** The import or export the job works on. */
    subjectId: z.string().nullable(),
    createdAt: z.string(),
    sentAt: z.string().nullable(),
    completedAt: z.string().nullable(),
  })
  .openapi("Job");
export type JobView = z.infer<typeof jobSchema>;

export const jobListSchema = z
  .object({
    jobs: z.array(jobSchema),
    /** How many of the organization's jobs are in each status. */
    counts: z.object({
      pending: z.number().int(),
      done: z.number().int(),
      failed: z.number().int(),
      dead: z.number().int(),
    }),
  })
  .openapi("JobList");
export type JobList = z.infer<typeof jobListSchema>;

export const jobListQuerySchema = z
  .object({
    status: z.enum(JOB_STATUSES).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export type JobListQuery = z.infer<typeof jobListQuerySchema>;
