import { createRoute, z } from "@hono/zod-openapi";
import { ok } from "../lib/envelope";
import { ApiError } from "../lib/errors";
import type { createRouter } from "../lib/hono";
import { errorResponses, jsonResponse } from "../lib/openapi";
import { hasLocalMailbox, listLocalMailbox } from "./mailbox";

const mailboxEmailSchema = z
  .object({
    id: z.string(),
    to: z.string(),
    from: z.string(),
    replyTo: z.string().nullable(),
    headers: z.record(z.string(), z.string()),
    subject: z.string(),
    template: z.string(),
    status: z.enum(["pending", "sent", "failed"]),
    messageId: z.string().nullable(),
    text: z.string(),
    html: z.string(),
    createdAt: z.string(),
    sentAt: z.string().nullable(),
  })
  .openapi("MailboxEmail");

const mailboxRoute = createRoute({
  method: "get",
  path: "/dev/mailbox",
  tags: ["Development"],
  summary: "Development only: every email the product sent, newest first (404 in production)",
  request: {
    query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
  },
  responses: { 200: jsonResponse(z.array(mailboxEmailSchema), "Sent emails"), ...errorResponses },
});

export function registerDevMailboxRoutes(app: ReturnType<typeof createRouter>) {
  app.openapi(mailboxRoute, async (c) => {
    if (!hasLocalMailbox(c.var.config)) throw ApiError.notFound("Route");
    const { limit } = c.req.valid("query");
    return c.json(ok(await listLocalMailbox(c.var.database, limit)), 200);
  });
}
