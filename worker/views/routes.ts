import type { createRouter } from "../lib/hono";

// Placeholder until this domain's routes land (CRM issue); registered in worker/app.ts.
export function registerViewRoutes(_app: ReturnType<typeof createRouter>) {}
