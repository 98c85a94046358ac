import type { AriEvent } from "../../simulator/index";

interface ChannelLike {
  id: string;
  name: string;
}

const FINAL_DIAL_STATUSES = ["ANSWER", "BUSY", "NOANSWER", "CHANUNAVAIL", "CONGESTION", "CANCEL"];

/** The channel an event is about: `channel`, or `peer` for Dial. */
export function channelOf(event: AriEvent): ChannelLike | undefined {
  const channel = (event.type === "Dial" ? event.peer : event.channel) as ChannelLike | undefined;
  return channel;
}

export function eventsOfChannel(events: AriEvent[], channelId: string): AriEvent[] {
  return events.filter((event) => channelOf(event)?.id === channelId);
}

export function typesOfChannel(events: AriEvent[], channelId: string): string[] {
  return eventsOfChannel(events, channelId).map((event) => event.type);
}

export function dialStatuses(events: AriEvent[], channelId: string): string[] {
  return eventsOfChannel(events, channelId)
    .filter((event) => event.type === "Dial")
    .map((event) => String(event.dialstatus));
}

/** Ids of the channels whose name starts with `prefix` (e.g. "PJSIP/1001-"), first seen first. */
export function channelIdsNamed(events: AriEvent[], prefix: string): string[] {
  const ids = events.flatMap((event) => {
    const channel = channelOf(event);
    return channel?.name.startsWith(prefix) ? [channel.id] : [];
  });
  return [...new Set(ids)];
}

export function firstOfType(events: AriEvent[], type: string, channelId?: string): AriEvent {
  const found = events.find(
    (event) => event.type === type && (!channelId || channelOf(event)?.id === channelId),
  );
  if (!found) throw new Error(`no ${type} event${channelId ? ` for ${channelId}` : ""}`);
  return found;
}

/** Breaks of Asterisk's per-channel event order, as readable problems (empty when fine). */
export function channelOrderProblems(events: AriEvent[]): string[] {
  const ids = new Set(events.flatMap((event) => channelOf(event)?.id ?? []));
  return [...ids].flatMap((id) => problemsOfChannel(id, eventsOfChannel(events, id)));
}

function problemsOfChannel(id: string, events: AriEvent[]): string[] {
  const problems: string[] = [];
  const types = events.map((event) => event.type);
  const created = types.indexOf("ChannelCreated");
  if (created > 0) problems.push(`${id}: ChannelCreated is not its first event`);
  const destroyed = types.indexOf("ChannelDestroyed");
  if (destroyed >= 0 && destroyed !== types.length - 1) {
    problems.push(`${id}: events after ChannelDestroyed`);
  }
  const stasisStart = types.indexOf("StasisStart");
  const stasisEnd = types.indexOf("StasisEnd");
  if (stasisEnd >= 0 && (stasisStart < 0 || stasisEnd < stasisStart)) {
    problems.push(`${id}: StasisEnd without an earlier StasisStart`);
  }
  problems.push(...dialProblems(id, events, stasisStart));
  problems.push(...bridgeMembershipProblems(id, types));
  return problems;
}

function dialProblems(id: string, events: AriEvent[], stasisStart: number): string[] {
  const dials = events.flatMap((event, index) =>
    event.type === "Dial" ? [{ index, status: String(event.dialstatus) }] : [],
  );
  if (dials.length === 0) return [];
  const problems: string[] = [];
  if (dials[0]?.status !== "") problems.push(`${id}: first Dial status is not ""`);
  const finals = dials.filter((dial) => FINAL_DIAL_STATUSES.includes(dial.status));
  if (finals.length > 1) problems.push(`${id}: more than one final Dial status`);
  const last = dials.at(-1);
  if (finals.length === 1 && finals[0] !== last)
    problems.push(`${id}: Dial after its final status`);
  if (stasisStart >= 0 && (last?.status !== "ANSWER" || last.index > stasisStart)) {
    problems.push(`${id}: StasisStart before Dial ANSWER`);
  }
  return problems;
}

function bridgeMembershipProblems(id: string, types: string[]): string[] {
  const membership = types.filter(
    (type) => type === "ChannelEnteredBridge" || type === "ChannelLeftBridge",
  );
  const alternates = membership.every(
    (type, index) => type === (index % 2 === 0 ? "ChannelEnteredBridge" : "ChannelLeftBridge"),
  );
  return alternates ? [] : [`${id}: bridge enter/leave out of order`];
}
