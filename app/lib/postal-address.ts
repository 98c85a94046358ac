import type { PostalAddress } from "../../shared/crm";

/*
 * A company's postal address as the record page and the "New company" form handle it: five
 * inputs named `address.street`, `address.city`... posted together, and one block to read.
 */

export const ADDRESS_PARTS = [
  { key: "street", label: "Street" },
  { key: "city", label: "City" },
  { key: "region", label: "Region" },
  { key: "postalCode", label: "Postal code" },
  { key: "country", label: "Country" },
] as const satisfies readonly { key: keyof PostalAddress; label: string }[];

/** The form field of one part of the address field `field` ("address.city"). */
export function addressInputName(field: string, part: keyof PostalAddress): string {
  return `${field}.${part}`;
}

/** A record's address value, whatever the record holds. */
export function asAddress(value: unknown): PostalAddress {
  return typeof value === "object" && value !== null ? (value as PostalAddress) : {};
}

/** The address a form posted: trimmed parts, blank ones left out (`{}` clears it). */
export function addressFromForm(values: Record<string, string>, field: string): PostalAddress {
  const address: PostalAddress = {};
  for (const { key } of ADDRESS_PARTS) {
    const part = values[addressInputName(field, key)]?.trim();
    if (part) address[key] = part;
  }
  return address;
}

/** The lines of a postal block: street; city, region and postal code; country. */
export function addressLines(address: PostalAddress): string[] {
  const regionLine = [address.region, address.postalCode].filter(Boolean).join(" ");
  const cityLine = [address.city, regionLine].filter(Boolean).join(", ");
  return [address.street, cityLine, address.country].filter((line): line is string =>
    Boolean(line),
  );
}
