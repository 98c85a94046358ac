import { json, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/cloudflare";
import { Form, Link, useFetcher, useLoaderData } from "@remix-run/react";
import { useEffect, useState } from "react";
import { CALL_DIRECTIONS, CALL_OUTCOMES, CALL_STATUSES } from "../../shared/telephony";
import { listCallsQuerySchema } from "../../worker/calls/schemas";
import { listCalls, listLiveCalls } from "../../worker/calls/service";

import { ApiError } from "../../worker/lib/errors";
import { zodFieldErrors } from "../../worker/lib/validation";
import { CallLogTable, LiveCallsPanel } from "../components/calls/call-list";
import { useCallUpdates, useLiveCalls } from "../components/calls/use-call-updates";
import { PageBody, PageHeader } from "../components/page";
import { TimeZoneOffset } from "../components/record-timeline";
import { RouteError } from "../components/route-error";
import { Alert, Button, buttonClass, cx, Section, SelectField, TextField } from "../components/ui";
import { type CallView, DIRECTION_LABELS, OUTCOME_LABELS, STATUS_LABELS } from "../lib/call-format";
import { memberSummaries } from "../lib/members.server";
import { localDateTimeToIso } from "../lib/record-forms.server";
import { requireUser, runAsUser } from "../lib/session.server";
import { useCoalescedReload } from "../lib/use-live";

export const meta: MetaFunction = () => [{ title: "Calls · Switchboard" }];

const PAGE_SIZE = 25;

/** The filter fields as they appear in the URL (and the form). */
const FILTER_NAMES = ["direction", "agentId", "status", "outcome", "from", "to", "number"] as const;
type FilterName = (typeof FILTER_NAMES)[number];
type Filters = Partial<Record<FilterName, string>>;

function readFilters(search: URLSearchParams): Filters {
  const filters: Filters = {};
  for (const name of FILTER_NAMES) {
    const value = search.get(name)?.trim();
    if (value) filters[name] = value;
  }
  return filters;
}

/** A day (YYYY-MM-DD) at local midnight, or the next day's (for the inclusive "to"). */
function dayStart(day: string | undefined, tzOffset: string | null, nextDay = false) {
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return day;
  const iso = localDateTimeToIso(`${day}T00:00`, tzOffset ?? undefined);
  if (!iso || !nextDay) return iso;
  return new Date(Date.parse(iso) + 24 * 60 * 60 * 1000).toISOString();
}

/** The list service's query for the page's filters (dates read in the member's time zone). */
function serviceQuery(filters: Filters, search: URLSearchParams) {
  const tzOffset = search.get("tzOffset");
  return listCallsQuerySchema.safeParse({
    limit: PAGE_SIZE,
    cursor: search.get("cursor") || undefined,
    direction: filters.direction,
    agentId: filters.agentId,
    status: filters.status,
    outcome: filters.outcome,
    from: dayStart(filters.from, tzOffset),
    to: dayStart(filters.to, tzOffset, true),
    number: filters.number?.replace(/[\s().-]/g, ""),
  });
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireUser(request, context);
  const url = new URL(request.url);
  const filters = readFilters(url.searchParams);
  const query = serviceQuery(filters, url.searchParams);
  const fieldErrors = query.success ? {} : zodFieldErrors(query.error);
  try {
    const data = await runAsUser(context, session, async (scope) => {
      const log = query.success ? await listCalls(scope, query.data) : null;
      return {
        live: await listLiveCalls(scope),
        log: log?.calls ?? [],
        nextCursor: log?.nextCursor ?? null,
        members: (await memberSummaries(scope)).map(({ userId, name }) => ({ userId, name })),
      };
    });
    return json(
      {
        ...data,
        filters,
        fieldErrors,
        cursor: url.searchParams.get("cursor"),
        tzOffset: url.searchParams.get("tzOffset"),
      },
      { headers: session.headers },
    );
  } catch (error) {
    // A stale or hand-edited cursor starts over from the newest calls.
    if (error instanceof ApiError && error.status === 400 && url.searchParams.has("cursor")) {
      url.searchParams.delete("cursor");
      throw redirect(`${url.pathname}${url.search}`, { headers: session.headers });
    }
    throw error;
  }
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

/** The page's URL search for the current filters, optionally at a cursor. */
function searchFor(data: Pick<LoaderData, "filters" | "tzOffset">, cursor?: string | null) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(data.filters)) if (value) params.set(name, value);
  if (data.tzOffset && (data.filters.from || data.filters.to))
    params.set("tzOffset", data.tzOffset);
  if (cursor) params.set("cursor", cursor);
  const search = params.toString();
  return search ? `?${search}` : "";
}

/** "Load more": older pages fetched in place and appended (reset when the filters change). */
function useOlderPages(data: LoaderData) {
  const fetcher = useFetcher<typeof loader>();
  const [pages, setPages] = useState<{ log: CallView[]; nextCursor: string | null }[]>([]);
  const firstPage = `${searchFor(data)}|${data.cursor ?? ""}`;
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the first page changes
  useEffect(() => setPages([]), [firstPage]);
  useEffect(() => {
    const page = fetcher.data;
    if (fetcher.state === "idle" && page && "log" in page) {
      const loaded = { log: page.log, nextCursor: page.nextCursor };
      setPages((current) =>
        current.some((known) => known.nextCursor === loaded.nextCursor && known.log === loaded.log)
          ? current
          : [...current, loaded],
      );
    }
  }, [fetcher.state, fetcher.data]);
  const nextCursor = pages.length > 0 ? (pages.at(-1)?.nextCursor ?? null) : data.nextCursor;
  return {
    rows: pages.flatMap((page) => page.log),
    nextCursor,
    loading: fetcher.state !== "idle",
    load() {
      if (!nextCursor || fetcher.state !== "idle") return;
      const search = searchFor(data, nextCursor);
      fetcher.load(`/app/calls${search}${search ? "&" : "?"}index`);
    },
  };
}

export default function CallsPage() {
  const data = useLoaderData<typeof loader>();
  const live = useLiveCalls(data.live);
  const reload = useCoalescedReload({
    delayMs: 600,
    maxWaitMs: Number.POSITIVE_INFINITY,
    whileReloading: "skip",
  });
  // A call the log does not show yet: reload the first page (coalesced) so it appears.
  const { latest } = useCallUpdates({
    onUnknown: () => {
      if (!data.cursor) reload();
    },
  });
  const older = useOlderPages(data);
  const rows = [...data.log, ...older.rows];
  const unique = [...new Map(rows.map((call) => [call.id, latest(call)])).values()];
  const filtered = Object.keys(data.filters).length > 0;
  const invalid = Object.keys(data.fieldErrors).length > 0;

  return (
    <>
      <PageHeader
        eyebrow="Service"
        title="Calls"
        description="Calls in progress across the team, and every call made and received."
      />
      <PageBody>
        <LiveCallsPanel calls={live} />
        <Section
          id="call-log"
          title="Call log"
          description={data.cursor ? "Older calls." : "Newest first. New calls appear here live."}
        >
          <div className="border-b border-slate-200 px-5 py-4">
            <CallFilters data={data} />
          </div>
          {invalid ? (
            <div className="px-5 py-4">
              <Alert title="Check the filters">
                {Object.values(data.fieldErrors).flat().join(" ")}
              </Alert>
            </div>
          ) : (
            <CallLogTable
              calls={unique}
              empty={filtered ? "No calls match these filters." : "No calls yet."}
            />
          )}
          {older.nextCursor || data.cursor ? (
            <div className="flex justify-between gap-3 border-t border-slate-200 px-5 py-3">
              {data.cursor ? (
                <Link
                  to={`/app/calls${searchFor(data)}`}
                  className={buttonClass("secondary", "sm")}
                >
                  Newest calls
                </Link>
              ) : (
                <span />
              )}
              {older.nextCursor ? (
                <Link
                  to={`/app/calls${searchFor(data, older.nextCursor)}`}
                  preventScrollReset
                  onClick={(event) => {
                    event.preventDefault();
                    older.load();
                  }}
                  aria-busy={older.loading || undefined}
                  className={buttonClass("secondary", "sm")}
                >
                  {older.loading ? "Loading…" : "Load more"}
                </Link>
              ) : null}
            </div>
          ) : null}
        </Section>
      </PageBody>
    </>
  );
}

const anyOption = { value: "", label: "Any" };

function CallFilters({ data }: { data: LoaderData }) {
  const { filters, fieldErrors } = data;
  // Re-mount the inputs when the URL's filters change (back/forward, "Clear").
  const key = searchFor(data);
  return (
    <Form
      method="get"
      aria-label="Filter calls"
      key={key}
      className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4"
    >
      <TimeZoneOffset />
      <SelectField
        label="Direction"
        name="direction"
        defaultValue={filters.direction ?? ""}
        options={[
          anyOption,
          ...CALL_DIRECTIONS.map((value) => ({ value, label: DIRECTION_LABELS[value] })),
        ]}
        errors={fieldErrors.direction}
      />
      <SelectField
        label="Agent"
        name="agentId"
        defaultValue={filters.agentId ?? ""}
        options={[
          anyOption,
          ...data.members.map((member) => ({ value: member.userId, label: member.name })),
        ]}
        errors={fieldErrors.agentId}
      />
      <SelectField
        label="Status"
        name="status"
        defaultValue={filters.status ?? ""}
        options={[
          anyOption,
          ...CALL_STATUSES.map((value) => ({ value, label: STATUS_LABELS[value] })),
        ]}
        errors={fieldErrors.status}
      />
      <SelectField
        label="Outcome"
        name="outcome"
        defaultValue={filters.outcome ?? ""}
        options={[
          anyOption,
          ...CALL_OUTCOMES.map((value) => ({ value, label: OUTCOME_LABELS[value] })),
        ]}
        errors={fieldErrors.outcome}
      />
      <TextField
        label="From"
        name="from"
        type="date"
        defaultValue={filters.from ?? ""}
        errors={fieldErrors.from}
      />
      <TextField
        label="To"
        name="to"
        type="date"
        defaultValue={filters.to ?? ""}
        errors={fieldErrors.to}
      />
      <TextField
        label="Number"
        name="number"
        type="search"
        inputMode="tel"
        placeholder="e.g. 415555"
        defaultValue={filters.number ?? ""}
        errors={fieldErrors.number}
      />
      <div className="flex items-end gap-2">
        <Button variant="secondary">Apply</Button>
        {Object.keys(filters).length > 0 ? (
          <Link to="/app/calls" className={cx(buttonClass("ghost"))}>
            Clear
          </Link>
        ) : null}
      </div>
    </Form>
  );
}

export function ErrorBoundary() {
  return <RouteError />;
}
