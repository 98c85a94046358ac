import { z } from "@hono/zod-openapi";
import { countryCodeSchema } from "../contacts/phones";

/*
 * An organization's name and defaults: the country national phone numbers are read in, its
 * time zone and the currency of deals that name none.
 */

const TIME_ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

/** The canonical IANA name ("europe/london" -> "Europe/London"), or null when unknown. */
export function canonicalTimeZone(value: string): string | null {
  if (!TIME_ZONE_NAME.test(value)) return null;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

let currencies: Set<string> | null = null;

/** ISO 4217 codes the runtime's Intl knows (every current currency). */
export function isIsoCurrency(value: string): boolean {
  currencies ??= new Set(Intl.supportedValuesOf("currency"));
  return currencies.has(value);
}

export const timeZoneSchema = z
  .string()
  .trim()
  .max(64)
  .transform((value, context) => {
    const canonical = canonicalTimeZone(value);
    if (canonical) return canonical;
    context.addIssue({
      code: "custom",
      message: "Expected an IANA time zone, e.g. Europe/London.",
    });
    return z.NEVER;
  });

export const isoCurrencySchema = z
  .string()
  .trim()
  .toUpperCase()
  .refine(isIsoCurrency, "Expected an ISO 4217 currency code, e.g. USD or EUR.");

export const updateOrganizationBodySchema = z
  .object({
    name: z.string().trim().min(1, "Enter your organization's name.").max(120).optional(),
    defaultCountry: countryCodeSchema.optional(),
    timeZone: timeZoneSchema.optional(),
    currency: isoCurrencySchema.optional(),
    /** Email a satisfaction survey to the requester when a ticket is solved. */
    csatEnabled: z.boolean().optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, { message: "Send at least one field to change." })
  .openapi("UpdateOrganizationRequest");

export type UpdateOrganizationBody = z.infer<typeof updateOrganizationBodySchema>;
