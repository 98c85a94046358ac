import { Link, useFetcher } from "@remix-run/react";
import { useEffect, useState } from "react";
import { listSearch } from "../../lib/list-params";
import { buttonClass } from "../ui";
import type { RecordListConfig, RecordListData } from "./types";

interface Page<Row> {
  rows: Row[];
  nextCursor: string | null;
}

interface MoreRows<Row> {
  rows: Row[];
  nextCursor: string | null;
  loading: boolean;
  load(): void;
}

/** "Load more": the next pages, fetched in place and appended (reset when the list changes). */
export function useMoreRows<Row>(data: RecordListData<Row>, path: string): MoreRows<Row> {
  const fetcher = useFetcher();
  const [pages, setPages] = useState<Page<Row>[]>([]);
  const key = `${listSearch(data.params, { cursor: null })}|${data.rows.map((row) => (row as { id: string }).id).join(",")}`;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` names the first page
  useEffect(() => setPages([]), [key]);
  useEffect(() => {
    // The loader's own data for the next page (it is the same route).
    const page = fetcher.data as Page<Row> | undefined;
    if (fetcher.state === "idle" && page?.rows) {
      setPages((current) => (current.includes(page) ? current : [...current, page]));
    }
  }, [fetcher.state, fetcher.data]);
  const nextCursor = pages.length > 0 ? (pages.at(-1)?.nextCursor ?? null) : data.nextCursor;
  return {
    rows: pages.flatMap((page) => page.rows),
    nextCursor,
    loading: fetcher.state !== "idle",
    load() {
      if (!nextCursor || fetcher.state !== "idle") return;
      const search = listSearch(data.params, { cursor: nextCursor });
      fetcher.load(`${path}${search}&index`);
    },
  };
}

export function Pager<Row>({
  data,
  config,
  more,
}: {
  data: RecordListData<Row>;
  config: RecordListConfig;
  more: MoreRows<Row>;
}) {
  const paged = Boolean(data.params.cursor);
  if (!more.nextCursor && !paged) return null;
  return (
    <div className="flex justify-between gap-3 border-t border-slate-200 px-5 py-3">
      {paged ? (
        <Link
          to={listSearch(data.params, { cursor: null })}
          className={buttonClass("secondary", "sm")}
        >
          First page
        </Link>
      ) : (
        <span />
      )}
      {more.nextCursor ? (
        <Link
          to={listSearch(data.params, { cursor: more.nextCursor })}
          preventScrollReset
          onClick={(event) => {
            event.preventDefault();
            more.load();
          }}
          aria-busy={more.loading || undefined}
          className={buttonClass("secondary", "sm")}
        >
          {more.loading ? "Loading…" : `Load more ${config.many}`}
        </Link>
      ) : null}
    </div>
  );
}
