import { authenticatedRoute } from "../auth/authenticated-route";
import { organizationSchema } from "../auth/schemas";
import { ok } from "../lib/envelope";
import { type createRouter, withTenant } from "../lib/hono";
import { errorResponses, jsonBody, jsonResponse } from "../lib/openapi";
import { updateOrganizationBodySchema } from "./schemas";
import { getOrganization, updateOrganization } from "./service";

const tags = ["Organization"];

const getRoute = authenticatedRoute({
  method: "get",
  path: "/organization",
  tags,
  summary: "The current organization: name, default country, time zone and currency",
  responses: { 200: jsonResponse(organizationSchema, "The organization"), ...errorResponses },
});

const updateRoute = authenticatedRoute({
  method: "patch",
  path: "/organization",
  tags,
  summary:
    "Rename the organization or change its defaults (admin+): default country (ISO 3166 alpha-2), time zone (IANA), currency (ISO 4217)",
  request: { body: jsonBody(updateOrganizationBodySchema) },
  responses: { 200: jsonResponse(organizationSchema, "Updated"), ...errorResponses },
});

export function registerOrganizationRoutes(app: ReturnType<typeof createRouter>) {
  app.openapi(getRoute, async (c) => c.json(ok(await withTenant(c, getOrganization)), 200));

  app.openapi(updateRoute, async (c) => {
    const body = c.req.valid("json");
    const organization = await withTenant(c, (scope) => updateOrganization(scope, body));
    return c.json(ok(organization, "Organization saved."), 200);
  });
}
