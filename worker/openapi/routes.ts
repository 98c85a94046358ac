import type { Hono } from "hono";
import type { AppEnv, createRouter } from "../lib/hono";

/** OpenAPI 3.1, generated from the same zod schemas that validate requests. */
export function registerOpenApiDocument(v1: ReturnType<typeof createRouter>) {
  v1.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "An access token (JWT) from /auth/login, or an API key (sb_...)",
  });
  v1.openAPIRegistry.registerComponent("securitySchemes", "cookieAuth", {
    type: "apiKey",
    in: "cookie",
    name: "sb_access",
  });
  v1.doc31("/openapi.json", (c) => ({
    openapi: "3.1.0",
    info: {
      title: "Switchboard API",
      version: c.env.APP_VERSION,
      description:
        "Every response is the envelope { success, data, message, errors, meta }. Errors carry meta.code and meta.requestId.",
    },
    servers: [{ url: `${new URL(c.req.url).origin}/api/v1` }],
  }));
}

/** Interactive reference page (Scalar, loaded from its CDN) for the document above. */
export function registerApiReference(app: Hono<AppEnv>) {
  app.get("/api/docs", (c) =>
    c.html(`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Switchboard API reference</title>
  </head>
  <body>
    <noscript>The interactive reference needs JavaScript. The raw document is at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</noscript>
    <script id="api-reference" data-url="/api/v1/openapi.json"></script>
    <script src="https://cdn.jsdelivr.net/npm/@scalar/api-reference"></script>
  </body>
</html>`),
  );
}
