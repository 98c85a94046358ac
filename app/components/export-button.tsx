import { useSearchParams } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import type { CrmEntity } from "../../shared/crm";
import { callApi } from "../lib/api-client";
import { readListParams, toServiceQuery } from "../lib/list-params";
import { useRecordEvents } from "../lib/realtime-context";
import { Button, buttonClass, cx } from "./ui";

/*
 * "Export CSV" for a list page: starts an export of the records matching the page's list query
 * (POST /api/v1/exports), waits for the `export.ready` event (polling the job every 2 s when
 * no event arrives, e.g. without a socket) and then offers the download link.
 *
 *   <ExportButton entity="contact" />                      // the current URL's filters/q/sort
 *   <ExportButton entity="deal" query={{ "filter.stageId": id }} />
 *
 * Exports need the `crm:export` permission (managers and up): render it only for them.
 * It needs JavaScript, so it appears once the page is interactive.
 */

const POLL_MS = 2000;

type State =
  | { kind: "idle" }
  | { kind: "starting" }
  | { kind: "running"; jobId: string }
  | { kind: "ready"; jobId: string; rowCount: number | null; downloadUrl: string }
  | { kind: "failed"; message: string };

interface ExportJob {
  id: string;
  status: "pending" | "running" | "completed" | "failed";
  rowCount: number | null;
  downloadUrl: string | null;
}

const START_FAILED = "The export could not be started.";

/** The list query of the current page as the services read it: filters, search, sort. */
function useListQuery(explicit: Record<string, string> | undefined) {
  const [params] = useSearchParams();
  if (explicit) return explicit;
  const { limit: _limit, cursor: _cursor, ...query } = toServiceQuery(readListParams(params), 1);
  return query;
}

function readyFrom(job: ExportJob): State | null {
  if (job.status === "completed" && job.downloadUrl) {
    return { kind: "ready", jobId: job.id, rowCount: job.rowCount, downloadUrl: job.downloadUrl };
  }
  if (job.status === "failed") return { kind: "failed", message: "The export failed. Try again." };
  return null;
}

export function ExportButton({
  entity,
  query,
  label = "Export CSV",
  className,
}: {
  entity: CrmEntity;
  query?: Record<string, string>;
  label?: string;
  className?: string;
}) {
  const [hydrated, setHydrated] = useState(false);
  const [state, setState] = useState<State>({ kind: "idle" });
  const lastEventAt = useRef(0);
  const listQuery = useListQuery(query);
  useEffect(() => setHydrated(true), []);

  useRecordEvents((event) => {
    if (event.type !== "export.ready" || state.kind !== "running" || event.jobId !== state.jobId) {
      return;
    }
    lastEventAt.current = Date.now();
    setState(
      event.status === "completed"
        ? {
            kind: "ready",
            jobId: event.jobId,
            rowCount: event.rowCount,
            downloadUrl: `/api/v1/exports/${event.jobId}/download`,
          }
        : { kind: "failed", message: "The export failed. Try again." },
    );
  });

  const runningJob = state.kind === "running" ? state.jobId : null;
  useEffect(() => {
    if (!runningJob) return;
    let cancelled = false;
    const timer = window.setInterval(async () => {
      if (Date.now() - lastEventAt.current < POLL_MS) return;
      try {
        const { data } = await callApi<ExportJob>(`/exports/${runningJob}`);
        const next = data ? readyFrom(data) : null;
        if (next && !cancelled) setState(next);
      } catch {
        // Keep waiting: a later poll or the event will tell.
      }
    }, POLL_MS);
    return () => {
      cancelled = true;
      window.clearInterval(timer);
    };
  }, [runningJob]);

  const start = async () => {
    setState({ kind: "starting" });
    try {
      const { data } = await callApi<ExportJob>(
        "/exports",
        {
          method: "POST",
          body: { entity, query: listQuery },
        },
        START_FAILED,
      );
      if (!data) throw new Error(START_FAILED);
      setState(readyFrom(data) ?? { kind: "running", jobId: data.id });
    } catch (error) {
      setState({ kind: "failed", message: (error as Error).message });
    }
  };

  if (!hydrated) return null;
  const busy = state.kind === "starting" || state.kind === "running";
  return (
    <div className={cx("flex flex-wrap items-center gap-2", className)}>
      {state.kind === "ready" ? (
        <a href={state.downloadUrl} download className={buttonClass("primary")}>
          Download CSV
          {state.rowCount !== null ? (
            <span className="font-normal opacity-90">
              {" "}
              ({state.rowCount} {state.rowCount === 1 ? "row" : "rows"})
            </span>
          ) : null}
        </a>
      ) : (
        <Button type="button" variant="secondary" pending={busy} disabled={busy} onClick={start}>
          {busy ? "Preparing export…" : label}
        </Button>
      )}
      {state.kind === "ready" ? (
        <Button type="button" variant="ghost" size="sm" onClick={start}>
          Export again
        </Button>
      ) : null}
      <span role="status" className={state.kind === "failed" ? "text-xs text-red-700" : "sr-only"}>
        {state.kind === "running"
          ? "Preparing the export."
          : state.kind === "ready"
            ? "The export is ready to download."
            : state.kind === "failed"
              ? state.message
              : ""}
      </span>
    </div>
  );
}
