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

const PHONE_LIKE = /^\+?[\d\s().-]+$/;
const MIN_PHONE_DIGITS = 6;

/** A search term that reads as a phone number (digits and separators, at least six digits). */
export function looksLikePhone(q: string): boolean {
  return PHONE_LIKE.test(q.trim()) && q.replace(/\D/g, "").length >= MIN_PHONE_DIGITS;
}

export interface PhoneQuery {
  /** The term read as a number of `defaultCountry` (or as written with a country code). */
  e164: string | null;
  /** Its digits without a national trunk prefix: matched inside stored E.164 numbers. */
  digits: string;
}

/** The E.164 form and digits of a search term that looks like a phone number, else null. */
export function phoneQuery(q: string, defaultCountry: CountryCode): PhoneQuery | null {
  if (!looksLikePhone(q)) return null;
  // A national trunk prefix ("020 ...") is not part of the stored international digits.
  return { e164: toE164(q, defaultCountry), digits: q.replace(/\D/g, "").replace(/^0+/, "") };
}
