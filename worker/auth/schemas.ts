import { z } from "@hono/zod-openapi";
import { ROLES } from "./permissions";

export const emailSchema = z.string().trim().toLowerCase().email().max(254);
/** OWASP: at least 8 characters, no composition rules, long passphrases allowed. */
export const passwordSchema = z.string().min(8, "Use at least 8 characters.").max(256);
export const personNameSchema = z.string().trim().min(1, "Enter a name.").max(120);
export const roleSchema = z.enum(ROLES);

export const signupBodySchema = z
  .object({
    email: emailSchema,
    password: passwordSchema,
    name: personNameSchema,
    organizationName: z.string().trim().min(1, "Enter your organization's name.").max(120),
  })
  .strict()
  .openapi("SignupRequest");

/** What sign-up answers, whether or not the address already had an account (finding L4). */
export const SIGNUP_ANSWER =
  "Check your inbox: we sent an email to this address. Then sign in with it and your password.";

export const signupResultSchema = z.object({ email: z.string() }).openapi("SignupResult");

export const loginBodySchema = z
  .object({
    email: emailSchema,
    password: z.string().min(1, "Enter your password.").max(256),
    organizationId: z.string().uuid().optional(),
  })
  .strict()
  .openapi("LoginRequest");

export const switchOrganizationBodySchema = z
  .object({ organizationId: z.string().uuid() })
  .strict()
  .openapi("SwitchOrganizationRequest");

export const refreshBodySchema = z
  .object({ refreshToken: z.string().min(1).max(512).optional() })
  .strict()
  .openapi("RefreshRequest");

export const userSchema = z
  .object({ id: z.string(), email: z.string(), name: z.string() })
  .openapi("User");
export const organizationSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    slug: z.string(),
    defaultCountry: z.string().openapi({
      description: "ISO 3166 alpha-2: national phone numbers are read in this country",
      example: "GB",
    }),
    timeZone: z.string().openapi({ description: "IANA time zone", example: "Europe/London" }),
    currency: z.string().openapi({
      description: "ISO 4217: deals without a currency are in it",
      example: "GBP",
    }),
    csatEnabled: z.boolean().openapi({
      description: "Solved tickets email their requester a satisfaction survey (CSAT)",
    }),
  })
  .openapi("Organization");

export const authResultSchema = z
  .object({
    user: userSchema,
    organization: organizationSchema,
    role: roleSchema,
    accessToken: z.string(),
    refreshToken: z.string(),
    expiresIn: z.number().int(),
  })
  .openapi("AuthResult");

export const meSchema = z
  .object({
    user: userSchema
      .extend({
        emailVerified: z
          .boolean()
          .openapi({ description: "Whether the person opened the link sent to their address" }),
      })
      .nullable(),
    apiKey: z.object({ id: z.string(), name: z.string() }).nullable(),
    organization: organizationSchema.extend({
      supportEmail: z.string().openapi({
        description: "Where customers write to open a ticket (Email Routing)",
        example: "acme-x1y2@support.example.com",
      }),
    }),
    role: roleSchema,
    permissions: z.array(z.string()),
    organizations: z.array(organizationSchema.extend({ role: roleSchema })),
  })
  .openapi("Me");

export const forgotPasswordBodySchema = z
  .object({ email: emailSchema })
  .strict()
  .openapi("ForgotPasswordRequest");

export const resetPasswordBodySchema = z
  .object({ token: z.string().min(1, "The link has no token.").max(256), password: passwordSchema })
  .strict()
  .openapi("ResetPasswordRequest");

export const verifyEmailBodySchema = z
  .object({ token: z.string().min(1, "The link has no token.").max(256) })
  .strict()
  .openapi("VerifyEmailRequest");

export const updateMeBodySchema = z
  .object({ name: personNameSchema })
  .strict()
  .openapi("UpdateMeRequest");

export const changeEmailBodySchema = z
  .object({
    newEmail: emailSchema,
    password: z.string().min(1, "Enter your current password.").max(256),
  })
  .strict()
  .openapi("ChangeEmailRequest");

export const confirmEmailChangeBodySchema = z
  .object({ token: z.string().min(1, "The link has no token.").max(256) })
  .strict()
  .openapi("ConfirmEmailChangeRequest");

export const changePasswordBodySchema = z
  .object({
    currentPassword: z.string().min(1, "Enter your current password.").max(256),
    newPassword: passwordSchema,
  })
  .strict()
  .openapi("ChangePasswordRequest");
