import { Link, useNavigate } from "@remix-run/react";
import { type RefObject, useEffect, useId, useRef } from "react";
import type { NotificationView } from "../../worker/notifications/schemas";
import { useNow } from "../lib/use-live";
import { CloseIcon } from "./icons";
import type { BellState } from "./notification-bell";
import { cx, focusRing } from "./ui";

/*
 * The bell's panel (loaded on demand): the notifications, unread first, each opening its
 * record and reading itself; "Mark all as read"; a link to the settings. It takes focus when
 * it opens; Escape or a click outside the bell closes it.
 */

export default function NotificationPanel({
  id,
  bell,
  placement,
  onClose,
  inside,
}: {
  id: string;
  bell: BellState;
  placement: "sidebar" | "topbar";
  onClose: (refocus: boolean) => void;
  /** The bell and its panel: a click elsewhere closes it. */
  inside: RefObject<HTMLElement | null>;
}) {
  const panelRef = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const navigate = useNavigate();
  const count = bell.unreadCount;
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;
  useEffect(() => {
    panelRef.current?.focus();
    const onPointerDown = (event: PointerEvent) => {
      if (!inside.current?.contains(event.target as Node)) onCloseRef.current(false);
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      event.preventDefault();
      onCloseRef.current(true);
    };
    document.addEventListener("pointerdown", onPointerDown);
    document.addEventListener("keydown", onKeyDown);
    return () => {
      document.removeEventListener("pointerdown", onPointerDown);
      document.removeEventListener("keydown", onKeyDown);
    };
  }, [inside]);
  return (
    <div
      ref={panelRef}
      id={id}
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
              onClick={() => onClose(true)}
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
          onClose(false);
          navigate(notification.link);
        }}
      />
      <div className="border-t border-slate-200 px-4 py-2.5">
        <Link
          to="/app/settings/notifications"
          onClick={() => onClose(false)}
          className={cx(
            "rounded text-xs font-medium text-slate-600 hover:text-slate-900",
            focusRing,
          )}
        >
          Notification settings
        </Link>
      </div>
    </div>
  );
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
