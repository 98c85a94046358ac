import { z } from "@hono/zod-openapi";
import {
  type CountryCode,
  isSupportedCountry,
  parsePhoneNumberFromString,
} from "libphonenumber-js";

/** Numbers written without a country code are read as numbers of this country by default. */
export const DEFAULT_PHONE_COUNTRY: CountryCode = "US";

/** An ISO 3166 alpha-2 country that libphonenumber knows ("us" is accepted as "US"). */
export const countryCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .refine(isSupportedCountry, "Expected a two-letter country code, e.g. US or DE.")
  .transform((value) => value as CountryCode);

/**
 * The E.164 form of a number as typed ("(415) 555-0132", "004930 1234567"...), read in
 * `defaultCountry` when it carries no country code; null when it is not a possible number.
 * Extensions are dropped: E.164 has none (the caller keeps the raw text).
 */
export function toE164(raw: string, defaultCountry: CountryCode): string | null {
  const parsed = parsePhoneNumberFromString(raw, defaultCountry);
  return parsed?.isPossible() ? parsed.number : null;
}

export const UNREADABLE_PHONE = "Not a phone number we can read; include the country code.";
