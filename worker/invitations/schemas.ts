import { z } from "@hono/zod-openapi";
import { emailSchema, passwordSchema, personNameSchema, roleSchema } from "../auth/schemas";

export const createInvitationBodySchema = z
  .object({ email: emailSchema, role: roleSchema })
  .strict()
  .openapi("CreateInvitationRequest");

export const acceptInvitationBodySchema = z
  .object({
    token: z.string().min(1).max(256),
    name: personNameSchema.optional(),
    password: passwordSchema.optional(),
  })
  .strict()
  .openapi("AcceptInvitationRequest");
