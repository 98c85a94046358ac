import {
  type FocusEvent,
  type KeyboardEvent,
  type MouseEvent,
  type PointerEvent,
  type ReactNode,
  type RefObject,
  useCallback,
  useEffect,
  useId,
  useRef,
  useState,
} from "react";
import { formatCount, formatTotals } from "./charts";
import { DragGhost, KanbanCard } from "./kanban-card";
import {
  applyMove,
  type BoardCard,
  type BoardColumn,
  type CardMove,
  describePlace,
  locateCard,
  stepTarget,
} from "./kanban-model";
import { Badge, Button, cx } from "./ui";

/*
 * The kanban: columns of cards that move with the pointer (drag and drop with pointer events)
 * or with the keyboard (Space picks a card up, arrows move it, Space drops, Escape cancels),
 * announced through a live region. While a card is lifted the board shows it where it would
 * land; a drop hands the move to `onMove` (the route saves it and shows it optimistically).
 */

export interface MoveRequest extends CardMove {
  version: number;
  title: string;
}

interface Lift {
  cardId: string;
  mode: "keyboard" | "pointer";
  stageId: string;
  index: number;
  origin: { stageId: string; index: number };
}

interface PointerDrag {
  cardId: string;
  pointerId: number;
  startX: number;
  startY: number;
  offsetX: number;
  offsetY: number;
  width: number;
  started: boolean;
}

const DRAG_THRESHOLD_PX = 6;
const EDGE_SCROLL_PX = 56;

type ArrowKey = "ArrowUp" | "ArrowDown" | "ArrowLeft" | "ArrowRight";
const ARROWS = new Set<string>(["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight"]);

export function KanbanBoard({
  columns,
  canWrite,
  savingIds,
  onMove,
  footer,
}: {
  columns: BoardColumn[];
  canWrite: boolean;
  savingIds: ReadonlySet<string>;
  onMove: (move: MoveRequest) => void;
  footer?: (column: BoardColumn) => ReactNode;
}) {
  const instructionsId = useId();
  const [lift, setLiftState] = useState<Lift | null>(null);
  const [ghost, setGhost] = useState<{ x: number; y: number; width: number } | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const liftRef = useRef<Lift | null>(null);
  const columnsRef = useRef(columns);
  columnsRef.current = columns;
  const dragRef = useRef<PointerDrag | null>(null);
  const suppressClickRef = useRef(false);
  const scrollRef = useRef<HTMLDivElement>(null);
  const refocusRef = useRef<string | null>(null);

  const setLift = useCallback((next: Lift | null) => {
    liftRef.current = next;
    setLiftState(next);
  }, []);

  const displayed = lift
    ? applyMove(columns, { cardId: lift.cardId, stageId: lift.stageId, index: lift.index })
    : columns;
  const liftedCard = lift ? (locateCard(columns, lift.cardId)?.card ?? null) : null;

  const canDrag = (card: BoardCard) => canWrite && card.editable && !savingIds.has(card.id);

  const pickUp = useCallback(
    (card: BoardCard, mode: Lift["mode"]) => {
      const place = locateCard(columnsRef.current, card.id);
      if (!place) return;
      const origin = { stageId: place.stageId, index: place.index };
      setLift({ cardId: card.id, mode, ...origin, origin });
      setAnnouncement(
        `Picked up ${card.title}. ${describePlace(columnsRef.current, place.stageId, place.index)}.` +
          (mode === "keyboard"
            ? " Use the arrow keys to move it, Space to drop it, Escape to cancel."
            : ""),
      );
    },
    [setLift],
  );

  const cancel = useCallback(() => {
    const current = liftRef.current;
    if (!current) return;
    const card = locateCard(columnsRef.current, current.cardId)?.card;
    setLift(null);
    if (current.mode === "keyboard") refocusRef.current = current.cardId;
    setAnnouncement(
      `Move cancelled. ${card?.title ?? "The deal"} is back in ${describePlace(
        columnsRef.current,
        current.origin.stageId,
        current.origin.index,
      )}.`,
    );
  }, [setLift]);

  const drop = useCallback(() => {
    const current = liftRef.current;
    if (!current) return;
    const card = locateCard(columnsRef.current, current.cardId)?.card;
    setLift(null);
    if (current.mode === "keyboard") refocusRef.current = current.cardId;
    if (!card) return;
    const unchanged =
      current.stageId === current.origin.stageId && current.index === current.origin.index;
    const target = { cardId: card.id, stageId: current.stageId, index: current.index };
    setAnnouncement(
      unchanged
        ? `${card.title} dropped where it was.`
        : `${card.title} dropped in ${describePlace(
            applyMove(columnsRef.current, target),
            current.stageId,
            current.index,
          )}.`,
    );
    if (!unchanged) onMove({ ...target, version: card.version, title: card.title });
  }, [onMove, setLift]);

  const moveLiftTo = useCallback(
    (target: { stageId: string; index: number }, announce: boolean) => {
      const current = liftRef.current;
      if (!current || (current.stageId === target.stageId && current.index === target.index)) {
        return;
      }
      setLift({ ...current, ...target });
      if (announce) {
        const preview = applyMove(columnsRef.current, { cardId: current.cardId, ...target });
        setAnnouncement(describePlace(preview, target.stageId, target.index));
      }
    },
    [setLift],
  );

  // Keyboard: the card's link is the handle.
  const onHandleKeyDown = (event: KeyboardEvent<HTMLAnchorElement>, card: BoardCard) => {
    const current = liftRef.current;
    if (!current || current.cardId !== card.id) {
      if (event.key === " " && !current && canDrag(card)) {
        event.preventDefault();
        pickUp(card, "keyboard");
      }
      return;
    }
    if (current.mode !== "keyboard") return;
    if (event.key === " " || event.key === "Enter") {
      event.preventDefault();
      drop();
    } else if (event.key === "Escape") {
      event.preventDefault();
      cancel();
    } else if (ARROWS.has(event.key)) {
      event.preventDefault();
      const next = stepTarget(columnsRef.current, current, event.key as ArrowKey, card.id);
      if (next) moveLiftTo(next, true);
      else setAnnouncement(`${card.title} cannot move further that way.`);
    }
  };

  const onHandleBlur = (event: FocusEvent<HTMLAnchorElement>, card: BoardCard) => {
    const current = liftRef.current;
    // Focus moved on to something else (Tab, a click): put the card back. A blur caused by the
    // card being re-drawn in another column has no related target and keeps the lift.
    if (current?.mode === "keyboard" && current.cardId === card.id && event.relatedTarget) {
      const handle = (event.relatedTarget as HTMLElement).dataset.cardHandle;
      if (handle !== card.id) cancel();
    }
  };

  // Keep keyboard focus on the lifted card as it is re-drawn in other columns.
  useEffect(() => {
    const id = lift?.mode === "keyboard" ? lift.cardId : refocusRef.current;
    refocusRef.current = null;
    if (!id) return;
    const handle = document.querySelector<HTMLElement>(`[data-card-handle="${id}"]`);
    if (handle && document.activeElement !== handle) handle.focus({ preventScroll: false });
  });

  // A lifted card deleted or moved away by someone else: drop the lift.
  useEffect(() => {
    if (lift && !locateCard(columns, lift.cardId)) {
      setLift(null);
      setGhost(null);
      dragRef.current = null;
      setAnnouncement("The deal you were moving was removed by someone else.");
    }
  }, [columns, lift, setLift]);

  // Pointer: press on a card, move past a small threshold to start dragging.
  const onPointerDown = (event: PointerEvent<HTMLElement>, card: BoardCard) => {
    if (event.button !== 0 || !event.isPrimary || liftRef.current || !canDrag(card)) return;
    const rect = event.currentTarget.getBoundingClientRect();
    dragRef.current = {
      cardId: card.id,
      pointerId: event.pointerId,
      startX: event.clientX,
      startY: event.clientY,
      offsetX: event.clientX - rect.left,
      offsetY: event.clientY - rect.top,
      width: rect.width,
      started: false,
    };
  };

  const onClickCapture = (event: MouseEvent) => {
    if (!suppressClickRef.current) return;
    suppressClickRef.current = false;
    event.preventDefault();
    event.stopPropagation();
  };

  useEffect(() => {
    const targetAt = (x: number, y: number, cardId: string) => {
      const board = scrollRef.current;
      if (!board) return null;
      const sections = [...board.querySelectorAll<HTMLElement>("[data-stage-id]")];
      let best: { section: HTMLElement; distance: number } | null = null;
      for (const section of sections) {
        const rect = section.getBoundingClientRect();
        const distance = x < rect.left ? rect.left - x : x > rect.right ? x - rect.right : 0;
        if (!best || distance < best.distance) best = { section, distance };
      }
      if (!best) return null;
      const stageId = best.section.dataset.stageId ?? "";
      const cards = [...best.section.querySelectorAll<HTMLElement>("[data-card-id]")].filter(
        (element) => element.dataset.cardId !== cardId,
      );
      const index = cards.filter((element) => {
        const rect = element.getBoundingClientRect();
        return rect.top + rect.height / 2 < y;
      }).length;
      return { stageId, index };
    };

    const scrollNearEdges = (x: number) => {
      const board = scrollRef.current;
      if (!board) return;
      const rect = board.getBoundingClientRect();
      if (x < rect.left + EDGE_SCROLL_PX) board.scrollLeft -= 18;
      else if (x > rect.right - EDGE_SCROLL_PX) board.scrollLeft += 18;
    };

    const onMove = (event: globalThis.PointerEvent) => {
      const drag = dragRef.current;
      if (!drag || event.pointerId !== drag.pointerId) return;
      if (!drag.started) {
        const distance = Math.hypot(event.clientX - drag.startX, event.clientY - drag.startY);
        if (distance < DRAG_THRESHOLD_PX) return;
        const card = locateCard(columnsRef.current, drag.cardId)?.card;
        if (!card) {
          dragRef.current = null;
          return;
        }
        drag.started = true;
        pickUp(card, "pointer");
      }
      event.preventDefault();
      setGhost({
        x: event.clientX - drag.offsetX,
        y: event.clientY - drag.offsetY,
        width: drag.width,
      });
      scrollNearEdges(event.clientX);
      const target = targetAt(event.clientX, event.clientY, drag.cardId);
      if (target) moveLiftTo(target, false);
    };

    const finish = (event: globalThis.PointerEvent, commit: boolean) => {
      const drag = dragRef.current;
      if (!drag || event.pointerId !== drag.pointerId) return;
      dragRef.current = null;
      if (!drag.started) return;
      setGhost(null);
      suppressClickRef.current = true;
      window.setTimeout(() => {
        suppressClickRef.current = false;
      }, 100);
      if (commit) drop();
      else cancel();
    };
    const onUp = (event: globalThis.PointerEvent) => finish(event, true);
    const onCancel = (event: globalThis.PointerEvent) => finish(event, false);
    // A click anywhere puts a card lifted with the keyboard back.
    const onDown = () => {
      if (liftRef.current?.mode === "keyboard") cancel();
    };
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.key !== "Escape" || !dragRef.current?.started) return;
      dragRef.current = null;
      setGhost(null);
      cancel();
    };

    window.addEventListener("pointermove", onMove, { passive: false });
    window.addEventListener("pointerup", onUp);
    window.addEventListener("pointercancel", onCancel);
    window.addEventListener("keydown", onKey);
    window.addEventListener("pointerdown", onDown);
    return () => {
      window.removeEventListener("pointerdown", onDown);
      window.removeEventListener("pointermove", onMove);
      window.removeEventListener("pointerup", onUp);
      window.removeEventListener("pointercancel", onCancel);
      window.removeEventListener("keydown", onKey);
    };
  }, [cancel, drop, moveLiftTo, pickUp]);

  return (
    <>
      <p id={instructionsId} className="sr-only">
        Press Space to pick this deal up, the arrow keys to move it between positions and stages,
        Space again to drop it, or Escape to cancel. Press Enter to open it.
      </p>
      <div aria-live="assertive" aria-atomic="true" className="sr-only" data-testid="board-live">
        {announcement}
      </div>
      <BoardScroller scrollRef={scrollRef}>
        <div className="flex w-max min-w-full items-start gap-3">
          {displayed.map((column) => (
            <StageColumn
              key={column.id}
              column={column}
              isTarget={lift?.stageId === column.id}
              footer={footer?.(column)}
            >
              {column.cards.map((card) => (
                <KanbanCard
                  key={card.id}
                  card={card}
                  columns={columns}
                  stageId={column.id}
                  lifted={lift?.cardId === card.id}
                  saving={savingIds.has(card.id)}
                  draggable={canDrag(card)}
                  instructionsId={instructionsId}
                  onHandleKeyDown={onHandleKeyDown}
                  onHandleBlur={onHandleBlur}
                  onPointerDown={onPointerDown}
                  onClickCapture={onClickCapture}
                />
              ))}
            </StageColumn>
          ))}
        </div>
      </BoardScroller>
      {ghost && liftedCard ? <DragGhost card={liftedCard} position={ghost} /> : null}
    </>
  );
}

/** Which way the board can still scroll. */
function useScrollEdges(scrollRef: RefObject<HTMLDivElement>) {
  const [edges, setEdges] = useState({ left: false, right: false });
  useEffect(() => {
    const board = scrollRef.current;
    if (!board) return;
    const update = () => {
      const left = board.scrollLeft > 1;
      const right = board.scrollLeft + board.clientWidth < board.scrollWidth - 1;
      setEdges((current) =>
        current.left === left && current.right === right ? current : { left, right },
      );
    };
    update();
    board.addEventListener("scroll", update, { passive: true });
    const observer = new ResizeObserver(update);
    observer.observe(board);
    if (board.firstElementChild) observer.observe(board.firstElementChild);
    return () => {
      board.removeEventListener("scroll", update);
      observer.disconnect();
    };
  }, [scrollRef]);
  return edges;
}

/**
 * The board's sideways scroll, made visible: a scrollbar that stays, shadows on the edges
 * with more stages behind them, and buttons that scroll by most of a screen.
 */
function BoardScroller({
  scrollRef,
  children,
}: {
  scrollRef: RefObject<HTMLDivElement>;
  children: ReactNode;
}) {
  const edges = useScrollEdges(scrollRef);
  const scrollBy = (direction: 1 | -1) => {
    const board = scrollRef.current;
    if (!board) return;
    board.scrollBy({ left: direction * board.clientWidth * 0.8, behavior: "smooth" });
  };
  const scrollable = edges.left || edges.right;
  return (
    <div>
      {scrollable ? (
        <div className="mb-2 flex justify-end gap-1.5">
          <Button
            type="button"
            variant="secondary"
            size="sm"
            disabled={!edges.left}
            onClick={() => scrollBy(-1)}
          >
            <span aria-hidden="true">←</span> Earlier stages
          </Button>
          <Button
            type="button"
            variant="secondary"
            size="sm"
            disabled={!edges.right}
            onClick={() => scrollBy(1)}
          >
            Later stages <span aria-hidden="true">→</span>
          </Button>
        </div>
      ) : null}
      <div className="relative">
        <div
          ref={scrollRef}
          data-testid="board-scroll"
          className="relative overflow-x-auto pb-4 [scrollbar-color:var(--color-slate-400)_transparent] [scrollbar-width:thin]"
        >
          {children}
        </div>
        <div
          aria-hidden="true"
          className={cx(
            "pointer-events-none absolute inset-y-0 left-0 w-8 bg-linear-to-r from-slate-900/10 to-transparent transition-opacity",
            edges.left ? "opacity-100" : "opacity-0",
          )}
        />
        <div
          aria-hidden="true"
          className={cx(
            "pointer-events-none absolute inset-y-0 right-0 w-8 bg-linear-to-l from-slate-900/10 to-transparent transition-opacity",
            edges.right ? "opacity-100" : "opacity-0",
          )}
        />
      </div>
    </div>
  );
}

function StageColumn({
  column,
  isTarget,
  footer,
  children,
}: {
  column: BoardColumn;
  isTarget: boolean;
  footer: ReactNode;
  children: ReactNode;
}) {
  const id = useId();
  const shown = column.cards.length;
  return (
    <section
      aria-labelledby={`${id}-name`}
      data-stage-id={column.id}
      className={cx(
        // Columns share the width (six stages fit beside the sidebar at 1440 px), never
        // narrower than 10.5rem; more stages scroll sideways.
        "flex w-[10.5rem] max-w-80 min-w-[10.5rem] flex-1 shrink-0 flex-col rounded-lg bg-slate-100 p-2.5 ring-1 transition-shadow",
        isTarget ? "ring-2 ring-indigo-400" : "ring-slate-200",
      )}
    >
      <header className="px-1 pt-0.5 pb-2">
        <div className="flex items-center justify-between gap-2">
          <h2 id={`${id}-name`} className="truncate text-sm font-semibold text-slate-900">
            {column.name}
          </h2>
          {column.isWon ? (
            <Badge tone="success">Won</Badge>
          ) : column.isLost ? (
            <Badge>Lost</Badge>
          ) : null}
        </div>
        <p className="mt-0.5 text-xs text-slate-600" data-testid="stage-summary">
          <span>
            {formatCount(column.count)} {column.count === 1 ? "deal" : "deals"}
          </span>
          <span aria-hidden="true"> · </span>
          <span className="tabular-nums">{formatTotals(column.amountByCurrency)}</span>
        </p>
      </header>
      <ol aria-labelledby={`${id}-name`} className="flex min-h-16 flex-col gap-2">
        {children}
        {shown === 0 ? (
          <li className="rounded-md border border-dashed border-slate-300 px-3 py-5 text-center text-xs text-slate-500">
            No deals
          </li>
        ) : null}
      </ol>
      {column.count > shown ? (
        <p className="mt-2 px-1 text-xs text-slate-600">
          Showing the first {formatCount(shown)} of {formatCount(column.count)}.
        </p>
      ) : null}
      {footer}
    </section>
  );
}
