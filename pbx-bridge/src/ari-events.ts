import { z } from "zod";

/*
 * The ARI WebSocket events the bridge acts on, validated for the fields it uses (names as in
 * Asterisk's events.json; unknown fields pass through unchecked). Other event types are
 * counted and ignored.
 */

const ariChannelSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  state: z.string(),
  caller: z.object({ name: z.string(), number: z.string() }),
  dialplan: z.object({ exten: z.string() }),
  channelvars: z.record(z.string(), z.unknown()).nullish(),
});
export type AriChannel = z.infer<typeof ariChannelSchema>;

const liveRecordingSchema = z.object({
  name: z.string().min(1),
  state: z.string(),
  duration: z.number().int().nullish(),
});

const channelEvent = <T extends string>(type: T) =>
  z.object({ type: z.literal(type), channel: ariChannelSchema });
const recordingEvent = <T extends string>(type: T) =>
  z.object({ type: z.literal(type), recording: liveRecordingSchema });

export const ariEventSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("StasisStart"),
    args: z.array(z.string()),
    channel: ariChannelSchema,
  }),
  channelEvent("StasisEnd"),
  channelEvent("ChannelStateChange"),
  channelEvent("ChannelHold"),
  channelEvent("ChannelUnhold"),
  z.object({
    type: z.literal("ChannelHangupRequest"),
    cause: z.number().int().nullish(),
    channel: ariChannelSchema,
  }),
  z.object({
    type: z.literal("ChannelDestroyed"),
    cause: z.number().int(),
    cause_txt: z.string(),
    channel: ariChannelSchema,
  }),
  z.object({ type: z.literal("Dial"), dialstatus: z.string(), peer: ariChannelSchema }),
  z.object({
    type: z.literal("ChannelTransfer"),
    refer_to: z.object({
      requested_destination: z.object({ destination: z.string().nullish() }),
    }),
    referred_by: z.object({ source_channel: ariChannelSchema }),
  }),
  recordingEvent("RecordingStarted"),
  recordingEvent("RecordingFinished"),
  recordingEvent("RecordingFailed"),
]);
export type AriEvent = z.infer<typeof ariEventSchema>;

const HANDLED_TYPES: ReadonlySet<string> = new Set(
  ariEventSchema.options.map((option) => option.shape.type.value),
);

const envelopeSchema = z.object({ type: z.string() });

export type ParsedAriMessage =
  | { kind: "event"; event: AriEvent }
  | { kind: "ignored"; type: string }
  | { kind: "invalid"; reason: string };

/** Parses one WebSocket text frame from ARI. */
export function parseAriMessage(raw: string): ParsedAriMessage {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { kind: "invalid", reason: "not JSON" };
  }
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) return { kind: "invalid", reason: "no type" };
  if (!HANDLED_TYPES.has(envelope.data.type)) return { kind: "ignored", type: envelope.data.type };
  const parsed = ariEventSchema.safeParse(json);
  if (!parsed.success) {
    return { kind: "invalid", reason: `${envelope.data.type}: ${parsed.error.issues[0]?.message}` };
  }
  return { kind: "event", event: parsed.data };
}
