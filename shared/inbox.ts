/*
 * The inbox's vocabulary, shared by the Worker and the app as plain constants.
 */

/** Where conversations come from. */
export const CHANNEL_TYPES = ["whatsapp", "webchat"] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];
