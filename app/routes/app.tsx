import { json, type LoaderFunctionArgs } from "@remix-run/cloudflare";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import {
  Form,
  Link,
  NavLink,
  Outlet,
  useLoaderData,
  useLocation,
  useMatches,
  useRevalidator,
} from "@remix-run/react";
import { type ReactNode, Suspense, useCallback, useEffect, useId, useRef, useState } from "react";
import { can } from "../../worker/auth/permissions";
import { listAgents } from "../../worker/call-center/agents";
import { listLiveCalls } from "../../worker/calls/service";
import { listWrapUps } from "../../worker/calls/wrap-up";
import { inboxBadgeIds } from "../../worker/conversations/badge";
import type { TenantScope } from "../../worker/lib/scope";
import { listNotifications } from "../../worker/notifications/service";
import type { PresenceUser } from "../../worker/realtime/events";
import { ticketCounts } from "../../worker/tickets/service";
import { PhoneProvider, type PhoneSnapshot } from "../components/calls/phone-context";
import {
  AgentStatusOnDemand,
  CallBarOnDemand,
  ScreenPopsOnDemand,
} from "../components/calls/phone-surfaces";
import {
  CommandPalette,
  SearchButton,
  useCommandPaletteShortcut,
} from "../components/command-palette-trigger";
import {
  ArrowRightIcon,
  BellIcon,
  BuildingIcon,
  CheckSquareIcon,
  ChevronIcon,
  ContactIcon,
  DealIcon,
  FunnelIcon,
  HomeIcon,
  InboxIcon,
  KeyIcon,
  MenuIcon,
  PhoneIcon,
  QueueIcon,
  SignOutIcon,
  TeamIcon,
  TicketIcon,
} from "../components/icons";
import {
  type BellState,
  NotificationBell,
  useNotificationBell,
} from "../components/notification-bell";
import { Avatar, Badge, cx, focusRing, Logo } from "../components/ui";
import { VerifyEmailBanner } from "../components/verify-email-banner";
import { createRealtimeHub, RealtimeProvider } from "../lib/realtime-context";
import { ROLE_LABELS } from "../lib/roles";
import { requireUser, runAsUser } from "../lib/session.server";
import { useInboxBadge } from "../lib/use-inbox-badge";
import { type RealtimeStatus, useRealtime } from "../lib/use-realtime";

/**
 * The member's agent record, their live calls and the calls ringing for the rest of the team
 * (the call bar starts from these).
 */
async function phoneSnapshot(scope: TenantScope, userId: string): Promise<PhoneSnapshot> {
  const agent = (await listAgents(scope)).find((candidate) => candidate.userId === userId) ?? null;
  if (!agent) return { agent: null, calls: [], team: [] };
  const live = await listLiveCalls(scope);
  const mine = (call: (typeof live)[number]) =>
    call.agent ? call.agent.id === userId : call.extension === agent.extension;
  const calls = live.filter(mine);
  const team = live.filter(
    (call) => !mine(call) && call.direction === "inbound" && call.status === "ringing",
  );
  const wrapUps = can(scope.actor.role, "calls:write") ? await listWrapUps(scope) : [];
  return { agent, calls: [...calls, ...wrapUps], team };
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireUser(request, context);
  const { me, headers } = session;
  const phone = can(me.role, "calls:read")
    ? await runAsUser(context, session, (scope) => phoneSnapshot(scope, me.user.id))
    : { agent: null, calls: [], team: [] };
  // The Tickets item's badge: one count in the page's transaction.
  const unsolvedTickets = can(me.role, "tickets:read")
    ? (await runAsUser(context, session, ticketCounts)).unsolved
    : null;
  // The Inbox item's badge: my actionable unread conversations, kept live by the socket.
  const inboxUnread = can(me.role, "inbox:read")
    ? await runAsUser(context, session, inboxBadgeIds)
    : null;
  // The bell: the newest notifications (unread first) and the unread count.
  const { notifications, unreadCount } = await runAsUser(context, session, (scope) =>
    listNotifications(scope, { limit: 15 }),
  );
  return json(
    {
      user: me.user,
      organization: me.organization,
      role: me.role,
      permissions: me.permissions,
      phone,
      unsolvedTickets,
      inboxUnread,
      bell: { notifications, unreadCount },
    },
    { headers },
  );
}

type ShellData = ReturnType<typeof useLoaderData<typeof loader>>;

/*
 * The shell's data (who I am, my role, my phone's state) changes through the socket, not with
 * the page below it: pages reload their own loaders on record events, and the shell's would
 * run three more queries each time. It reloads after a form was sent (an action may change a
 * role, a setting or a call), but not after the inbox's or the desk's (replies, assignments,
 * "read", ticket changes: none of that is the shell's), and when the shell itself asks: a member changed, the session ended,
 * or the socket came back after missing events.
 */
let shellReloadRequested = false;

export const shouldRevalidate: ShouldRevalidateFunction = ({
  formMethod,
  formAction,
  defaultShouldRevalidate,
}) => {
  if (formMethod && formMethod.toUpperCase() !== "GET") {
    return (
      defaultShouldRevalidate &&
      !formAction?.startsWith("/app/inbox") &&
      !formAction?.startsWith("/app/tickets")
    );
  }
  const requested = shellReloadRequested;
  shellReloadRequested = false;
  return requested;
};

export default function AppShell() {
  const data = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  const revalidate = useCallback(() => {
    shellReloadRequested = true;
    if (revalidator.state === "idle") revalidator.revalidate();
  }, [revalidator]);
  // Member changes (a teammate joined, a role changed) refresh every loader on the page.
  const hubRef = useRef<ReturnType<typeof createRealtimeHub> | null>(null);
  const { online, status, send } = useRealtime({
    onMemberUpdated: revalidate,
    onSignedOut: revalidate,
    onEvent: (event) => hubRef.current?.dispatch(event),
  });
  hubRef.current ??= createRealtimeHub(send);
  // Back after a drop: events may have been missed, so the shell (and the page) reload.
  const wasReconnecting = useRef(false);
  useEffect(() => {
    if (status === "reconnecting") wasReconnecting.current = true;
    else if (status === "live" && wasReconnecting.current) {
      wasReconnecting.current = false;
      revalidate();
    }
  }, [status, revalidate]);

  return (
    <RealtimeProvider hub={hubRef.current.hub}>
      <PhoneProvider
        me={data.user.id}
        snapshot={data.phone}
        canCall={data.permissions.includes("calls:write")}
        canCreateContacts={data.permissions.includes("crm:write")}
        realtimeStatus={status}
      >
        <Shell data={data} online={online} status={status} />
      </PhoneProvider>
    </RealtimeProvider>
  );
}

function Shell({
  data,
  online,
  status,
}: {
  data: ShellData;
  online: PresenceUser[];
  status: RealtimeStatus;
}) {
  const [paletteOpen, setPaletteOpen] = useState(false);
  const openPalette = useCallback(() => setPaletteOpen(true), []);
  useCommandPaletteShortcut(openPalette);
  const bell = useNotificationBell(data.bell, data.user.id);
  return (
    <div className="min-h-full">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:top-3 focus:left-3 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:font-medium focus:text-slate-900 focus:shadow-md focus:ring-2 focus:ring-indigo-600"
      >
        Skip to content
      </a>
      {/* Above the sticky call bar (z-30): the bell's panel opens from here over the page. */}
      <aside className="fixed inset-y-0 left-0 z-40 hidden w-64 flex-col border-r border-slate-200 bg-white lg:flex">
        <Sidebar data={data} online={online} status={status} onSearch={openPalette} bell={bell} />
      </aside>
      <MobileBar data={data} online={online} status={status} onSearch={openPalette} bell={bell} />
      <div className="lg:pl-64">
        {data.user.emailVerified ? null : (
          <VerifyEmailBanner userId={data.user.id} email={data.user.email} />
        )}
        <CallBarOnDemand />
        <main id="main" tabIndex={-1} className="min-h-full outline-none">
          <Outlet />
        </main>
        <ScreenPopsOnDemand />
      </div>
      {paletteOpen ? (
        <Suspense fallback={null}>
          <CommandPalette onClose={() => setPaletteOpen(false)} />
        </Suspense>
      ) : null}
    </div>
  );
}

interface SidebarProps {
  data: ShellData;
  online: PresenceUser[];
  status: RealtimeStatus;
  /** Opens the command palette (search and quick actions). */
  onSearch: () => void;
  bell: BellState;
}

/**
 * A <details> menu (works without JavaScript) that, once hydrated, also closes on Escape, on a
 * click outside it, and when `closeWhenChanged` changes.
 */
function useDismissible(closeWhenChanged?: string) {
  const ref = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    if (ref.current && closeWhenChanged !== undefined) ref.current.open = false;
  }, [closeWhenChanged]);
  useEffect(() => {
    const details = ref.current;
    if (!details) return;
    const onPointerDown = (event: PointerEvent) => {
      if (details.open && !details.contains(event.target as Node)) details.open = false;
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "Escape" || !details.open) return;
      details.open = false;
      details.querySelector("summary")?.focus();
    };
    document.addEventListener("pointerdown", onPointerDown);
    details.addEventListener("keydown", onKeyDown);
    return () => {
      document.removeEventListener("pointerdown", onPointerDown);
      details.removeEventListener("keydown", onKeyDown);
    };
  }, []);
  return ref;
}

function MobileBar(props: SidebarProps) {
  // The menu closes after each navigation.
  const ref = useDismissible(useLocation().pathname);
  return (
    <div className="relative lg:hidden">
      <details ref={ref} className="group border-b border-slate-200 bg-white">
        <summary
          className={cx(
            "flex cursor-pointer list-none items-center justify-between gap-3 px-4 py-3 [&::-webkit-details-marker]:hidden",
            focusRing,
          )}
        >
          <span className="flex min-w-0 flex-1 items-center gap-2">
            <Logo className="size-6" />
            <span className="truncate text-sm font-semibold text-slate-900">
              {props.data.organization.name}
            </span>
          </span>
          {/* Room for the bell, which sits over the bar (a button cannot be inside a summary). */}
          <span aria-hidden="true" className="w-10 shrink-0" />
          <span className="flex items-center gap-1.5 text-sm font-medium text-slate-700">
            <MenuIcon className="size-5" />
            Menu
          </span>
        </summary>
        <div className="flex flex-col border-t border-slate-200">
          <Sidebar {...props} compact />
        </div>
      </details>
      <div className="absolute top-1.5 right-[5.5rem]">
        <NotificationBell bell={props.bell} placement="topbar" />
      </div>
    </div>
  );
}

function Sidebar({
  data,
  online,
  status,
  onSearch,
  bell,
  compact = false,
}: SidebarProps & { compact?: boolean }) {
  const navRef = useRef<HTMLElement>(null);
  const { pathname } = useLocation();
  // The page's own item is kept in view inside the (independently scrolling) menu.
  useEffect(() => {
    const nav = navRef.current;
    const item = nav?.querySelector('[aria-current="page"]');
    if (!nav || !item || pathname === "") return;
    const area = nav.getBoundingClientRect();
    const box = item.getBoundingClientRect();
    if (box.height === 0) return;
    if (box.bottom > area.bottom) nav.scrollTop += box.bottom - area.bottom + 8;
    else if (box.top < area.top) nav.scrollTop -= area.top - box.top + 8;
  }, [pathname]);
  return (
    <div className="flex min-h-0 flex-1 flex-col">
      {compact ? null : (
        <div className="flex items-center gap-2.5 px-4 pt-4 pb-3">
          <Logo />
          <div className="min-w-0">
            <p className="truncate text-sm font-semibold text-slate-900">
              {data.organization.name}
            </p>
            <p className="text-xs text-slate-600">Switchboard</p>
          </div>
          <div className="ml-auto">
            <NotificationBell bell={bell} placement="sidebar" />
          </div>
        </div>
      )}
      <div className="px-3 pt-1">
        <SearchButton onOpen={onSearch} />
      </div>
      <nav ref={navRef} aria-label="Main" className="flex-1 overflow-y-auto px-3 pt-2 pb-4">
        <NavGroup label="Workspace">
          <NavItem to="/app" end icon={<HomeIcon />}>
            Dashboard
          </NavItem>
          <NavItem to="/app/tasks" icon={<CheckSquareIcon />}>
            Tasks
          </NavItem>
        </NavGroup>
        <NavGroup label="CRM">
          <NavItem to="/app/contacts" icon={<ContactIcon />}>
            Contacts
          </NavItem>
          <NavItem to="/app/companies" icon={<BuildingIcon />}>
            Companies
          </NavItem>
          <NavItem to="/app/leads" icon={<FunnelIcon />}>
            Leads
          </NavItem>
          <NavItem to="/app/deals/board" activeFor="/app/deals" icon={<DealIcon />}>
            Deals
          </NavItem>
          {data.permissions.includes("crm:import") ? (
            <NavItem to="/app/import" icon={<ArrowRightIcon />}>
              Import
            </NavItem>
          ) : null}
        </NavGroup>
        <NavGroup label="Service">
          <NavItem
            to="/app/calls"
            end
            activeFor="/app/calls"
            except="/app/calls/queues"
            icon={<PhoneIcon />}
          >
            Calls
          </NavItem>
          <NavItem to="/app/calls/queues" icon={<QueueIcon />}>
            Queues
          </NavItem>
          <NavItem
            to="/app/inbox"
            icon={<InboxIcon />}
            badge={<InboxBadge ids={data.inboxUnread} me={data.user.id} />}
          >
            Inbox
          </NavItem>
          <NavItem
            to="/app/tickets"
            icon={<TicketIcon />}
            badge={<UnsolvedBadge count={data.unsolvedTickets} />}
          >
            Tickets
          </NavItem>
        </NavGroup>
        <NavGroup label="Settings" collapsible>
          <NavItem to="/app/settings/organization" icon={<BuildingIcon />}>
            Organization
          </NavItem>
          <NavItem to="/app/settings/team" icon={<TeamIcon />}>
            Team
          </NavItem>
          <NavItem to="/app/settings/teams" icon={<TeamIcon />}>
            Teams
          </NavItem>
          <NavItem to="/app/settings/fields" icon={<KeyIcon />}>
            Fields
          </NavItem>
          <NavItem to="/app/settings/pipelines" icon={<FunnelIcon />}>
            Pipelines
          </NavItem>
          <NavItem to="/app/settings/phone" icon={<PhoneIcon />}>
            Phone
          </NavItem>
          {data.permissions.includes("channels:manage") ? (
            <NavItem to="/app/settings/channels" icon={<InboxIcon />}>
              Channels
            </NavItem>
          ) : null}
          {data.permissions.includes("jobs:manage") ? (
            <NavItem to="/app/settings/jobs" icon={<QueueIcon />}>
              Jobs
            </NavItem>
          ) : null}
        </NavGroup>
        <OnlineNow online={online} status={status} selfId={data.user.id} />
      </nav>
      <AgentStatusOnDemand />
      <UserMenu data={data} />
    </div>
  );
}

/**
 * A group of the sidebar. A `collapsible` one (Settings) is a <details>, open at first, whose
 * label folds it away (and opens it again on one of its own pages). With the items' tight
 * spacing the whole menu fits a laptop screen (1440×900) above the member's phone and account;
 * the menu scrolls on its own when it does not.
 */
function NavGroup({
  label,
  collapsible = false,
  children,
}: {
  label: string;
  collapsible?: boolean;
  children: ReactNode;
}) {
  const id = useId();
  const { pathname } = useLocation();
  const here = collapsible && isUnder(pathname, `/app/${label.toLowerCase()}`);
  const details = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    if (here && details.current) details.current.open = true;
  }, [here]);
  const list = (
    <ul aria-labelledby={id} className="space-y-px">
      {children}
    </ul>
  );
  if (collapsible) {
    return (
      <details ref={details} open className="group/nav mt-2">
        <summary
          className={cx(
            "flex cursor-pointer list-none items-center justify-between rounded-md px-2 pb-1 text-xs font-medium text-slate-500 hover:text-slate-800 [&::-webkit-details-marker]:hidden",
            focusRing,
          )}
        >
          <span id={id}>{label}</span>
          <ChevronIcon className="size-3.5 transition-transform group-open/nav:rotate-180" />
        </summary>
        {list}
      </details>
    );
  }
  return (
    <div className="mt-2 first:mt-1">
      <p id={id} className="px-2 pb-1 text-xs font-medium text-slate-500">
        {label}
      </p>
      {list}
    </div>
  );
}

const itemBase = "flex items-center gap-2.5 rounded-md px-2 py-[3px] text-sm font-medium";

const isUnder = (pathname: string, path: string) =>
  pathname === path || pathname.startsWith(`${path}/`);

function NavItem({
  to,
  end,
  activeFor,
  except,
  icon,
  badge,
  children,
}: {
  to: string;
  end?: boolean;
  /** Also active anywhere under this path (Deals: the board and the table). */
  activeFor?: string;
  /** ...but not under this one (Calls: not the queues, which have their own entry). */
  except?: string;
  icon: ReactNode;
  /** Shown at the item's end (a count). */
  badge?: ReactNode;
  children: ReactNode;
}) {
  const { pathname } = useLocation();
  const inSection =
    activeFor !== undefined &&
    isUnder(pathname, activeFor) &&
    !(except !== undefined && isUnder(pathname, except));
  return (
    <li>
      <NavLink
        to={to}
        end={end}
        prefetch="intent"
        aria-current={inSection ? "page" : undefined}
        className={({ isActive }) =>
          cx(
            itemBase,
            focusRing,
            isActive || inSection
              ? "bg-slate-100 text-slate-900"
              : "text-slate-700 hover:bg-slate-50 hover:text-slate-900",
          )
        }
      >
        {({ isActive }) => (
          <>
            <span className={isActive || inSection ? "text-indigo-600" : "text-slate-500"}>
              {icon}
            </span>
            {children}
            {badge}
          </>
        )}
      </NavLink>
    </li>
  );
}

/** The desk's pages, whose data carries the views' counts (and stays live there). */
const DESK_ROUTES = new Set(["routes/app.tickets", "routes/app.tickets_.$id"]);

/**
 * The unsolved tickets' count by the Tickets item: the desk page's own count while one is
 * open, else the one the shell read with the page.
 */
function UnsolvedBadge({ count }: { count: number | null }) {
  const desk = useMatches().find((match) => DESK_ROUTES.has(match.id));
  const counts = (desk?.data as { counts?: { unsolved?: unknown } } | undefined)?.counts;
  const unsolved = typeof counts?.unsolved === "number" ? counts.unsolved : count;
  if (!unsolved) return null;
  return (
    <span
      className="ml-auto rounded-full bg-slate-100 px-1.5 text-[11px] leading-[18px] font-semibold text-slate-700 tabular-nums"
      data-testid="unsolved-tickets-badge"
    >
      <span className="sr-only">, unsolved: </span>
      {unsolved > 999 ? "999+" : unsolved}
    </span>
  );
}

/** The Inbox item's count of unread conversations I can act on (live). */
function InboxBadge({ ids, me }: { ids: string[] | null; me: string }) {
  const unread = useInboxBadge(ids, me);
  if (!unread) return null;
  return (
    <span
      className="ml-auto rounded-full bg-indigo-600 px-1.5 text-[11px] leading-[18px] font-semibold text-white tabular-nums"
      data-testid="inbox-unread-badge"
    >
      <span className="sr-only">, unread: </span>
      {unread > 99 ? "99+" : unread}
    </span>
  );
}

/** An area that is not built yet: shown, but not a link (none at the moment). */
// biome-ignore lint/correctness/noUnusedVariables: kept for the next area that is announced early
function SoonItem({ icon, children }: { icon: ReactNode; children: ReactNode }) {
  return (
    <li>
      <span className={cx(itemBase, "cursor-default text-slate-500")}>
        <span className="text-slate-400">{icon}</span>
        {children}
        <span className="ml-auto rounded bg-slate-100 px-1.5 py-0.5 text-[10px] font-medium tracking-wide text-slate-600 uppercase">
          Soon
        </span>
      </span>
    </li>
  );
}

const statusText: Record<RealtimeStatus, string> = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
};

function OnlineNow({
  online,
  status,
  selfId,
}: {
  online: PresenceUser[];
  status: RealtimeStatus;
  selfId: string;
}) {
  const id = useId();
  return (
    <section aria-labelledby={id} className="mt-6 border-t border-slate-200 pt-4">
      <div className="flex items-center justify-between px-2 pb-2">
        <h2 id={id} className="text-xs font-medium text-slate-500">
          Online now
        </h2>
        <span className="flex items-center gap-1.5 text-xs text-slate-600">
          <span
            aria-hidden="true"
            className={cx(
              "size-1.5 rounded-full",
              status === "live" ? "bg-emerald-500" : "animate-pulse bg-amber-500",
            )}
          />
          {statusText[status]}
        </span>
      </div>
      {online.length === 0 ? (
        <p className="px-2 text-xs text-slate-500">
          {status === "live" ? "Nobody else is here." : "Waiting for the live connection."}
        </p>
      ) : null}
      <ul aria-labelledby={id} className="space-y-0.5" data-testid="online-now">
        {online.map((user) => (
          <li key={user.userId} className="flex items-center gap-2.5 rounded-md px-2 py-1.5">
            <span className="relative">
              <Avatar name={user.name} size="sm" />
              <span
                aria-hidden="true"
                className="absolute -right-0.5 -bottom-0.5 size-2.5 rounded-full bg-emerald-500 ring-2 ring-white"
              />
            </span>
            <span className="min-w-0 flex-1 truncate text-sm text-slate-800">
              {user.name}
              {user.userId === selfId ? <span className="text-slate-500"> (you)</span> : null}
            </span>
            <span className="text-xs text-slate-500">{ROLE_LABELS[user.role]}</span>
          </li>
        ))}
      </ul>
      <noscript>
        <p className="px-2 text-xs text-slate-600">Turn on JavaScript to see who is online.</p>
      </noscript>
    </section>
  );
}

const menuItem = cx(
  "flex w-full items-center gap-2 rounded-md px-2.5 py-2 text-left text-sm font-medium text-slate-800 hover:bg-slate-100",
  focusRing,
);

function UserMenu({ data }: { data: ShellData }) {
  const ref = useDismissible();
  return (
    <details ref={ref} className="group relative border-t border-slate-200 p-3">
      <summary
        className={cx(
          "flex cursor-pointer list-none items-center gap-2.5 rounded-md p-1.5 hover:bg-slate-50 [&::-webkit-details-marker]:hidden",
          focusRing,
        )}
      >
        <Avatar name={data.user.name} />
        <span className="min-w-0 flex-1">
          <span className="block truncate text-sm font-medium text-slate-900">
            {data.user.name}
          </span>
          <span className="block truncate text-xs text-slate-600">{data.user.email}</span>
        </span>
        <ChevronIcon className="size-4 text-slate-500 transition-transform group-open:rotate-180" />
        <span className="sr-only">Account menu</span>
      </summary>
      <div className="absolute right-3 bottom-full left-3 mb-1 rounded-lg bg-white p-1 shadow-lg ring-1 ring-slate-200">
        <div className="flex items-center justify-between gap-2 px-2.5 py-2">
          <span className="min-w-0">
            <span className="block text-xs text-slate-600">Signed in to</span>
            <span className="block truncate text-sm font-medium text-slate-900">
              {data.organization.name}
            </span>
          </span>
          <Badge>{ROLE_LABELS[data.role]}</Badge>
        </div>
        <div className="my-1 border-t border-slate-100" />
        <Link to="/app/settings/account" className={menuItem}>
          <KeyIcon className="size-4 text-slate-500" />
          Account settings
        </Link>
        <Link to="/app/settings/notifications" className={menuItem}>
          <BellIcon className="size-4 text-slate-500" />
          Notification settings
        </Link>
        <Form method="post" action="/logout">
          <button type="submit" className={menuItem}>
            <SignOutIcon className="size-4 text-slate-500" />
            Sign out
          </button>
        </Form>
      </div>
    </details>
  );
}
