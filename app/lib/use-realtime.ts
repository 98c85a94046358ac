import { WebSocket as ReconnectingWebSocket } from "partysocket";
import { startTransition, useCallback, useEffect, useRef, useState } from "react";
import { CLOSE_REVOKED, readServerEvent } from "../../shared/realtime";
import type { ClientMessage, PresenceUser, ServerEvent } from "../../worker/realtime/events";
import { refreshSession } from "./api-client";

export type RealtimeStatus = "connecting" | "live" | "reconnecting";
export type MemberUpdate = Extract<ServerEvent, { type: "member.updated" }>["member"];

/** Record changes, job progress and per-record viewers: what pages subscribe to. */
export type RecordEvent = Exclude<
  ServerEvent,
  { type: "presence.snapshot" | "presence.joined" | "presence.left" | "member.updated" | "pong" }
>;

interface RealtimeOptions {
  onEvent?: (event: RecordEvent) => void;
  /** A member joined, changed role or was (de)activated. */
  onMemberUpdated?: (member: MemberUpdate) => void;
  /** The session could not be renewed: the socket stops; the page should revalidate. */
  onSignedOut?: () => void;
}

const PING_INTERVAL_MS = 30_000;

/**
 * The organization's realtime channel (/api/v1/realtime, authenticated by the access cookie):
 * who is online now, and member changes. Reconnects with backoff; before reconnecting it makes
 * sure the access cookie is still valid, renewing it from the refresh cookie if not.
 */
export function useRealtime(options: RealtimeOptions = {}) {
  const [status, setStatus] = useState<RealtimeStatus>("connecting");
  const [online, setOnline] = useState<PresenceUser[]>([]);
  const optionsRef = useRef(options);
  optionsRef.current = options;
  const viewingRef = useRef<string | null>(null);
  const sendRef = useRef<(message: ClientMessage) => void>(() => {});

  useEffect(() => {
    let attempts = 0;
    let stopped = false;
    // The room closed us because our credential was revoked (role changed, signed out
    // elsewhere, deactivated): the access cookie is still unexpired but no longer accepted.
    let revoked = false;
    const socket = new ReconnectingWebSocket(
      async () => {
        attempts += 1;
        const renew = revoked;
        revoked = false;
        if (attempts > 1 && !(await ensureSession(renew))) {
          stopped = true;
          queueMicrotask(() => socket.close());
          optionsRef.current.onSignedOut?.();
        }
        const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
        return `${scheme}//${window.location.host}/api/v1/realtime`;
      },
      [],
      {
        minReconnectionDelay: 1000 + Math.random() * 1000,
        maxReconnectionDelay: 15_000,
        connectionTimeout: 8000,
      },
    );

    const send = (message: ClientMessage) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
    };

    // What the socket changes is rendered as a transition: an event that arrives while part of
    // the page is still hydrating (a lazily loaded surface) waits for it instead of making
    // React throw that part away and render it again on the client (React error #421).
    const onOpen = () => {
      startTransition(() => setStatus("live"));
      // A new socket has no per-record presence yet: say again what we are looking at.
      if (viewingRef.current) send({ type: "view", record: viewingRef.current });
    };
    const onClose = (event: CloseEvent) => {
      if (event.code === CLOSE_REVOKED) revoked = true;
      if (stopped) return;
      startTransition(() => {
        setStatus("reconnecting");
        setOnline([]);
      });
    };
    const onMessage = (message: MessageEvent) => {
      if (typeof message.data !== "string") return;
      const event = readServerEvent(message.data);
      if (event) startTransition(() => handle(event));
    };
    const handle = (event: ServerEvent) => {
      switch (event.type) {
        case "presence.snapshot":
          setOnline(byName(event.users));
          break;
        case "presence.joined":
          setOnline((users) => byName([...without(users, event.user.userId), event.user]));
          break;
        case "presence.left":
          setOnline((users) => without(users, event.userId));
          break;
        case "member.updated": {
          const { member } = event;
          setOnline((users) =>
            member.status === "deactivated"
              ? without(users, member.userId)
              : byName(
                  users.map((user) =>
                    user.userId === member.userId
                      ? { ...user, name: member.name, role: member.role }
                      : user,
                  ),
                ),
          );
          optionsRef.current.onMemberUpdated?.(member);
          break;
        }
        case "pong":
          break;
        default:
          // The rest is the pages' (RecordEvent: every event but presence, members and pong):
          // record changes, job progress, viewers and typing, calls, the inbox. One branch for
          // all of them keeps the shell's code small; a page ignores what it does not know.
          optionsRef.current.onEvent?.(event satisfies RecordEvent);
      }
    };

    socket.addEventListener("open", onOpen);
    socket.addEventListener("close", onClose);
    socket.addEventListener("message", onMessage);
    const ping = window.setInterval(() => send({ type: "ping" }), PING_INTERVAL_MS);
    sendRef.current = send;
    return () => {
      stopped = true;
      sendRef.current = () => {};
      window.clearInterval(ping);
      socket.removeEventListener("open", onOpen);
      socket.removeEventListener("close", onClose);
      socket.removeEventListener("message", onMessage);
      socket.close();
    };
  }, []);

  /**
   * Sends a message to the room: which record this tab shows (`view`, said again after a
   * reconnect), or that its member is typing in it.
   */
  const send = useCallback((message: ClientMessage) => {
    if (message.type === "view") viewingRef.current = message.record;
    sendRef.current(message);
  }, []);

  return { status, online, send };
}

function without(users: PresenceUser[], userId: string) {
  return users.filter((user) => user.userId !== userId);
}

function byName(users: PresenceUser[]) {
  return [...users].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The socket is authenticated by the 15-minute access cookie. When a reconnect is due, check
 * it and renew it from the refresh cookie if it expired, or at once when the room revoked it.
 * False when the session is over.
 */
async function ensureSession(renew: boolean): Promise<boolean> {
  try {
    if (!renew) {
      const me = await fetch("/api/v1/auth/me", { credentials: "same-origin" });
      if (me.status !== 401) return true;
    }
    return (await refreshSession()).status !== 401;
  } catch {
    return true; // offline: keep retrying with backoff
  }
}
