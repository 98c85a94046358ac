import { z } from "@hono/zod-openapi";
import { authenticatedRoute } from "../auth/authenticated-route";
import { page } from "../lib/envelope";
import { type createRouter, withTenant } from "../lib/hono";
import { errorResponses, jsonResponse } from "../lib/openapi";
import { paginationQuerySchema } from "../lib/pagination";
import { requirePermission } from "../lib/scope";
import { listAuditLog } from "./service";

const auditEntrySchema = z
  .object({
    id: z.string(),
    action: z.string(),
    actorUserId: z.string().nullable(),
    actorApiKeyId: z.string().nullable(),
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
  })
  .openapi("AuditEntry");

const listRoute = authenticatedRoute({
  method: "get",
  path: "/audit-logs",
  tags: ["Audit"],
  summary: "The organization's audit log, newest first (admin+)",
  request: {
    query: paginationQuerySchema.extend({ action: z.string().max(64).optional() }).strict(),
  },
  responses: { 200: jsonResponse(z.array(auditEntrySchema), "Audit entries"), ...errorResponses },
});

export function registerAuditRoutes(app: ReturnType<typeof createRouter>) {
  app.openapi(listRoute, async (c) => {
    const query = c.req.valid("query");
    const result = await withTenant(c, (scope) => {
      requirePermission(scope.actor, "audit:read");
      return listAuditLog(scope.tx, query);
    });
    return c.json(page(result.rows, { nextCursor: result.nextCursor, limit: query.limit }), 200);
  });
}
