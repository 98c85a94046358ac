import type { Env } from "../env";
import type { PublishedEvent, PublishStamps } from "./events";

/**
 * Delivers events to everyone connected to the organization's room. Call only after commit:
 * the time of the call is stamped on the events as their commit time (`trace.committed`).
 * One RPC to the room, addressed by name (no separate set-up call first).
 */
export async function publishToOrg(
  env: Env,
  orgId: string,
  events: PublishedEvent[],
  stamps?: Omit<PublishStamps, "committedAt">,
) {
  if (events.length === 0) return;
  const committedAt = Date.now();
  await env.TENANT_ROOM.getByName(orgId).publish(events, { ...stamps, committedAt });
}
