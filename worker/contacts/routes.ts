import { z } from "@hono/zod-openapi";
import { authenticatedRoute } from "../auth/authenticated-route";
import { listQuerySchema } from "../crm/list-query";
import { ok, page } from "../lib/envelope";
import { type createRouter, withTenant } from "../lib/hono";
import { errorResponses, idParamSchema, jsonBody, jsonResponse } from "../lib/openapi";
import {
  contactSchema,
  createContactBodySchema,
  lookupQuerySchema,
  updateContactBodySchema,
} from "./schemas";
import {
  createContact,
  deleteContact,
  getContact,
  listContacts,
  lookupContacts,
  restoreContact,
  updateContact,
} from "./service";

const tags = ["Contacts"];

const listRoute = authenticatedRoute({
  method: "get",
  path: "/contacts",
  tags,
  summary: "Contacts",
  description:
    "Sort by lastName, firstName, createdAt or updatedAt ('-' for descending). Filters: " +
    "filter.<field>[.gte|.gt|.lte|.lt|.contains|.isEmpty] on firstName, lastName, title, " +
    "companyId, ownerId, lifecycleStage, tags, doNotContact, createdAt, updatedAt; " +
    "filter.cf.<key> for custom fields; filter.email and filter.phone (any format, read in " +
    "defaultCountry, default US). `q` searches names, titles and addresses, typos included. " +
    "deleted=true lists the soft-deleted ones instead.",
  request: { query: listQuerySchema },
  responses: { 200: jsonResponse(z.array(contactSchema), "Contacts"), ...errorResponses },
});

const lookupRoute = authenticatedRoute({
  method: "get",
  path: "/contacts/lookup",
  tags,
  summary: "Contacts with this phone number (any format) or e-mail address, newest first",
  request: { query: lookupQuerySchema },
  responses: { 200: jsonResponse(z.array(contactSchema), "Matching contacts"), ...errorResponses },
});

const createRouteDef = authenticatedRoute({
  method: "post",
  path: "/contacts",
  tags,
  summary: "Create a contact (agent+)",
  request: { body: jsonBody(createContactBodySchema) },
  responses: { 201: jsonResponse(contactSchema, "Created"), ...errorResponses },
});

const getRoute = authenticatedRoute({
  method: "get",
  path: "/contacts/{id}",
  tags,
  summary: "A contact, with its company's summary",
  request: { params: idParamSchema },
  responses: { 200: jsonResponse(contactSchema, "Contact"), ...errorResponses },
});

const updateRoute = authenticatedRoute({
  method: "patch",
  path: "/contacts/{id}",
  tags,
  summary: "Change a contact; send `version` to be refused (409) if it changed meanwhile",
  request: { params: idParamSchema, body: jsonBody(updateContactBodySchema) },
  responses: { 200: jsonResponse(contactSchema, "Updated"), ...errorResponses },
});

const deleteRoute = authenticatedRoute({
  method: "delete",
  path: "/contacts/{id}",
  tags,
  summary: "Delete a contact (restorable for 30 days)",
  request: { params: idParamSchema },
  responses: { 200: jsonResponse(z.null(), "Deleted"), ...errorResponses },
});

const restoreRoute = authenticatedRoute({
  method: "post",
  path: "/contacts/{id}/restore",
  tags,
  summary: "Restore a deleted contact",
  request: { params: idParamSchema },
  responses: { 200: jsonResponse(contactSchema, "Restored"), ...errorResponses },
});

export function registerContactRoutes(app: ReturnType<typeof createRouter>) {
  app.openapi(listRoute, async (c) => {
    const query = c.req.valid("query");
    const result = await withTenant(c, (scope) => listContacts(scope, query));
    return c.json(page(result.rows, { nextCursor: result.nextCursor, limit: query.limit }), 200);
  });

  // Before /contacts/{id}, which would otherwise claim "lookup" as an id.
  app.openapi(lookupRoute, async (c) => {
    const query = c.req.valid("query");
    const rows = await withTenant(c, (scope) => lookupContacts(scope, query));
    return c.json(ok(rows), 200);
  });

  app.openapi(createRouteDef, async (c) => {
    const body = c.req.valid("json");
    const contact = await withTenant(c, (scope) => createContact(scope, body));
    return c.json(ok(contact, "Contact created."), 201);
  });

  app.openapi(getRoute, async (c) => {
    const { id } = c.req.valid("param");
    const contact = await withTenant(c, (scope) => getContact(scope, id));
    return c.json(ok(contact), 200);
  });

  app.openapi(updateRoute, async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const contact = await withTenant(c, (scope) => updateContact(scope, id, body));
    return c.json(ok(contact, "Contact updated."), 200);
  });

  app.openapi(deleteRoute, async (c) => {
    const { id } = c.req.valid("param");
    await withTenant(c, (scope) => deleteContact(scope, id));
    return c.json(ok(null, "Contact deleted. You can restore it for 30 days."), 200);
  });

  app.openapi(restoreRoute, async (c) => {
    const { id } = c.req.valid("param");
    const contact = await withTenant(c, (scope) => restoreContact(scope, id));
    return c.json(ok(contact, "Contact restored."), 200);
  });
}
