import { getServerByName } from "partyserver";
import type { Env } from "../env";
import type { PublishedEvent } from "./events";

/** Delivers events to everyone connected to the organization's room. Call only after commit. */
export async function publishToOrg(env: Env, orgId: string, events: PublishedEvent[]) {
  if (events.length === 0) return;
  const room = await getServerByName(env.TENANT_ROOM, orgId);
  await room.publish(events);
}
