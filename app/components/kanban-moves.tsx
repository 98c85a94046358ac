import { useFetcher, useRevalidator } from "@remix-run/react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { FormFailure } from "../lib/forms";
import type { MoveRequest } from "./kanban-board";
import { applyMove, type BoardColumn } from "./kanban-model";

/*
 * Saving card moves optimistically. Each drop becomes a fetcher submission (intent "move" to
 * the board route's action, which calls the deals service); until it settles the board shows
 * the loader's data with every pending move applied on top. When the action succeeds Remix
 * has already reloaded the board; when it fails (409 stale, 403 not yours, ...) the pending
 * move is dropped (the card goes back), the board is reloaded and the reason is shown.
 */

export type MoveResult = { ok: true; intent: "move"; dealId: string } | FormFailure;

interface PendingMove extends MoveRequest {
  key: string;
}

export interface MoveNotice {
  tone: "error" | "info";
  text: string;
}

let sequence = 0;

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

export function useDealMoves(columns: BoardColumn[]) {
  const [pending, setPending] = useState<PendingMove[]>([]);
  const [notice, setNotice] = useState<MoveNotice | null>(null);
  const revalidator = useRevalidator();

  const move = useCallback((request: MoveRequest) => {
    sequence += 1;
    setNotice(null);
    setPending((moves) => [
      ...moves,
      { ...request, key: `deal-move:${request.cardId}:${sequence}` },
    ]);
  }, []);

  const settle = useCallback(
    (settled: PendingMove, result: MoveResult) => {
      setPending((moves) => moves.filter((candidate) => candidate.key !== settled.key));
      if (result.ok) return;
      setNotice({
        tone: "error",
        text: `“${settled.title}” was not moved: ${lowerFirst(result.message)}`,
      });
      revalidator.revalidate();
    },
    [revalidator],
  );

  const shown = useMemo(() => pending.reduce(applyMove, columns), [columns, pending]);
  const savingIds = useMemo(() => new Set(pending.map((entry) => entry.cardId)), [pending]);
  const submissions = pending.map((entry) => (
    <MoveSubmission key={entry.key} move={entry} onSettled={settle} />
  ));

  return { columns: shown, savingIds, move, notice, setNotice, submissions };
}

/** Posts one move when mounted and reports the action's answer once. */
function MoveSubmission({
  move,
  onSettled,
}: {
  move: PendingMove;
  onSettled: (move: PendingMove, result: MoveResult) => void;
}) {
  const fetcher = useFetcher<MoveResult>({ key: move.key });
  const sent = useRef(false);
  const reported = useRef(false);

  useEffect(() => {
    if (sent.current) return;
    sent.current = true;
    fetcher.submit(
      {
        intent: "move",
        dealId: move.cardId,
        stageId: move.stageId,
        position: String(move.index),
        version: String(move.version),
      },
      { method: "post" },
    );
  }, [fetcher, move]);

  useEffect(() => {
    if (reported.current || fetcher.state !== "idle" || fetcher.data === undefined) return;
    reported.current = true;
    onSettled(move, fetcher.data);
  }, [fetcher.state, fetcher.data, move, onSettled]);

  return null;
}
