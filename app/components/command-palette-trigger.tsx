import { lazy, useEffect, useRef, useState } from "react";
import { Kbd } from "./ui";

/*
 * What the shell needs of the command palette before it is opened: the sidebar's search
 * button and the Ctrl-K / Cmd-K shortcut. The palette itself (command-palette.tsx) is loaded
 * on demand, so it is not part of a page's first download (docs/decisions/024).
 */

const loadPalette = () => import("./command-palette");

/** The palette, fetched on first use (render it inside a Suspense boundary). */
export const CommandPalette = lazy(() =>
  loadPalette().then((module) => ({ default: module.CommandPalette })),
);

/** Fetches the palette ahead of use once the page has settled, so the first Ctrl-K is instant. */
const PREFETCH_AFTER_MS = 2_000;

/** Opens the palette on Ctrl-K / Cmd-K from anywhere in the app. */
export function useCommandPaletteShortcut(open: () => void) {
  const openRef = useRef(open);
  openRef.current = open;
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "k") {
        event.preventDefault();
        openRef.current();
      }
    };
    window.addEventListener("keydown", onKeyDown);
    const prefetch = setTimeout(() => void loadPalette(), PREFETCH_AFTER_MS);
    return () => {
      window.removeEventListener("keydown", onKeyDown);
      clearTimeout(prefetch);
    };
  }, []);
}

export function SearchGlyph({ className = "size-4 text-slate-500" }: { className?: string }) {
  return (
    <svg viewBox="0 0 24 24" fill="none" className={className} aria-hidden="true">
      <circle cx="11" cy="11" r="6.5" stroke="currentColor" strokeWidth="1.75" />
      <path d="m16 16 4.5 4.5" stroke="currentColor" strokeWidth="1.75" strokeLinecap="round" />
    </svg>
  );
}

/** "⌘ K" on Apple devices, "Ctrl K" elsewhere (decided once the page runs). */
function useShortcutLabel() {
  const [label, setLabel] = useState("Ctrl K");
  useEffect(() => {
    if (/Mac|iPhone|iPad/.test(navigator.platform)) setLabel("⌘ K");
  }, []);
  return label;
}

/** The sidebar's search button: opens the palette, or the search page without JavaScript. */
export function SearchButton({ onOpen }: { onOpen: () => void }) {
  const shortcut = useShortcutLabel();
  return (
    <a
      href="/app/search"
      onClick={(event) => {
        event.preventDefault();
        onOpen();
      }}
      className="flex w-full items-center gap-2 rounded-md bg-white px-2.5 py-1.5 text-sm text-slate-600 ring-1 ring-slate-200 ring-inset hover:ring-slate-300 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
    >
      <SearchGlyph />
      <span className="flex-1">Search…</span>
      <Kbd>{shortcut}</Kbd>
    </a>
  );
}
