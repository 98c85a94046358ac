import { z } from "@hono/zod-openapi";
import { roleSchema } from "../auth/schemas";

export const createApiKeyBodySchema = z
  .object({ name: z.string().trim().min(1, "Name the key.").max(80), role: roleSchema })
  .strict()
  .openapi("CreateApiKeyRequest");
