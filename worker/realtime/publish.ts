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

/** Who has the app open in the organization right now (user ids), from its room. */
export async function onlineMembers(env: Env, orgId: string): Promise<Set<string>> {
  const users = await env.TENANT_ROOM.getByName(orgId).presence();
  return new Set(users.map((user) => user.userId));
}
