import { z } from "@hono/zod-openapi";
import { httpUrlSchema } from "../../shared/http-url";

/*
 * The channels API's shapes. Secrets are accepted on create and update and never returned:
 * the answer says only whether each one is set.
 */

const name = z.string().trim().min(1, "Name the channel.").max(80);
/** Meta's ids are digit strings (phone number id, WhatsApp Business Account id). */
const metaId = (label: string) =>
  z
    .string()
    .trim()
    .regex(/^\d{5,32}$/, `Expected the ${label} from Meta's dashboard (digits only).`);
const secret = z.string().trim().min(8, "At least 8 characters.").max(1024);

/** An origin the chat may be embedded on: scheme, host and port only, as browsers send it. */
const originSchema = httpUrlSchema.transform((value, ctx) => {
  const url = new URL(value);
  if (url.pathname !== "/" || url.search || url.hash || url.username || url.password) {
    ctx.addIssue({
      code: "custom",
      message: "Expected an origin such as https://www.example.com (no path).",
    });
    return z.NEVER;
  }
  return url.origin;
});

const allowedOrigins = z.array(originSchema).min(1, "Name at least one website.").max(20);
const greeting = z.string().trim().max(500).nullable();

/** Automatic assignment of new conversations to a team's members; null turns it off. */
export const assignmentSchema = z
  .object({
    teamId: z.string().uuid(),
    mode: z.enum(["round_robin", "balanced"]),
    maxOpenPerAgent: z.number().int().min(1).max(1000).nullable().default(null),
  })
  .strict()
  .nullable()
  .openapi("ChannelAssignment");

export const createWhatsAppChannelSchema = z
  .object({
    type: z.literal("whatsapp"),
    name,
    phoneNumberId: metaId("phone number id"),
    wabaId: metaId("WhatsApp Business Account id"),
    accessToken: secret,
    appSecret: secret,
    verifyToken: secret,
    assignment: assignmentSchema.default(null),
  })
  .strict();

export const createWebchatChannelSchema = z
  .object({
    type: z.literal("webchat"),
    name,
    allowedOrigins,
    greeting: greeting.default(null),
    preChatForm: z.boolean().default(false),
    identitySecret: secret.optional(),
    assignment: assignmentSchema.default(null),
  })
  .strict();

/** The fields each channel type has beyond `type` and `name` (an update may change only these). */
export const CHANNEL_FIELDS = {
  whatsapp: Object.keys(createWhatsAppChannelSchema.shape).filter(isChannelField),
  webchat: Object.keys(createWebchatChannelSchema.shape).filter(isChannelField),
};
function isChannelField(key: string) {
  return key !== "type" && key !== "name";
}

/** Every channel credential: written, never returned, never echoed back into a form. */
export const CHANNEL_SECRET_NAMES = [
  "accessToken",
  "appSecret",
  "verifyToken",
  "identitySecret",
] as const;

export const createChannelBodySchema = z
  .discriminatedUnion("type", [createWhatsAppChannelSchema, createWebchatChannelSchema])
  .openapi("CreateChannelRequest");
export type CreateChannelBody = z.infer<typeof createChannelBodySchema>;

/** Any field of either type; the service refuses the ones the channel's type does not have. */
export const updateChannelBodySchema = z
  .object({
    name: name.optional(),
    phoneNumberId: metaId("phone number id").optional(),
    wabaId: metaId("WhatsApp Business Account id").optional(),
    accessToken: secret.optional(),
    appSecret: secret.optional(),
    verifyToken: secret.optional(),
    allowedOrigins: allowedOrigins.optional(),
    greeting: greeting.optional(),
    preChatForm: z.boolean().optional(),
    /** null removes it (identity validation off). */
    identitySecret: secret.nullable().optional(),
    assignment: assignmentSchema.optional(),
  })
  .strict()
  .openapi("UpdateChannelRequest");
export type UpdateChannelBody = z.infer<typeof updateChannelBodySchema>;

export const channelSchema = z
  .object({
    id: z.string(),
    type: z.enum(["whatsapp", "webchat"]),
    name: z.string(),
    /** WhatsApp: where Meta sends webhooks (paste it into the app's webhook settings). */
    webhookUrl: z.string().nullable(),
    phoneNumberId: z.string().nullable(),
    wabaId: z.string().nullable(),
    /** Website chat: the sites that may embed it, the greeting, the pre-chat form. */
    allowedOrigins: z.array(z.string()).nullable(),
    greeting: z.string().nullable(),
    preChatForm: z.boolean().nullable(),
    /** Website chat: the script tag to paste into the site. */
    embedSnippet: z.string().nullable(),
    /** Who takes new conversations automatically; null: they arrive unassigned. */
    assignment: z
      .object({
        teamId: z.string(),
        mode: z.enum(["round_robin", "balanced"]),
        maxOpenPerAgent: z.number().int().nullable(),
      })
      .nullable(),
    /** Which secrets are set (their values are never returned). */
    secrets: z.object({
      accessToken: z.boolean(),
      appSecret: z.boolean(),
      verifyToken: z.boolean(),
      identitySecret: z.boolean(),
    }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Channel");
export type ChannelView = z.infer<typeof channelSchema>;

export const templateSchema = z
  .object({
    name: z.string(),
    language: z.string(),
    category: z.string(),
    body: z.string(),
    parameterCount: z.number().int(),
  })
  .openapi("MessageTemplate");
