import { createRoute, z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { ok } from "../lib/envelope";
import { ApiError } from "../lib/errors";
import type { createRouter } from "../lib/hono";
import { errorResponses, jsonResponse } from "../lib/openapi";

const healthSchema = z
  .object({
    status: z.literal("ok"),
    database: z.literal("reachable"),
    version: z.string(),
    databaseLatencyMs: z.number(),
  })
  .openapi("Health");

const healthRoute = createRoute({
  method: "get",
  path: "/health",
  tags: ["Health"],
  summary: "Liveness: the database answers, and which version runs",
  responses: { 200: jsonResponse(healthSchema, "Healthy"), 503: errorResponses[409] },
});

export function registerHealthRoutes(app: ReturnType<typeof createRouter>) {
  app.openapi(healthRoute, async (c) => {
    const started = performance.now();
    try {
      await c.var.database.global((tx) => tx.execute(sql`select 1`));
    } catch (error) {
      console.error(
        JSON.stringify({
          level: "error",
          msg: "health check: database unreachable",
          error: String(error),
        }),
      );
      throw new ApiError(503, "service_unavailable", "The database is unreachable.");
    }
    return c.json(
      ok({
        status: "ok" as const,
        database: "reachable" as const,
        version: c.var.config.APP_VERSION,
        databaseLatencyMs: Math.round(performance.now() - started),
      }),
      200,
    );
  });
}
