import { inArray } from "drizzle-orm";
import { contacts } from "../db/crm-schema";
import type { UnitOfWork } from "../lib/unit-of-work";
import { notify } from "../notifications/service";
import type { CallView } from "./call-view";

/*
 * A missed inbound call tells someone (issue 10): the agent whose phone rang, or, when it rang
 * no one in particular (a queue that nobody answered), the contact's owner. One notice per call,
 * in the same unit of work that stored the call's end; a replayed `call.ended` changes nothing,
 * so it tells no one twice.
 */
export async function notifyMissedCalls(unit: UnitOfWork, missed: CallView[]) {
  if (missed.length === 0) return;
  const unrung = missed.flatMap((call) => (!call.agent && call.contact ? [call.contact.id] : []));
  const owners =
    unrung.length === 0
      ? new Map<string, string | null>()
      : new Map(
          (
            await unit.tx
              .select({ id: contacts.id, ownerId: contacts.ownerId })
              .from(contacts)
              .where(inArray(contacts.id, unrung))
          ).map((row) => [row.id, row.ownerId]),
        );
  for (const call of missed) {
    const recipient = call.agent?.id ?? (call.contact ? owners.get(call.contact.id) : null);
    if (!recipient) continue;
    const caller = call.contact?.name ?? call.fromName ?? call.customerNumber ?? call.fromNumber;
    await notify(unit, [recipient], {
      kind: "missed_call",
      title: `Missed call from ${caller}`,
      body: call.queue ? `Queue ${call.queue}` : call.customerNumber,
      link: `/app/calls/${call.id}`,
    });
  }
}
