import { Link } from "@remix-run/react";
import type { FocusEvent, KeyboardEvent, MouseEvent, PointerEvent, ReactNode } from "react";
import { formatMoney } from "../lib/record-format";
import type { BoardCard, BoardColumn } from "./kanban-model";
import { Avatar, cx, focusRing } from "./ui";

/** The company and/or contact a deal is with, as one line. */
function counterpart(card: BoardCard) {
  return [card.companyName, card.contactName].filter(Boolean).join(" · ");
}

/** What the card's link reads out: title, amount, with whom, owner. */
function describeCard(card: BoardCard) {
  const withWhom = counterpart(card);
  return [
    card.title,
    formatMoney(card.amount, card.currency),
    withWhom,
    card.ownerName ? `owner ${card.ownerName}` : "unassigned",
  ]
    .filter(Boolean)
    .join(", ");
}

export function CardBody({ card }: { card: BoardCard }) {
  const withWhom = counterpart(card);
  return (
    <>
      <p className="text-sm font-medium break-words text-slate-900">{card.title}</p>
      <p className="mt-1 text-sm text-slate-700 tabular-nums">
        {formatMoney(card.amount, card.currency)}
      </p>
      <div className="mt-2 flex items-center justify-between gap-2">
        <p className="min-w-0 truncate text-xs text-slate-600">{withWhom || "No company"}</p>
        {card.ownerName ? (
          <span className="flex shrink-0 items-center" title={`Owner: ${card.ownerName}`}>
            <Avatar name={card.ownerName} size="sm" />
            <span className="sr-only">Owner: {card.ownerName}</span>
          </span>
        ) : (
          <span className="shrink-0 text-[11px] text-slate-500">Unassigned</span>
        )}
      </div>
    </>
  );
}

interface KanbanCardProps {
  card: BoardCard;
  columns: BoardColumn[];
  stageId: string;
  /** Lifted with the keyboard or the pointer: drawn as the drop preview. */
  lifted: boolean;
  /** A move of this card is being saved. */
  saving: boolean;
  draggable: boolean;
  instructionsId: string;
  onHandleKeyDown: (event: KeyboardEvent<HTMLAnchorElement>, card: BoardCard) => void;
  onHandleBlur: (event: FocusEvent<HTMLAnchorElement>, card: BoardCard) => void;
  onPointerDown: (event: PointerEvent<HTMLElement>, card: BoardCard) => void;
  onClickCapture: (event: MouseEvent) => void;
}

/**
 * One deal: a link to its page that is also the drag handle (pointer) and the keyboard handle
 * (Space picks it up). Without JavaScript a small form moves it to another stage instead.
 */
export function KanbanCard(props: KanbanCardProps) {
  const { card, lifted, saving, draggable } = props;
  return (
    <li
      data-card-id={card.id}
      onPointerDown={(event) => props.onPointerDown(event, card)}
      onClickCapture={props.onClickCapture}
      className={cx(
        "group relative rounded-md bg-white p-3 shadow-xs ring-1 select-none",
        lifted
          ? "opacity-60 ring-2 ring-indigo-500 ring-dashed"
          : "ring-slate-200 hover:ring-slate-300",
        draggable && !lifted ? "cursor-grab" : undefined,
        saving ? "animate-pulse" : undefined,
      )}
    >
      <Link
        to={`/app/deals/${card.id}`}
        data-card-handle={card.id}
        draggable={false}
        onDragStart={(event) => event.preventDefault()}
        onKeyDown={(event) => props.onHandleKeyDown(event, card)}
        onBlur={(event) => props.onHandleBlur(event, card)}
        aria-describedby={draggable ? props.instructionsId : undefined}
        className={cx(
          "absolute inset-0 z-10 rounded-md",
          focusRing,
          lifted ? "outline-2 outline-offset-2 outline-indigo-600" : undefined,
        )}
      >
        <span className="sr-only">
          {describeCard(card)}
          {saving ? ", saving" : ""}
        </span>
      </Link>
      <div aria-hidden="true">
        <CardBody card={card} />
      </div>
      {saving ? (
        <span className="absolute top-2 right-2 text-[10px] font-medium text-indigo-700">
          Saving…
        </span>
      ) : null}
      {draggable ? (
        <NoScriptMove card={card} columns={props.columns} stageId={props.stageId} />
      ) : null}
    </li>
  );
}

/** The no-JavaScript fallback: pick a stage and submit (the card goes to its end). */
function NoScriptMove({
  card,
  columns,
  stageId,
}: {
  card: BoardCard;
  columns: BoardColumn[];
  stageId: string;
}) {
  return (
    <noscript>
      <form method="post" className="relative z-20 mt-2 flex items-center gap-1.5">
        <input type="hidden" name="intent" value="move" />
        <input type="hidden" name="dealId" value={card.id} />
        <input type="hidden" name="version" value={card.version} />
        <label className="sr-only" htmlFor={`move-${card.id}`}>
          Move {card.title} to stage
        </label>
        <select
          id={`move-${card.id}`}
          name="stageId"
          defaultValue={stageId}
          className="h-7 min-w-0 flex-1 rounded-md border-0 bg-white px-2 text-xs ring-1 ring-slate-300 ring-inset"
        >
          {columns.map((column) => (
            <option key={column.id} value={column.id}>
              {column.name}
            </option>
          ))}
        </select>
        <button
          type="submit"
          className="h-7 rounded-md bg-white px-2 text-xs font-medium text-slate-800 ring-1 ring-slate-300 ring-inset"
        >
          Move
        </button>
      </form>
    </noscript>
  );
}

/** The card following the pointer while it is dragged. */
export function DragGhost({
  card,
  position,
}: {
  card: BoardCard;
  position: { x: number; y: number; width: number };
}): ReactNode {
  return (
    <div
      aria-hidden="true"
      className="pointer-events-none fixed top-0 left-0 z-50 rounded-md bg-white p-3 shadow-xl ring-1 ring-indigo-300"
      style={{
        width: position.width,
        transform: `translate(${position.x}px, ${position.y}px) rotate(2deg)`,
      }}
    >
      <CardBody card={card} />
    </div>
  );
}
