import { createRoute, z } from "@hono/zod-openapi";
import { ok } from "../lib/envelope";
import { ApiError } from "../lib/errors";
import type { createRouter } from "../lib/hono";
import { errorResponses, jsonBody, jsonResponse } from "../lib/openapi";
import { deliverLocalEmail } from "./local-delivery";
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

const inboundRoute = createRoute({
  method: "post",
  path: "/dev/inbound-email",
  tags: ["Development"],
  summary:
    "Development only: deliver a plain-text email into the inbound handler, as Email Routing would (404 in production)",
  request: {
    body: jsonBody(
      z
        .object({
          from: z.string().trim().toLowerCase().email().max(254),
          fromName: z.string().trim().max(120).optional(),
          to: z.string().trim().toLowerCase().email().max(254),
          subject: z.string().trim().min(1).max(250),
          text: z.string().trim().min(1).max(20_000),
          inReplyTo: z.string().trim().max(500).optional(),
        })
        .strict(),
    ),
  },
  responses: {
    202: jsonResponse(
      z.object({ rejected: z.string().nullable() }),
      "Delivered (or refused, with Email Routing's reason)",
    ),
    ...errorResponses,
  },
});

export function registerDevMailboxRoutes(app: ReturnType<typeof createRouter>) {
  app.openapi(inboundRoute, async (c) => {
    if (!hasLocalMailbox(c.var.config)) throw ApiError.notFound("Route");
    const email = c.req.valid("json");
    const result = await deliverLocalEmail(c.env, c.executionCtx, email);
    return c.json(ok(result, result.rejected ? "Refused." : "Delivered."), 202);
  });

  app.openapi(mailboxRoute, async (c) => {
    if (!hasLocalMailbox(c.var.config)) throw ApiError.notFound("Route");
    const { limit } = c.req.valid("query");
    return c.json(ok(await listLocalMailbox(c.var.database, limit)), 200);
  });
}
