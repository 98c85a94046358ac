import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { HTTPException } from "hono/http-exception";
import { registerActivityRoutes } from "./activities/routes";
import { registerApiKeyRoutes } from "./api-keys/routes";
import { registerAuditRoutes } from "./audit/routes";
import { registerAccountRoutes } from "./auth/account-routes";
import { registerAuthRoutes } from "./auth/routes";
import { registerBulkRoutes } from "./bulk/routes";
import { registerCallCenterRoutes } from "./call-center/routes";
import { registerCallRoutes } from "./calls/routes";
import { registerChannelRoutes } from "./channels/routes";
import { registerCompanyRoutes } from "./companies/routes";
import { registerContactRoutes } from "./contacts/routes";
import { MAX_MEDIA_BODY_BYTES } from "./conversations/attachments";
import { registerConversationRoutes } from "./conversations/routes";
import { registerCsatRoutes } from "./csat/routes";
import { registerCustomFieldRoutes } from "./custom-fields/routes";
import { Database } from "./db/client";
import { registerDealRoutes } from "./deals/routes";
import { registerDevMailboxRoutes } from "./email/routes";
import { readConfig } from "./env";
import { registerExportRoutes } from "./exports/routes";
import { registerHealthRoutes } from "./health/routes";
import { registerImportRoutes } from "./imports/routes";
import { registerInvitationRoutes } from "./invitations/routes";
import { registerJobRoutes } from "./jobs/routes";
import { registerKbRoutes } from "./kb/routes";
import { registerLeadRoutes } from "./leads/routes";
import { failure } from "./lib/envelope";
import { ApiError } from "./lib/errors";
import { type AppEnv, createRouter } from "./lib/hono";
import { logError, logRequest } from "./lib/logging";
import { requestMetaOf } from "./lib/request-meta";
import { API_CSP, applySecurityHeaders } from "./lib/security-headers";
import { rejectUnstorableInput } from "./lib/validation";
import { registerMemberRoutes } from "./members/routes";
import { registerNotificationRoutes } from "./notifications/routes";
import { registerApiReference, registerOpenApiDocument } from "./openapi/routes";
import { registerOrganizationRoutes } from "./organization/routes";
import { registerPbxRoutes } from "./pbx/routes";
import { registerPipelineRoutes } from "./pipelines/routes";
import { registerRealtimeRoutes } from "./realtime/routes";
import { registerReportRoutes } from "./reports/routes";
import { registerSearchRoutes } from "./search/routes";
import { registerSlaRoutes } from "./sla/routes";
import { registerTeamRoutes } from "./teams/routes";
import { registerTicketRoutes } from "./tickets/routes";
import { registerViewRoutes } from "./views/routes";
import { MAX_WEBCHAT_BODY_BYTES, registerWebchatRoutes } from "./webchat/routes";
import { MAX_WEBHOOK_BYTES, registerWhatsAppWebhookRoutes } from "./whatsapp/webhook";

export const MAX_BODY_BYTES = 1024 * 1024;
/** CSV uploads for imports (100,000 rows fit comfortably). */
export const MAX_IMPORT_BODY_BYTES = 64 * 1024 * 1024;
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{8,64}$/;

function v1Routes() {
  const v1 = createRouter();
  registerHealthRoutes(v1);
  registerAuthRoutes(v1);
  registerAccountRoutes(v1);
  registerMemberRoutes(v1);
  registerInvitationRoutes(v1);
  registerApiKeyRoutes(v1);
  registerAuditRoutes(v1);
  registerJobRoutes(v1);
  registerRealtimeRoutes(v1);
  registerOrganizationRoutes(v1);
  registerTeamRoutes(v1);
  registerChannelRoutes(v1);
  registerConversationRoutes(v1);
  registerContactRoutes(v1);
  registerCompanyRoutes(v1);
  registerLeadRoutes(v1);
  registerPipelineRoutes(v1);
  registerDealRoutes(v1);
  registerActivityRoutes(v1);
  registerCustomFieldRoutes(v1);
  registerViewRoutes(v1);
  registerSearchRoutes(v1);
  registerKbRoutes(v1);
  registerBulkRoutes(v1);
  registerImportRoutes(v1);
  registerExportRoutes(v1);
  registerReportRoutes(v1);
  registerPbxRoutes(v1);
  registerCallRoutes(v1);
  registerCallCenterRoutes(v1);
  registerTicketRoutes(v1);
  registerSlaRoutes(v1);
  registerCsatRoutes(v1);
  registerNotificationRoutes(v1);
  registerDevMailboxRoutes(v1);
  registerOpenApiDocument(v1);
  return v1;
}

export function createApiApp() {
  const app = new Hono<AppEnv>();

  app.use("*", async (c, next) => {
    const started = performance.now();
    const incoming = c.req.header("x-request-id");
    const requestId =
      incoming && REQUEST_ID_PATTERN.test(incoming) ? incoming : crypto.randomUUID();
    const config = readConfig(c.env);
    const database = new Database(config.DATABASE_URL, config.NEON_LOCAL_PROXY);
    c.set("requestId", requestId);
    c.set("config", config);
    c.set("database", database);
    c.set("meta", requestMetaOf(c.req.raw, requestId));
    c.set("logContext", {});
    try {
      await next();
    } finally {
      c.executionCtx.waitUntil(database.close());
      if (c.res.status !== 101) {
        c.res.headers.set("X-Request-Id", requestId);
        c.res.headers.append("Server-Timing", database.serverTiming());
        c.res.headers.append(
          "Server-Timing",
          `total;dur=${(performance.now() - started).toFixed(1)}`,
        );
        applySecurityHeaders(c.res.headers, c.req.path === "/api/docs" ? docsCsp : API_CSP);
      }
      logRequest({
        requestId,
        method: c.req.method,
        route: c.req.routePath,
        path: c.req.path,
        status: c.res.status,
        durationMs: Math.round(performance.now() - started),
        ...c.var.logContext,
      });
    }
  });

  app.use(
    "/api/*",
    cors({
      origin: (origin, c) => (readConfig(c.env).ALLOWED_ORIGINS.includes(origin) ? origin : null),
      credentials: true,
      allowHeaders: ["Authorization", "Content-Type", "X-Request-Id"],
      allowMethods: ["GET", "POST", "PATCH", "PUT", "DELETE", "OPTIONS"],
      exposeHeaders: [
        "X-Request-Id",
        "RateLimit-Limit",
        "RateLimit-Remaining",
        "RateLimit-Reset",
        "Retry-After",
      ],
      maxAge: 600,
    }),
  );

  const importBodyLimit = limitBody(MAX_IMPORT_BODY_BYTES);
  const apiBodyLimit = limitBody(MAX_BODY_BYTES);
  const mediaBodyLimit = limitBody(MAX_MEDIA_BODY_BYTES);
  app.use("/api/*", (c, next) => {
    if (c.req.path === "/api/v1/imports") return importBodyLimit(c, next);
    if (isMediaUpload(c.req.method, c.req.path, c.req.header("content-type"))) {
      return mediaBodyLimit(c, next);
    }
    return apiBodyLimit(c, next);
  });
  app.use("/api/*", rejectUnstorableInput);
  app.use("/webhooks/*", limitBody(MAX_WEBHOOK_BYTES));
  app.use("/webchat/*", limitBody(MAX_WEBCHAT_BODY_BYTES));
  app.use("/webchat/*", rejectUnstorableInput);

  app.route("/api/v1", v1Routes());
  registerWhatsAppWebhookRoutes(app);
  registerWebchatRoutes(app);
  registerApiReference(app);

  app.notFound((c) =>
    c.json(
      failure(`No route for ${c.req.method} ${c.req.path}.`, "not_found", c.var.requestId),
      404,
    ),
  );

  app.onError((error, c) => {
    const requestId = c.var.requestId ?? "unknown";
    if (error instanceof ApiError) {
      for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
      return c.json(failure(error.message, error.code, requestId, error.fieldErrors), error.status);
    }
    if (error instanceof HTTPException) {
      const { status, code, message } = describeHttpException(error);
      return c.json(failure(message, code, requestId), status);
    }
    logError(requestId, error);
    return c.json(failure("Something went wrong on our side.", "internal_error", requestId), 500);
  });

  return app;
}

/** A file sent from the inbox (`POST /api/v1/conversations/:id/messages`, multipart). */
function isMediaUpload(method: string, path: string, contentType: string | undefined) {
  return (
    method === "POST" &&
    /^\/api\/v1\/conversations\/[^/]+\/messages$/.test(path) &&
    /^multipart\/form-data/i.test(contentType ?? "")
  );
}

function limitBody(maxSize: number) {
  return bodyLimit({
    maxSize,
    onError: () => {
      throw new ApiError(
        413,
        "payload_too_large",
        `The request body is larger than ${maxSize} bytes.`,
      );
    },
  });
}

/** Hono's own 4xx (malformed JSON, wrong content type) in our envelope. */
function describeHttpException(error: HTTPException) {
  switch (error.status) {
    case 400:
      return {
        status: 400 as const,
        code: "invalid_json",
        message: "The request body is not valid JSON.",
      };
    case 415:
      return {
        status: 415 as const,
        code: "unsupported_media_type",
        message: "Send the body as application/json.",
      };
    case 413:
      return {
        status: 413 as const,
        code: "payload_too_large",
        message: "The request body is too large.",
      };
    default:
      return {
        status: error.status,
        code: "bad_request",
        message: error.message || "Bad request.",
      };
  }
}

const docsCsp =
  "default-src 'none'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; font-src https://fonts.gstatic.com https://cdn.jsdelivr.net data:; img-src 'self' data: https:; connect-src 'self'; frame-ancestors 'none'";
