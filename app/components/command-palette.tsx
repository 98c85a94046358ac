import { useNavigate } from "@remix-run/react";
import { type ReactNode, useEffect, useId, useRef, useState } from "react";
import type { CrmEntity } from "../../shared/crm";
import { fetchWithSession } from "../lib/api-client";
import { SearchGlyph } from "./command-palette-trigger";
import { cx, Kbd, useFocusTrap } from "./ui";

/*
 * Global search and quick actions: Ctrl-K / Cmd-K (or the sidebar's search button) opens a
 * dialog that searches contacts, companies, leads and deals through /api/v1/search as you
 * type, and offers every page and create action ("Settings", "New contact", "Calls"). It is a combobox: arrow keys move through the results, Enter opens one, Escape
 * closes. Without JavaScript the search button is a link to /app/search, which renders the
 * same results on the server.
 */

export interface SearchHit {
  entity: CrmEntity;
  id: string;
  title: string;
  subtitle: string | null;
}

export const ENTITY_GROUPS: { entity: CrmEntity; label: string; path: string }[] = [
  { entity: "contact", label: "Contacts", path: "/app/contacts" },
  { entity: "company", label: "Companies", path: "/app/companies" },
  { entity: "lead", label: "Leads", path: "/app/leads" },
  { entity: "deal", label: "Deals", path: "/app/deals" },
];

export function recordPath(hit: { entity: CrmEntity; id: string }) {
  const group = ENTITY_GROUPS.find((candidate) => candidate.entity === hit.entity);
  return `${group?.path ?? "/app"}/${hit.id}`;
}

/** Results grouped by entity, in the fixed order above, best match first within a group. */
export function groupHits<T extends { entity: CrmEntity }>(hits: T[]) {
  return ENTITY_GROUPS.map((group) => ({
    ...group,
    hits: hits.filter((hit) => hit.entity === group.entity),
  })).filter((group) => group.hits.length > 0);
}

/** What the palette offers before (and beside) search results: create a record, or go to a page. */
const QUICK_ACTIONS: { id: string; label: string; to: string; group: string; keywords?: string }[] =
  [
    { id: "new-contact", label: "New contact", to: "/app/contacts?new=1", group: "Create" },
    { id: "new-company", label: "New company", to: "/app/companies?new=1", group: "Create" },
    { id: "new-lead", label: "New lead", to: "/app/leads?new=1", group: "Create" },
    { id: "new-deal", label: "New deal", to: "/app/deals?new=1", group: "Create" },
    { id: "go-dashboard", label: "Dashboard", to: "/app", group: "Go to", keywords: "home" },
    {
      id: "go-contacts",
      label: "Contacts",
      to: "/app/contacts",
      group: "Go to",
      keywords: "people",
    },
    {
      id: "go-companies",
      label: "Companies",
      to: "/app/companies",
      group: "Go to",
      keywords: "accounts",
    },
    { id: "go-leads", label: "Leads", to: "/app/leads", group: "Go to" },
    {
      id: "deals-board",
      label: "Deals board",
      to: "/app/deals/board",
      group: "Go to",
      keywords: "kanban pipeline",
    },
    { id: "go-deals", label: "Deals table", to: "/app/deals", group: "Go to", keywords: "list" },
    { id: "go-import", label: "Import CSV", to: "/app/import", group: "Go to", keywords: "upload" },
    { id: "go-calls", label: "Calls", to: "/app/calls", group: "Go to", keywords: "phone log" },
    {
      id: "go-queues",
      label: "Call queues",
      to: "/app/calls/queues",
      group: "Go to",
      keywords: "live",
    },
    { id: "go-search", label: "Search page", to: "/app/search", group: "Go to" },
    {
      id: "go-settings",
      label: "Settings",
      to: "/app/settings/team",
      group: "Go to",
      keywords: "members roles invite team",
    },
    { id: "go-teams", label: "Settings: Teams", to: "/app/settings/teams", group: "Go to" },
    {
      id: "go-fields",
      label: "Settings: Custom fields",
      to: "/app/settings/fields",
      group: "Go to",
    },
    {
      id: "go-pipelines",
      label: "Settings: Pipelines and stages",
      to: "/app/settings/pipelines",
      group: "Go to",
    },
    {
      id: "go-sla",
      label: "Settings: SLA policies",
      to: "/app/settings/sla",
      group: "Go to",
      keywords: "service level targets business hours holidays calendar",
    },
    {
      id: "go-phone",
      label: "Settings: Phone",
      to: "/app/settings/phone",
      group: "Go to",
      keywords: "pbx extensions queues bridge",
    },
  ];

/** Every word typed appears in the action's label or keywords. */
function actionMatches(action: (typeof QUICK_ACTIONS)[number], query: string) {
  const haystack = `${action.label} ${action.keywords ?? ""}`.toLowerCase();
  return query.split(/\s+/).every((word) => haystack.includes(word));
}

type SearchState =
  | { status: "idle" }
  | { status: "loading" }
  | { status: "done"; hits: SearchHit[] }
  | { status: "error"; message: string };

const DEBOUNCE_MS = 180;

function fetchSearch(q: string, signal: AbortSignal): Promise<Response> {
  return fetchWithSession(`/api/v1/search?q=${encodeURIComponent(q)}&limit=20`, { signal });
}

/** Debounced search as the query changes; stale answers are dropped. */
function useSearch(query: string): SearchState {
  const [state, setState] = useState<SearchState>({ status: "idle" });
  useEffect(() => {
    const q = query.trim();
    if (!q) {
      setState({ status: "idle" });
      return;
    }
    const controller = new AbortController();
    const timer = window.setTimeout(async () => {
      setState({ status: "loading" });
      try {
        const response = await fetchSearch(q, controller.signal);
        const body = (await response.json()) as { data: SearchHit[] | null; message: string };
        if (!response.ok || !body.data) throw new Error(body.message || "Search failed.");
        setState({ status: "done", hits: body.data });
      } catch (error) {
        if (controller.signal.aborted) return;
        setState({
          status: "error",
          message: error instanceof Error ? error.message : "Search failed.",
        });
      }
    }, DEBOUNCE_MS);
    return () => {
      controller.abort();
      window.clearTimeout(timer);
    };
  }, [query]);
  return state;
}

interface Option {
  id: string;
  to: string;
  label: string;
  detail?: string | null;
  group: string;
}

function optionsFor(query: string, search: SearchState): Option[] {
  const q = query.trim().toLowerCase();
  const actions: Option[] = QUICK_ACTIONS.filter((action) => !q || actionMatches(action, q)).map(
    (action) => ({ id: action.id, to: action.to, label: action.label, group: action.group }),
  );
  const hits = search.status === "done" ? search.hits : [];
  const results: Option[] = groupHits(hits).flatMap((group) =>
    group.hits.map((hit) => ({
      id: `${hit.entity}-${hit.id}`,
      to: recordPath(hit),
      label: hit.title,
      detail: hit.subtitle,
      group: group.label,
    })),
  );
  return q ? [...results, ...actions] : actions;
}

export function CommandPalette({ onClose }: { onClose: () => void }) {
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const search = useSearch(query);
  const options = optionsFor(query, search);
  const navigate = useNavigate();
  const dialogRef = useRef<HTMLDivElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const id = useId();
  useFocusTrap(dialogRef, onClose);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new result set starts at the top
  useEffect(() => setActive(0), [search, query]);
  useEffect(() => {
    listRef.current
      ?.querySelector(`[data-index="${active}"]`)
      ?.scrollIntoView({ block: "nearest" });
  }, [active]);

  const open = (option: Option | undefined) => {
    if (!option) return;
    onClose();
    navigate(option.to);
  };
  const onKeyDown = (event: React.KeyboardEvent) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive((index) => (options.length ? (index + step + options.length) % options.length : 0));
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (query.trim() && options.length === 0) {
        onClose();
        navigate(`/app/search?q=${encodeURIComponent(query.trim())}`);
      } else open(options[active]);
    } else if (event.key === "Home" || event.key === "End") {
      event.preventDefault();
      setActive(event.key === "Home" ? 0 : Math.max(options.length - 1, 0));
    }
  };

  const groups = [...new Set(options.map((option) => option.group))];
  const activeOption = options[active];
  return (
    <div className="fixed inset-0 z-50 flex items-start justify-center p-4 pt-[12vh]">
      <div aria-hidden="true" className="fixed inset-0 bg-slate-900/40" onMouseDown={onClose} />
      <div
        ref={dialogRef}
        role="dialog"
        aria-modal="true"
        aria-label="Search and quick actions"
        className="relative w-full max-w-xl overflow-hidden rounded-xl bg-white shadow-2xl ring-1 ring-slate-200"
      >
        <div className="flex items-center gap-2 border-b border-slate-200 px-4">
          <SearchGlyph />
          <input
            data-autofocus
            role="combobox"
            aria-expanded={options.length > 0}
            aria-controls={`${id}-list`}
            aria-activedescendant={activeOption ? `${id}-${activeOption.id}` : undefined}
            aria-autocomplete="list"
            aria-label="Search records, or type a page or action"
            placeholder="Search or jump to…"
            value={query}
            onChange={(event) => setQuery(event.currentTarget.value)}
            onKeyDown={onKeyDown}
            className="h-12 flex-1 bg-transparent text-sm text-slate-900 placeholder:text-slate-500 focus:outline-none"
          />
          <Kbd>Esc</Kbd>
        </div>
        <div
          ref={listRef}
          id={`${id}-list`}
          role="listbox"
          aria-label="Results"
          className="max-h-[60vh] overflow-y-auto py-2"
        >
          {groups.map((group) => (
            // biome-ignore lint/a11y/useSemanticElements: a listbox's option group has no native element
            <div key={group} role="group" aria-labelledby={`${id}-group-${group}`}>
              <p
                id={`${id}-group-${group}`}
                className="px-4 pt-2 pb-1 text-xs font-medium text-slate-500"
              >
                {group}
              </p>
              {options.map((option, index) =>
                option.group === group ? (
                  <div
                    key={option.id}
                    id={`${id}-${option.id}`}
                    role="option"
                    tabIndex={-1}
                    aria-selected={index === active}
                    data-index={index}
                    onMouseMove={() => setActive(index)}
                    onClick={() => open(option)}
                    onKeyDown={onKeyDown}
                    className={cx(
                      "mx-2 flex cursor-pointer items-center justify-between gap-3 rounded-md px-3 py-2 text-sm",
                      index === active ? "bg-indigo-600 text-white" : "text-slate-800",
                    )}
                  >
                    <span className="truncate font-medium">{option.label}</span>
                    {option.detail ? (
                      <span
                        className={cx(
                          "truncate text-xs",
                          index === active ? "text-indigo-100" : "text-slate-500",
                        )}
                      >
                        {option.detail}
                      </span>
                    ) : null}
                  </div>
                ) : null,
              )}
            </div>
          ))}
        </div>
        <PaletteStatus query={query} search={search} empty={options.length === 0} />
        <div className="flex items-center justify-between gap-3 border-t border-slate-200 bg-slate-50 px-4 py-2 text-xs text-slate-600">
          <span className="flex items-center gap-1.5">
            <Kbd>↑</Kbd>
            <Kbd>↓</Kbd> to move · <Kbd>Enter</Kbd> to open
          </span>
          {query.trim() ? (
            <a
              href={`/app/search?q=${encodeURIComponent(query.trim())}`}
              onClick={(event) => {
                event.preventDefault();
                onClose();
                navigate(`/app/search?q=${encodeURIComponent(query.trim())}`);
              }}
              className="font-medium text-indigo-700 hover:text-indigo-600"
            >
              All results
            </a>
          ) : null}
        </div>
      </div>
    </div>
  );
}

function PaletteStatus({
  query,
  search,
  empty,
}: {
  query: string;
  search: SearchState;
  empty: boolean;
}) {
  let text: ReactNode = null;
  if (search.status === "loading") text = "Searching…";
  else if (search.status === "error") text = search.message;
  else if (search.status === "done" && search.hits.length === 0 && query.trim())
    text = `No records match “${query.trim()}”.`;
  if (!text && !empty) return <p className="sr-only" aria-live="polite" />;
  return (
    <p className="px-4 pb-3 text-sm text-slate-600" aria-live="polite">
      {text}
    </p>
  );
}
