import { Link, useNavigate } from "@remix-run/react";
import { useCallback, useEffect, useId, useRef, useState } from "react";
import type { NotificationView } from "../../worker/notifications/schemas";
import { callApi } from "../lib/api-client";
import { useRecordEvents } from "../lib/realtime-context";
import { useNow } from "../lib/use-live";
import { BellIcon, CloseIcon } from "./icons";
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

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto", style: "short" });
const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["second", 60],
  ["minute", 60],
  ["hour", 24],
  ["day", 7],
  ["week", 4.35],
  ["month", 12],
  ["year", Number.POSITIVE_INFINITY],
];

/** "5 min. ago", "yesterday": the time since `iso`, coarsened. */
function timeAgo(iso: string, now: number): string {
  let value = (new Date(iso).getTime() - now) / 1000;
  if (Math.abs(value) < 45) return "just now";
  for (const [unit, size] of STEPS) {
    if (Math.abs(value) < size) return relative.format(Math.round(value), unit);
    value /= size;
  }
  return "";
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
  const panelRef = useRef<HTMLDivElement>(null);
  const panelId = useId();
  const titleId = useId();
  const navigate = useNavigate();
  const close = useCallback((refocus: boolean) => {
    setOpen(false);
    if (refocus) buttonRef.current?.focus();
  }, []);

  useEffect(() => {
    if (!open) return;
    panelRef.current?.focus();
    const onPointerDown = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      event.preventDefault();
      close(true);
    };
    document.addEventListener("pointerdown", onPointerDown);
    document.addEventListener("keydown", onKeyDown);
    return () => {
      document.removeEventListener("pointerdown", onPointerDown);
      document.removeEventListener("keydown", onKeyDown);
    };
  }, [open, close]);

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
        <div
          ref={panelRef}
          id={panelId}
          role="dialog"
          aria-labelledby={titleId}
          tabIndex={-1}
          className={cx(
            "z-50 flex flex-col bg-white shadow-xl ring-1 ring-slate-200 outline-none",
            placement === "sidebar"
              ? "absolute top-0 left-full ml-2 max-h-[min(36rem,calc(100vh-2rem))] w-96 rounded-lg"
              : "fixed inset-0",
          )}
        >
          <div className="flex items-center justify-between gap-3 border-b border-slate-200 px-4 py-3">
            <h2 id={titleId} className="text-sm font-semibold text-slate-900">
              Notifications
            </h2>
            <span className="flex items-center gap-1">
              <button
                type="button"
                disabled={count === 0}
                onClick={() => bell.markRead("all")}
                className={cx(
                  "rounded-md px-2 py-1 text-xs font-medium text-indigo-700 hover:bg-indigo-50 disabled:cursor-default disabled:text-slate-400 disabled:hover:bg-transparent",
                  focusRing,
                )}
              >
                Mark all as read
              </button>
              {placement === "topbar" ? (
                <button
                  type="button"
                  onClick={() => close(true)}
                  className={cx(
                    "rounded-md p-1.5 text-slate-500 hover:bg-slate-100 hover:text-slate-800",
                    focusRing,
                  )}
                >
                  <span className="sr-only">Close notifications</span>
                  <CloseIcon className="size-5" />
                </button>
              ) : null}
            </span>
          </div>
          <NotificationList
            bell={bell}
            onOpen={(notification) => {
              if (!notification.readAt) bell.markRead([notification.id]);
              setOpen(false);
              navigate(notification.link);
            }}
          />
          <div className="border-t border-slate-200 px-4 py-2.5">
            <Link
              to="/app/settings/notifications"
              onClick={() => setOpen(false)}
              className={cx(
                "rounded text-xs font-medium text-slate-600 hover:text-slate-900",
                focusRing,
              )}
            >
              Notification settings
            </Link>
          </div>
        </div>
      ) : null}
    </div>
  );
}

function NotificationList({
  bell,
  onOpen,
}: {
  bell: BellState;
  onOpen: (notification: NotificationView) => void;
}) {
  const now = useNow(30_000) ?? Date.now();
  if (bell.notifications.length === 0) {
    return (
      <p className="flex-1 px-4 py-8 text-center text-sm text-slate-500">You are all caught up.</p>
    );
  }
  // Unread first, then newest (the server's order; live ones are newest).
  const items = [...bell.notifications].sort(
    (a, b) =>
      Number(a.readAt !== null) - Number(b.readAt !== null) ||
      b.createdAt.localeCompare(a.createdAt),
  );
  return (
    <ul
      aria-label="Notifications"
      className="min-h-0 flex-1 divide-y divide-slate-100 overflow-y-auto"
    >
      {items.map((notification) => {
        const unread = notification.readAt === null;
        return (
          <li key={notification.id}>
            <a
              href={notification.link}
              onClick={(event) => {
                if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
                event.preventDefault();
                onOpen(notification);
              }}
              className={cx(
                "flex gap-3 px-4 py-3 hover:bg-slate-50",
                unread && "bg-indigo-50/40",
                focusRing,
                "focus-visible:-outline-offset-2",
              )}
            >
              <span
                aria-hidden="true"
                className={cx(
                  "mt-1.5 size-2 shrink-0 rounded-full",
                  unread ? "bg-indigo-600" : "bg-transparent",
                )}
              />
              <span className="min-w-0 flex-1">
                <span
                  className={cx(
                    "block text-sm break-words",
                    unread ? "font-semibold text-slate-900" : "text-slate-700",
                  )}
                >
                  {unread ? <span className="sr-only">Unread: </span> : null}
                  {notification.title}
                </span>
                {notification.body ? (
                  <span className="mt-0.5 line-clamp-2 block text-xs break-words text-slate-600">
                    {notification.body}
                  </span>
                ) : null}
                <time
                  dateTime={notification.createdAt}
                  className="mt-1 block text-xs text-slate-500"
                >
                  {timeAgo(notification.createdAt, now)}
                </time>
              </span>
            </a>
          </li>
        );
      })}
    </ul>
  );
}
