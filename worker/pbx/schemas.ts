import { z } from "@hono/zod-openapi";

export const createBridgeTokenBodySchema = z
  .object({ name: z.string().trim().min(1, "Name the token.").max(80) })
  .strict()
  .openapi("CreateBridgeTokenRequest");

export const bridgeTokenSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi("BridgeToken");

export const createdBridgeTokenSchema = bridgeTokenSchema
  .extend({
    token: z.string().openapi({ description: "Shown once; configure it as BRIDGE_TOKEN." }),
  })
  .openapi("CreatedBridgeToken");
