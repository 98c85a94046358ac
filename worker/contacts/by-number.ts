import { and, arrayContains, desc, isNull, type SQL, sql } from "drizzle-orm";
import type { Tx } from "../db/client";
import { contacts } from "../db/crm-schema";

/*
 * Who has a phone number: the one rule for the screen-pop, click-to-call and
 * `GET /contacts/lookup`. Live contacts holding the E.164 number (the GIN index on
 * phone_numbers), the one worked on most recently first, so the contact a call pops is the
 * first one a lookup lists.
 */

export function holdsNumber(e164: string | SQL) {
  const numbers = typeof e164 === "string" ? [e164] : sql`array[${e164}]::text[]`;
  return and(arrayContains(contacts.phoneNumbers, numbers), isNull(contacts.deletedAt));
}

export const mostRecentlyWorkedOn = [desc(contacts.updatedAt), desc(contacts.id)] as const;

/** The contact a call with this number belongs to, or null. */
export async function contactIdByNumber(tx: Tx, e164: string): Promise<string | null> {
  const [row] = await tx
    .select({ id: contacts.id })
    .from(contacts)
    .where(holdsNumber(e164))
    .orderBy(...mostRecentlyWorkedOn)
    .limit(1);
  return row?.id ?? null;
}
