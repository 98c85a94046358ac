import type { TicketStatus } from "../../shared/desk";
import {
  customFieldDefinitionsFor,
  missingRequired,
  validateCustomValues,
} from "../custom-fields/validate";
import type { customFieldDefinitions } from "../db/crm-schema";
import type { tickets } from "../db/desk-schema";
import type { TenantScope } from "../lib/scope";

/*
 * A ticket's custom fields (Settings → Fields → Tickets). Tickets arrive from email, the
 * request form and the inbox with none of them filled in, so a required field is required to
 * solve, as in Zendesk: creating and editing leave it optional; a write that solves or closes
 * the ticket, or edits the fields of a solved one, needs every required field filled.
 */

type Definition = typeof customFieldDefinitions.$inferSelect;
type TicketRow = typeof tickets.$inferSelect;

const DONE: readonly TicketStatus[] = ["solved", "closed"];
const REASON = "to solve the ticket";

/** Whether this status change leaves the ticket solved or closed where it was not. */
export function solves(status: TicketStatus | undefined, current: TicketStatus | undefined) {
  return status !== undefined && DONE.includes(status) && status !== current;
}

/**
 * The custom values a create or an update stores (undefined: left as they are), checked
 * against the ticket fields, with the required ones when the ticket ends up solved.
 */
export async function ticketCustomValues(
  scope: TenantScope,
  input: { custom?: Record<string, unknown> | undefined; status?: TicketStatus | undefined },
  current?: Pick<TicketRow, "custom" | "status">,
): Promise<Record<string, unknown> | undefined> {
  const after = input.status ?? current?.status ?? "new";
  const enforce =
    DONE.includes(after) && (input.custom !== undefined || solves(input.status, current?.status));
  if (input.custom === undefined && !enforce) return undefined;
  const values = await validateCustomValues(
    scope,
    "ticket",
    input.custom,
    current?.custom ?? {},
    undefined,
    { enforce, reason: REASON },
  );
  return input.custom === undefined ? undefined : values;
}

/** The ticket fields, when a bulk change solves (else none are needed). */
export async function fieldsToSolve(
  scope: TenantScope,
  status: TicketStatus | undefined,
): Promise<Definition[]> {
  return status && DONE.includes(status) ? customFieldDefinitionsFor(scope, "ticket") : [];
}

/** Why a ticket cannot be solved as it stands (its empty required fields), or null. */
export function unsolvableReason(
  definitions: readonly Definition[],
  ticket: Pick<TicketRow, "custom">,
): string | null {
  const missing = missingRequired(definitions, ticket.custom);
  if (missing.length === 0) return null;
  return `Fill in ${missing.map((definition) => definition.label).join(", ")} ${REASON}.`;
}
