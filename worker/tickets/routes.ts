import { z } from "@hono/zod-openapi";
import { authenticatedRoute } from "../auth/authenticated-route";
import { ok } from "../lib/envelope";
import { fileHeaders } from "../lib/file-response";
import { type createRouter, withTenant } from "../lib/hono";
import { errorResponses, idParamSchema, jsonBody, jsonResponse } from "../lib/openapi";
import { bulkTickets } from "./bulk";
import { bulkTicketsBodySchema, bulkTicketsResultSchema } from "./bulk-schemas";
import { ticketFromConversation } from "./from-conversation";
import {
  addCommentBodySchema,
  createTicketBodySchema,
  listTicketsQuerySchema,
  mergeTicketBodySchema,
  ticketCommentSchema,
  ticketSchema,
  updateTicketBodySchema,
} from "./schemas";
import {
  addComment,
  createTicket,
  deleteTicket,
  getTicket,
  listComments,
  listTickets,
  mergeTicket,
  ticketAttachment,
  updateTicket,
} from "./service";

const tags = ["Tickets"];

const listRoute = authenticatedRoute({
  method: "get",
  path: "/tickets",
  tags,
  summary: "Tickets, most recently updated first, with the views' counts in `meta.counts`",
  request: { query: listTicketsQuerySchema },
  responses: { 200: jsonResponse(z.array(ticketSchema), "Tickets"), ...errorResponses },
});

const createTicketRoute = authenticatedRoute({
  method: "post",
  path: "/tickets",
  tags,
  summary: "Open a ticket (agent+); `description` is its first comment",
  description:
    "The requester is a contact (`contactId`), or an email address matched to a contact (created when none has it).",
  request: { body: jsonBody(createTicketBodySchema) },
  responses: { 201: jsonResponse(ticketSchema, "Created"), ...errorResponses },
});

const getRoute = authenticatedRoute({
  method: "get",
  path: "/tickets/{id}",
  tags,
  summary: "A ticket",
  request: { params: idParamSchema },
  responses: { 200: jsonResponse(ticketSchema, "Ticket"), ...errorResponses },
});

const updateRoute = authenticatedRoute({
  method: "patch",
  path: "/tickets/{id}",
  tags,
  summary: "Change a ticket (status, priority, type, assignee, team, tags, due date); agent+",
  description: "Send `version` to be refused (409) if the ticket changed meanwhile.",
  request: { params: idParamSchema, body: jsonBody(updateTicketBodySchema) },
  responses: { 200: jsonResponse(ticketSchema, "Updated"), ...errorResponses },
});

const deleteRoute = authenticatedRoute({
  method: "delete",
  path: "/tickets/{id}",
  tags,
  summary: "Delete a ticket (manager+)",
  request: { params: idParamSchema },
  responses: { 200: jsonResponse(z.null(), "Deleted"), ...errorResponses },
});

const commentsRoute = authenticatedRoute({
  method: "get",
  path: "/tickets/{id}/comments",
  tags,
  summary: "A ticket's comments, oldest first (public replies and internal notes)",
  request: { params: idParamSchema },
  responses: { 200: jsonResponse(z.array(ticketCommentSchema), "Comments"), ...errorResponses },
});

const addCommentRoute = authenticatedRoute({
  method: "post",
  path: "/tickets/{id}/comments",
  tags,
  summary: "Reply to the requester (public, sent by email) or add an internal note; agent+",
  request: { params: idParamSchema, body: jsonBody(addCommentBodySchema) },
  responses: { 201: jsonResponse(ticketCommentSchema, "Added"), ...errorResponses },
});

const attachmentRoute = authenticatedRoute({
  method: "get",
  path: "/tickets/{id}/comments/{commentId}/attachments/{index}",
  tags,
  summary: "A file that came with a comment (`index` from 1, in the comment's `attachments`)",
  request: {
    params: z.object({
      id: z.string().uuid(),
      commentId: z.string().uuid(),
      index: z.coerce.number().int().min(1).max(100),
    }),
  },
  responses: {
    200: {
      description: "The file, with its content type",
      content: { "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) } },
    },
    ...errorResponses,
  },
});

const fromConversationRoute = authenticatedRoute({
  method: "post",
  path: "/conversations/{id}/ticket",
  tags,
  summary:
    "Open a ticket from an inbox conversation (agent+): 201 with the new ticket, or 200 with the unsolved one already opened from it",
  request: { params: idParamSchema },
  responses: {
    200: jsonResponse(ticketSchema, "The ticket already opened from it"),
    201: jsonResponse(ticketSchema, "Opened"),
    ...errorResponses,
  },
});

const mergeRoute = authenticatedRoute({
  method: "post",
  path: "/tickets/{id}/merge",
  tags,
  summary: "Merge this ticket into another (its comments move there; it closes); agent+",
  request: { params: idParamSchema, body: jsonBody(mergeTicketBodySchema) },
  responses: { 200: jsonResponse(ticketSchema, "The ticket merged into"), ...errorResponses },
});

const bulkRoute = authenticatedRoute({
  method: "post",
  path: "/tickets/bulk",
  tags,
  summary:
    "Change (status, priority, type, assignee, team, tags) or delete up to 100 tickets at once; an outcome per ticket",
  description:
    "Changing needs agent+, deleting manager+. Each ticket follows the single edit's rules: one changed since its `versions` entry, or closed, is left alone (`conflict`); absent and other organizations' ids are `not_found`.",
  request: { body: jsonBody(bulkTicketsBodySchema) },
  responses: { 200: jsonResponse(bulkTicketsResultSchema, "Outcomes"), ...errorResponses },
});

export function registerTicketRoutes(app: ReturnType<typeof createRouter>) {
  app.openapi(bulkRoute, async (c) => {
    const body = c.req.valid("json");
    const result = await withTenant(c, (scope) => bulkTickets(scope, body, c.var.config));
    const done =
      body.action === "delete" ? `${result.deleted} deleted` : `${result.updated} updated`;
    const message = `${done}${result.skipped > 0 ? `, ${result.skipped} skipped` : ""}.`;
    return c.json(ok(result, message), 200);
  });

  app.openapi(listRoute, async (c) => {
    const query = c.req.valid("query");
    const result = await withTenant(c, (scope) => listTickets(scope, query));
    return c.json(
      ok(result.tickets, "OK", {
        pagination: { nextCursor: result.nextCursor, limit: query.limit },
        counts: result.counts,
      }),
      200,
    );
  });

  app.openapi(createTicketRoute, async (c) => {
    const body = c.req.valid("json");
    const ticket = await withTenant(c, (scope) =>
      createTicket(scope, body, scope.actor.kind === "user" ? "agent" : "api"),
    );
    return c.json(ok(ticket, `Ticket #${ticket.number} opened.`), 201);
  });

  app.openapi(getRoute, async (c) => {
    const { id } = c.req.valid("param");
    return c.json(ok(await withTenant(c, (scope) => getTicket(scope, id))), 200);
  });

  app.openapi(updateRoute, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const ticket = await withTenant(c, (scope) => updateTicket(scope, id, body, c.var.config));
    return c.json(ok(ticket, "Ticket updated."), 200);
  });

  app.openapi(deleteRoute, async (c) => {
    const { id } = c.req.valid("param");
    await withTenant(c, (scope) => deleteTicket(scope, id));
    return c.json(ok(null, "Ticket deleted."), 200);
  });

  app.openapi(commentsRoute, async (c) => {
    const { id } = c.req.valid("param");
    return c.json(ok(await withTenant(c, (scope) => listComments(scope, id))), 200);
  });

  app.openapi(addCommentRoute, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const comment = await withTenant(c, (scope) => addComment(scope, id, body, c.var.config));
    return c.json(ok(comment, body.public ? "Reply sent." : "Note added."), 201);
  });

  app.openapi(attachmentRoute, async (c) => {
    const { id, commentId, index } = c.req.valid("param");
    const { object, filename } = await withTenant(c, (scope) =>
      ticketAttachment(scope, c.env.MEDIA, { ticketId: id, commentId, index }),
    );
    return c.body(object.body, 200, fileHeaders(object, filename));
  });

  app.openapi(fromConversationRoute, async (c) => {
    const { id } = c.req.valid("param");
    const { ticket, created } = await withTenant(c, (scope) => ticketFromConversation(scope, id));
    return created
      ? c.json(ok(ticket, `Ticket #${ticket.number} opened.`), 201)
      : c.json(ok(ticket, `Ticket #${ticket.number} is already open for this conversation.`), 200);
  });

  app.openapi(mergeRoute, async (c) => {
    const { id } = c.req.valid("param");
    const { intoId } = c.req.valid("json");
    const ticket = await withTenant(c, (scope) => mergeTicket(scope, id, intoId));
    return c.json(ok(ticket, `Merged into ticket #${ticket.number}.`), 200);
  });
}
