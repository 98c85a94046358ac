import type { CountryCode } from "libphonenumber-js";
import type { ContactEmail, ContactPhone } from "../db/crm-schema";
import type { FieldErrors } from "../lib/errors";
import { DEFAULT_PHONE_COUNTRY, toE164, UNREADABLE_PHONE } from "./phones";

/*
 * A contact's e-mail addresses and phone numbers ("channels"), from what a person typed to
 * what is stored: lower-cased addresses, E.164 numbers (raw text kept), exactly one primary
 * per list, no duplicates. Pure: the API and the CSV import both use it.
 */

interface EntryInput {
  primary?: boolean | undefined;
  label?: string | undefined;
}

/** What a create/update body (or an import row) may carry; blank shorthands are ignored. */
export interface ContactChannelsInput {
  email?: string | null | undefined;
  emails?: readonly (EntryInput & { email: string })[] | undefined;
  phone?: string | null | undefined;
  phones?: readonly (EntryInput & { raw: string })[] | undefined;
}

/** The stored column values; a list is present only when the input named it. */
export interface ContactChannels {
  emails?: ContactEmail[];
  emailAddresses?: string[];
  phones?: ContactPhone[];
  phoneNumbers?: string[];
}

export type NormalizedChannels =
  | { ok: true; values: ContactChannels }
  | { ok: false; errors: FieldErrors };

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

type Read<T> = { key: string; entry: T } | { error: string };

/** One list: reports unreadable and repeated entries, then makes sure one entry is primary. */
function normalizeList<T extends { primary: boolean }>(
  reads: { path: string; read: Read<T> }[],
  listField: string,
  errors: FieldErrors,
): T[] {
  const seen = new Set<string>();
  const entries: T[] = [];
  for (const { path, read } of reads) {
    if ("error" in read) errors[path] = [read.error];
    else if (seen.has(read.key)) errors[path] = ["Listed twice."];
    else {
      seen.add(read.key);
      entries.push(read.entry);
    }
  }
  const primaries = entries.filter((entry) => entry.primary).length;
  if (primaries > 1) errors[listField] = ["Mark only one as primary."];
  if (primaries === 0 && entries[0]) entries[0] = { ...entries[0], primary: true };
  return entries;
}

function withLabel<T extends object>(entry: T, label: string | undefined): T & { label?: string } {
  const trimmed = label?.trim();
  return trimmed ? { ...entry, label: trimmed } : entry;
}

function readEmail(input: EntryInput & { email: string }): Read<ContactEmail> {
  const email = input.email.trim().toLowerCase();
  if (!EMAIL_PATTERN.test(email) || email.length > 254)
    return { error: "Enter an e-mail address." };
  return { key: email, entry: withLabel({ email, primary: input.primary === true }, input.label) };
}

function readPhone(
  input: EntryInput & { raw: string },
  defaultCountry: CountryCode,
): Read<ContactPhone> {
  const raw = input.raw.trim();
  const e164 = toE164(raw, defaultCountry);
  if (!e164) return { error: UNREADABLE_PHONE };
  return {
    key: e164,
    entry: withLabel({ raw, e164, primary: input.primary === true }, input.label),
  };
}

/** The shorthand (one primary value, reported on its own field) or the list (`field.N`). */
function entriesOf<T>(
  shorthand: string | null | undefined,
  list: readonly T[] | undefined,
  fields: { one: string; many: string },
  fromShorthand: (value: string) => T,
): { path: string; input: T }[] | undefined {
  if (shorthand?.trim()) return [{ path: fields.one, input: fromShorthand(shorthand) }];
  return list?.map((input, index) => ({ path: `${fields.many}.${index}`, input }));
}

function normalizeEmails(input: ContactChannelsInput, errors: FieldErrors): ContactChannels {
  const fields = { one: "email", many: "emails" };
  const entries = entriesOf(input.email, input.emails, fields, (email) => ({
    email,
    primary: true,
  }));
  if (!entries) return {};
  const reads = entries.map(({ path, input }) => ({ path, read: readEmail(input) }));
  const emails = normalizeList(reads, "emails", errors);
  return { emails, emailAddresses: emails.map((entry) => entry.email) };
}

function normalizePhones(
  input: ContactChannelsInput,
  defaultCountry: CountryCode,
  errors: FieldErrors,
): ContactChannels {
  const fields = { one: "phone", many: "phones" };
  const entries = entriesOf(input.phone, input.phones, fields, (raw) => ({ raw, primary: true }));
  if (!entries) return {};
  const reads = entries.map(({ path, input }) => ({
    path,
    read: readPhone(input, defaultCountry),
  }));
  const phones = normalizeList(reads, "phones", errors);
  return { phones, phoneNumbers: phones.flatMap((entry) => (entry.e164 ? [entry.e164] : [])) };
}

/**
 * Normalises e-mail addresses and phone numbers for storage. `email` / `phone` are shorthands
 * for a one-entry primary list; numbers without a country code are read in `defaultCountry`.
 * Returns the column values (`emails` + `emailAddresses`, `phones` + `phoneNumbers`, only for
 * the lists the input named) or field errors keyed like the input (`phones.1`, `email`...).
 */
export function normalizeContactInput(
  input: ContactChannelsInput,
  defaultCountry: CountryCode = DEFAULT_PHONE_COUNTRY,
): NormalizedChannels {
  const errors: FieldErrors = {};
  if (input.email?.trim() && input.emails) errors.email = ["Send either email or emails."];
  if (input.phone?.trim() && input.phones) errors.phone = ["Send either phone or phones."];
  const values = {
    ...normalizeEmails(input, errors),
    ...normalizePhones(input, defaultCountry, errors),
  };
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, values };
}
