import { lazy, Suspense, useCallback, useId, useRef, useState } from "react";
import type { NotificationView } from "../../worker/notifications/schemas";
import { callApi } from "../lib/api-client";
import { useRecordEvents } from "../lib/realtime-context";
import { BellIcon } from "./icons";
import { cx, focusRing } from "./ui";

/*
 * The bell: the signed-in person's notifications. The shell's loader reads the newest ones and
 * the unread count with the page; from then on the socket keeps them live (a new one arrives
 * with `notification.created`, one read in any tab with `notification.read`). One state feeds
 * both bells (the sidebar's on wide screens, the top bar's on phones).
 */

export interface BellData {
  notifications: NotificationView[];
  unreadCount: number;
}

export interface BellState extends BellData {
  /** Marks these read (all with "all"); the count follows at once, the server confirms. */
  markRead(ids: string[] | "all"): void;
}

const KEEP = 30;

/** The panel's code loads when it first opens (or the pointer nears the bell). */
const loadPanel = () => import("./notification-panel");
const NotificationPanel = lazy(loadPanel);

export function useNotificationBell(initial: BellData, userId: string): BellState {
  const [state, setState] = useState(initial);
  // The shell reloaded (after a reconnect, say): its data is the truth again.
  const seen = useRef(initial);
  if (seen.current !== initial) {
    seen.current = initial;
    setState(initial);
  }
  useRecordEvents((event) => {
    if (event.type === "notification.created" && event.userId === userId) {
      const { notification } = event;
      setState((current) =>
        current.notifications.some((n) => n.id === notification.id)
          ? current
          : {
              notifications: [notification, ...current.notifications].slice(0, KEEP),
              unreadCount: current.unreadCount + (notification.readAt ? 0 : 1),
            },
      );
    } else if (event.type === "notification.read" && event.userId === userId) {
      setState((current) => applyRead(current, event.ids, new Date().toISOString()));
    }
  });
  const markRead = useCallback((ids: string[] | "all") => {
    const now = new Date().toISOString();
    setState((current) =>
      ids === "all"
        ? {
            notifications: current.notifications.map((n) => (n.readAt ? n : { ...n, readAt: now })),
            unreadCount: 0,
          }
        : applyRead(current, ids, now),
    );
    callApi<{ read: number; unreadCount: number }>("/notifications/read", {
      method: "POST",
      body: ids === "all" ? { all: true } : { ids },
    })
      .then((result) =>
        setState((current) => ({
          ...current,
          unreadCount: result.data?.unreadCount ?? current.unreadCount,
        })),
      )
      .catch(() => {});
  }, []);
  return { ...state, markRead };
}

/**
 * These ids are read now. The event names only ids that were unread on the server, so those
 * not in the list (older ones) count too; ones this tab already marked read do not count twice.
 */
function applyRead(current: BellData, ids: string[], at: string): BellData {
  const listed = new Map(current.notifications.map((n) => [n.id, n]));
  let newlyRead = 0;
  for (const id of ids) {
    const known = listed.get(id);
    if (!known?.readAt) newlyRead += 1;
  }
  const wanted = new Set(ids);
  return {
    notifications: current.notifications.map((n) =>
      wanted.has(n.id) && !n.readAt ? { ...n, readAt: at } : n,
    ),
    unreadCount: Math.max(0, current.unreadCount - newlyRead),
  };
}

/**
 * The bell button and its panel. `placement` says where the panel opens: beside the sidebar
 * (wide screens) or as a sheet under the phone's top bar.
 */
export function NotificationBell({
  bell,
  placement,
}: {
  bell: BellState;
  placement: "sidebar" | "topbar";
}) {
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelId = useId();
  const close = useCallback((refocus: boolean) => {
    setOpen(false);
    if (refocus) buttonRef.current?.focus();
  }, []);

  const count = bell.unreadCount;
  const label = count > 0 ? `Notifications, ${count} unread` : "Notifications";
  return (
    <div ref={rootRef} className={placement === "sidebar" ? "relative" : undefined}>
      <button
        ref={buttonRef}
        type="button"
        aria-label={label}
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        onClick={() => setOpen((value) => !value)}
        onPointerEnter={loadPanel}
        onFocus={loadPanel}
        className={cx(
          "relative flex size-9 items-center justify-center rounded-md text-slate-600 hover:bg-slate-100 hover:text-slate-900",
          focusRing,
        )}
      >
        <BellIcon className="size-5" />
        {count > 0 ? (
          <span
            aria-hidden="true"
            data-testid="bell-count"
            className="absolute -top-0.5 -right-0.5 min-w-[18px] rounded-full bg-rose-600 px-1 text-center text-[11px] leading-[18px] font-semibold text-white tabular-nums ring-2 ring-white"
          >
            {count > 99 ? "99+" : count}
          </span>
        ) : null}
      </button>
      {open ? (
        <Suspense fallback={null}>
          <NotificationPanel
            id={panelId}
            bell={bell}
            placement={placement}
            onClose={close}
            inside={rootRef}
          />
        </Suspense>
      ) : null}
    </div>
  );
}
