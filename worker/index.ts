import { createApiApp } from "./app";
import { handleInboundEmail } from "./email/inbound";
import type { Env } from "./env";
import { handleJobBatch, handleScheduled } from "./jobs/consumer";
import { renderPage } from "./remix";
import {
  handleInboundBatch,
  INBOUND_DEAD_LETTER_QUEUE,
  INBOUND_QUEUE,
} from "./whatsapp/inbound-queue";

export { PbxGateway } from "./pbx/pbx-gateway";
export { RateLimiter } from "./rate-limit/rate-limiter";
export { TenantRoom } from "./realtime/tenant-room";
export { VisitorRoom } from "./webchat/visitor-room";

const api = createApiApp();

function isApiPath(pathname: string): boolean {
  return (
    pathname === "/api" ||
    pathname.startsWith("/api/") ||
    pathname.startsWith("/webhooks/") ||
    pathname.startsWith("/webchat/")
  );
}

export default {
  fetch(request, env, ctx) {
    const { pathname } = new URL(request.url);
    return isApiPath(pathname) ? api.fetch(request, env, ctx) : renderPage(request, env, ctx);
  },
  queue(batch, env, ctx) {
    return batch.queue === INBOUND_QUEUE || batch.queue === INBOUND_DEAD_LETTER_QUEUE
      ? handleInboundBatch(batch, env, ctx)
      : handleJobBatch(batch, env, ctx);
  },
  scheduled(controller, env) {
    return handleScheduled(controller, env);
  },
  email(message, env, ctx) {
    return handleInboundEmail(message, env, ctx);
  },
} satisfies ExportedHandler<Env, unknown>;
