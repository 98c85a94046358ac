import type { MessageStatus } from "./inbox";

/*
 * The website chat's visitor protocol, shared by the Worker (worker/webchat/) and the widget
 * (widget/), which takes no zod: plain types only. See docs/decisions/029-website-chat.md.
 */

/** A message as the visitor sees it: never a private note, no team-only fields. */
export interface VisitorMessage {
  id: string;
  /** `incoming`: the visitor wrote it; `outgoing`: the team's reply. */
  direction: "incoming" | "outgoing";
  body: string;
  /** The agent who replied (their name), null for the visitor's own. */
  author: string | null;
  status: MessageStatus;
  sentAt: string;
  /**
   * A file the team sent (the body is its caption): `url` is signed for this visitor and
   * expires within two hours; a fresh one comes with every read of the conversation.
   */
  media?: {
    kind: "image" | "document" | "audio" | "video";
    mimeType: string;
    filename: string | null;
    size: number | null;
    url?: string;
  };
}

export interface VisitorConversation {
  id: string;
  status: "open" | "pending" | "snoozed" | "resolved";
}

/** `POST /webchat/:channelId/session`'s answer. */
export interface VisitorSession {
  visitorToken: string;
  greeting: string | null;
  preChatForm: boolean;
  agentsOnline: boolean;
  /** What the visitor told the chat (pre-chat form or the site's `SwitchboardChat`). */
  visitor: { name: string | null; email: string | null; identified: boolean };
  conversation: VisitorConversation | null;
  messages: VisitorMessage[];
}

/** Frames the visitor's socket receives (`/webchat/:channelId/socket`). */
export type VisitorEvent =
  | { type: "message.created"; message: VisitorMessage }
  /** An agent is writing a reply (sent at most every two seconds while they type). */
  | { type: "typing"; author: string }
  | { type: "pong" };

/** Frames the widget sends on its socket (the Worker checks them with zod). */
export type VisitorFrame =
  | { type: "ping" }
  /** The visitor is writing (at most every two seconds while they type). */
  | { type: "typing" };

/** Close code: the token was refused (start a new session). */
export const VISITOR_CLOSE_REFUSED = 4001;
