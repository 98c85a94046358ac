import { useEffect, useId, useRef, useState } from "react";
import { callApi, errorMessage } from "../lib/api-client";
import { Button, controlClass, cx, focusRing } from "./ui";

/*
 * "Insert article" in the reply composers (tickets, inbox): a small search over the knowledge
 * base's published articles through the API (`GET /api/v1/kb/articles?status=published&q=`,
 * typo-tolerant), so no article data rides in the page. Choosing one hands the composer its
 * title and public address to put at the cursor.
 */

interface PickedArticle {
  id: string;
  title: string;
  categoryName: string | null;
  helpUrl: string;
}

/** The text a chosen article becomes in a reply: its title and its help-page address. */
export function articleLinkText(article: { title: string; helpUrl: string }): string {
  return `${article.title}: ${article.helpUrl}`;
}

/**
 * `text` put in place of the selection of `textarea` (a space before it when it would touch a
 * word): the new value and where the caret goes.
 */
export function insertAtCursor(textarea: HTMLTextAreaElement, text: string) {
  const { value, selectionStart, selectionEnd } = textarea;
  const before = value.slice(0, selectionStart);
  const spaced = before && !/\s$/.test(before) ? ` ${text}` : text;
  return {
    value: `${before}${spaced}${value.slice(selectionEnd)}`,
    caret: selectionStart + spaced.length,
  };
}

export function ArticleLinkPicker({ onPick }: { onPick: (text: string) => void }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <div className="relative">
      <Button
        type="button"
        size="sm"
        variant="ghost"
        aria-expanded={open}
        aria-controls={open ? `${id}-panel` : undefined}
        onClick={() => setOpen((value) => !value)}
        data-testid="insert-article"
      >
        Insert article
      </Button>
      {open ? (
        <ArticleSearch
          id={`${id}-panel`}
          onClose={() => setOpen(false)}
          onPick={(article) => {
            setOpen(false);
            onPick(articleLinkText(article));
          }}
        />
      ) : null}
    </div>
  );
}

function ArticleSearch({
  id,
  onClose,
  onPick,
}: {
  id: string;
  onClose: () => void;
  onPick: (article: PickedArticle) => void;
}) {
  const [q, setQ] = useState("");
  const [articles, setArticles] = useState<PickedArticle[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => inputRef.current?.focus(), []);
  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      const query = new URLSearchParams({ status: "published", limit: "8" });
      if (q.trim()) query.set("q", q.trim());
      callApi<PickedArticle[]>(`/kb/articles?${query.toString()}`, {
        signal: controller.signal,
      })
        .then((answer) => {
          setArticles(answer.data);
          setError(null);
        })
        .catch((failure: unknown) => {
          if (!controller.signal.aborted) setError(errorMessage(failure));
        });
    }, 200);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [q]);

  return (
    <div
      id={id}
      role="dialog"
      aria-label="Insert a help article"
      className="absolute bottom-full left-0 z-20 mb-1 w-80 max-w-[calc(100vw-2rem)] rounded-lg bg-white p-2 shadow-lg ring-1 ring-slate-200"
      onKeyDown={(event) => {
        if (event.key === "Escape") {
          event.preventDefault();
          event.stopPropagation();
          onClose();
        }
      }}
    >
      <label htmlFor={`${id}-q`} className="sr-only">
        Search published articles
      </label>
      <input
        ref={inputRef}
        id={`${id}-q`}
        type="search"
        value={q}
        maxLength={200}
        placeholder="Search published articles"
        onChange={(event) => setQ(event.currentTarget.value)}
        onKeyDown={(event) => {
          const first = articles?.[0];
          if (event.key === "Enter") {
            event.preventDefault();
            if (first) onPick(first);
          }
        }}
        className={controlClass(false, "sm")}
      />
      {error ? (
        <p role="alert" className="px-1 pt-2 text-xs text-red-700">
          {error}
        </p>
      ) : articles === null ? (
        <p className="px-1 pt-2 text-xs text-slate-500">Searching…</p>
      ) : articles.length === 0 ? (
        <p className="px-1 pt-2 text-xs text-slate-500">
          {q.trim() ? "No published article matches." : "No published articles yet."}
        </p>
      ) : (
        <ul className="mt-1 max-h-60 overflow-y-auto" data-testid="article-results">
          {articles.map((article) => (
            <li key={article.id}>
              <button
                type="button"
                onClick={() => onPick(article)}
                className={cx(
                  "block w-full rounded px-2 py-1.5 text-left text-sm hover:bg-indigo-50",
                  focusRing,
                )}
              >
                <span className="block truncate font-medium text-slate-900">{article.title}</span>
                {article.categoryName ? (
                  <span className="block truncate text-xs text-slate-500">
                    {article.categoryName}
                  </span>
                ) : null}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
