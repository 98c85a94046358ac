import { authenticatedRoute } from "../auth/authenticated-route";
import { ok } from "../lib/envelope";
import { type createRouter, withTenant } from "../lib/hono";
import { errorResponses, idParamSchema, jsonResponse } from "../lib/openapi";
import { jobListQuerySchema, jobListSchema, jobSchema } from "./schemas";
import { listJobs, retryJob } from "./service";

const tags = ["Jobs"];

const listRoute = authenticatedRoute({
  method: "get",
  path: "/jobs",
  tags,
  summary: "The organization's background jobs, newest first, with counts per status (admin+)",
  description:
    "Imports and exports run as jobs. `failed` jobs are being retried by the queue; `dead` ones ran out of retries and wait for an admin's retry.",
  request: { query: jobListQuerySchema },
  responses: { 200: jsonResponse(jobListSchema, "Jobs"), ...errorResponses },
});

const retryRoute = authenticatedRoute({
  method: "post",
  path: "/jobs/{id}/retry",
  tags,
  summary: "Run a failed or dead-lettered job again (admin+); 409 for any other job",
  request: { params: idParamSchema },
  responses: { 202: jsonResponse(jobSchema, "Queued again"), ...errorResponses },
});

export function registerJobRoutes(app: ReturnType<typeof createRouter>) {
  app.openapi(listRoute, async (c) => {
    const query = c.req.valid("query");
    return c.json(ok(await withTenant(c, (scope) => listJobs(scope, query))), 200);
  });

  app.openapi(retryRoute, async (c) => {
    const { id } = c.req.valid("param");
    const job = await withTenant(c, (scope) => retryJob(scope, id));
    return c.json(ok(job, "The job was queued again."), 202);
  });
}
