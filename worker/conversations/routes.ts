import { z } from "@hono/zod-openapi";
import { authenticatedRoute } from "../auth/authenticated-route";
import { ok, page } from "../lib/envelope";
import { ApiError } from "../lib/errors";
import { fileHeaders } from "../lib/file-response";
import { type createRouter, withTenant } from "../lib/hono";
import {
  envelopeSchema,
  errorResponses,
  idParamSchema,
  jsonBody,
  jsonResponse,
} from "../lib/openapi";
import { zodFieldErrors } from "../lib/validation";
import { messageMedia } from "../whatsapp/media";
import { readPostedAttachment, sendWithAttachment } from "./attachments";
import { conversationReport, conversationReportCsv } from "./report";
import {
  conversationReportQuerySchema,
  conversationReportRowSchema,
  conversationSchema,
  listConversationsQuerySchema,
  listMessagesQuerySchema,
  mergeConversationBodySchema,
  messageSchema,
  sendMediaFormSchema,
  sendMessageBodySchema,
  updateConversationBodySchema,
} from "./schemas";
import {
  agentTyping,
  getConversation,
  listConversations,
  listMessages,
  markConversationRead,
  mergeConversation,
  sendMessage,
  updateConversation,
} from "./service";

const tags = ["Inbox"];

const listRoute = authenticatedRoute({
  method: "get",
  path: "/conversations",
  tags,
  summary:
    "The shared inbox, latest activity first (filter by status, assignee, team, channel, label, priority, unread, words in messages)",
  request: { query: listConversationsQuerySchema },
  responses: {
    200: jsonResponse(z.array(conversationSchema), "Conversations (next page in meta.pagination)"),
    ...errorResponses,
  },
});

const getRouteDef = authenticatedRoute({
  method: "get",
  path: "/conversations/{id}",
  tags,
  summary: "One conversation, with its contact, channel and reply window",
  request: { params: idParamSchema },
  responses: { 200: jsonResponse(conversationSchema, "The conversation"), ...errorResponses },
});

const messagesRoute = authenticatedRoute({
  method: "get",
  path: "/conversations/{id}/messages",
  tags,
  summary:
    "A conversation's messages and private notes, oldest first; `from=latest` reads the newest page and `before` the pages before it",
  request: { params: idParamSchema, query: listMessagesQuerySchema },
  responses: {
    200: jsonResponse(
      z.array(messageSchema),
      "Messages (next and previous page in meta.pagination)",
    ),
    ...errorResponses,
  },
});

const sendRoute = authenticatedRoute({
  method: "post",
  path: "/conversations/{id}/messages",
  tags,
  summary:
    "Reply (`{ body }`), send an approved WhatsApp template (`{ template }`), write a private note (`{ note: true, body }`), or send a file (multipart/form-data: `file`, optional caption `body`; photos JPEG/PNG up to 5 MB, documents, audio and video up to 16 MB); free text and files outside WhatsApp's 24-hour window are a 422",
  request: {
    params: idParamSchema,
    body: {
      required: false,
      description: "JSON for text, templates and notes; multipart/form-data for a file",
      content: {
        "application/json": { schema: sendMessageBodySchema },
        "multipart/form-data": { schema: sendMediaFormSchema },
      },
    },
  },
  responses: { 201: jsonResponse(messageSchema, "Stored (and queued to send)"), ...errorResponses },
});

const updateRouteDef = authenticatedRoute({
  method: "patch",
  path: "/conversations/{id}",
  tags,
  summary: "Change status (resolve, reopen, snooze until), assignee, team, labels or priority",
  request: { params: idParamSchema, body: jsonBody(updateConversationBodySchema) },
  responses: { 200: jsonResponse(conversationSchema, "Updated"), ...errorResponses },
});

const readRoute = authenticatedRoute({
  method: "post",
  path: "/conversations/{id}/read",
  tags,
  summary: "Mark the conversation read (its unread count goes to zero)",
  request: { params: idParamSchema },
  responses: { 200: jsonResponse(conversationSchema, "Read"), ...errorResponses },
});

const mergeRoute = authenticatedRoute({
  method: "post",
  path: "/conversations/{id}/merge",
  tags,
  summary:
    "Merge this conversation into another of the same contact: its messages move there, and it is resolved",
  request: { params: idParamSchema, body: jsonBody(mergeConversationBodySchema) },
  responses: {
    200: jsonResponse(conversationSchema, "The merged conversation"),
    ...errorResponses,
  },
});

const reportRoute = authenticatedRoute({
  method: "get",
  path: "/reports/conversations",
  tags,
  summary:
    "Per-conversation report for conversations started in [from, to): first response and resolution times, messages each way; `format=csv` downloads it",
  request: { query: conversationReportQuerySchema },
  responses: {
    200: {
      description: "The rows (JSON in the envelope, or a CSV file)",
      content: {
        "application/json": { schema: envelopeSchema(z.array(conversationReportRowSchema)) },
        "text/csv": { schema: z.string() },
      },
    },
    ...errorResponses,
  },
});

const mediaRoute = authenticatedRoute({
  method: "get",
  path: "/messages/{id}/media",
  tags,
  summary: "A message's file (a customer's photo, voice message, document...), once kept",
  request: { params: idParamSchema },
  responses: {
    200: {
      description: "The file, with its content type",
      content: { "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) } },
    },
    ...errorResponses,
  },
});

const typingRoute = authenticatedRoute({
  method: "post",
  path: "/conversations/{id}/typing",
  tags,
  summary:
    "Tell the customer an agent is writing a reply (website chat: shown in the widget; other channels ignore it)",
  request: { params: idParamSchema },
  responses: { 202: jsonResponse(z.null(), "Told"), ...errorResponses },
});

export function registerConversationRoutes(app: ReturnType<typeof createRouter>) {
  app.openapi(listRoute, async (c) => {
    const query = c.req.valid("query");
    const result = await withTenant(c, (scope) => listConversations(scope, query));
    return c.json(
      page(result.conversations, { nextCursor: result.nextCursor, limit: query.limit }),
      200,
    );
  });

  app.openapi(getRouteDef, async (c) => {
    const { id } = c.req.valid("param");
    return c.json(ok(await withTenant(c, (scope) => getConversation(scope, id))), 200);
  });

  app.openapi(messagesRoute, async (c) => {
    const { id } = c.req.valid("param");
    const query = c.req.valid("query");
    const result = await withTenant(c, (scope) => listMessages(scope, id, query));
    return c.json(
      page(result.messages, {
        nextCursor: result.nextCursor,
        previousCursor: result.previousCursor,
        limit: query.limit,
      }),
      200,
    );
  });

  app.openapi(sendRoute, async (c) => {
    const { id } = c.req.valid("param");
    if (/^multipart\/form-data/i.test(c.req.header("content-type") ?? "")) {
      const form = c.req.valid("form") as { file?: unknown; body?: unknown };
      const posted = readPostedAttachment(form.file, form.body);
      const message = await sendWithAttachment(c.env.MEDIA, posted, (reply) =>
        withTenant(c, (scope) => sendMessage(scope, id, reply)),
      );
      return c.json(ok(message, "Message queued."), 201);
    }
    const parsed = sendMessageBodySchema.safeParse(c.req.valid("json"));
    if (!parsed.success) throw ApiError.validation(zodFieldErrors(parsed.error));
    const body = parsed.data;
    const message = await withTenant(c, (scope) => sendMessage(scope, id, body));
    return c.json(ok(message, message.private ? "Note added." : "Message queued."), 201);
  });

  app.openapi(updateRouteDef, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const conversation = await withTenant(c, (scope) => updateConversation(scope, id, body));
    return c.json(ok(conversation, "Conversation updated."), 200);
  });

  app.openapi(readRoute, async (c) => {
    const { id } = c.req.valid("param");
    return c.json(ok(await withTenant(c, (scope) => markConversationRead(scope, id))), 200);
  });

  app.openapi(reportRoute, async (c) => {
    const { from, to, format } = c.req.valid("query");
    const rows = await withTenant(c, (scope) => conversationReport(scope, { from, to }));
    if (format === "csv") {
      return c.body(`\uFEFF${conversationReportCsv(rows)}`, 200, {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="conversations-${from.slice(0, 10)}-${to.slice(0, 10)}.csv"`,
        "Cache-Control": "no-store",
      });
    }
    return c.json(ok(rows), 200);
  });

  app.openapi(mediaRoute, async (c) => {
    const { id } = c.req.valid("param");
    const { object, filename } = await withTenant(c, (scope) =>
      messageMedia(scope, c.env.MEDIA, id),
    );
    return c.body(object.body, 200, fileHeaders(object, filename));
  });

  app.openapi(typingRoute, async (c) => {
    const { id } = c.req.valid("param");
    const typing = await withTenant(c, (scope) => agentTyping(scope, id));
    if (typing) {
      c.executionCtx.waitUntil(
        c.env.VISITOR_ROOM.getByName(typing.room)
          .push({ type: "typing", author: typing.author })
          .catch(() => 0),
      );
    }
    return c.json(ok(null), 202);
  });

  app.openapi(mergeRoute, async (c) => {
    const { id } = c.req.valid("param");
    const { intoId } = c.req.valid("json");
    const merged = await withTenant(c, (scope) => mergeConversation(scope, id, intoId));
    return c.json(ok(merged, "Conversations merged."), 200);
  });
}
