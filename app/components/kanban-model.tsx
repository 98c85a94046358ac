/*
 * The kanban's data and the pure moves on it, shared by the board route and its components.
 * A position is the 0-based index a card takes among the *other* cards of its target stage,
 * exactly what PATCH /deals/{id} and the deals service's `updateDeal` expect.
 */

export interface BoardCard {
  id: string;
  title: string;
  /** Integer minor units. */
  amount: number;
  currency: string;
  version: number;
  ownerName: string | null;
  companyName: string | null;
  contactName: string | null;
  /** Whether the signed-in user may move it (the deals service decides again on save). */
  editable: boolean;
}

export interface BoardColumn {
  id: string;
  name: string;
  isWon: boolean;
  isLost: boolean;
  /** Every live card of the stage (the column may show fewer). */
  count: number;
  amountByCurrency: Record<string, number>;
  cards: BoardCard[];
}

export interface CardMove {
  cardId: string;
  stageId: string;
  index: number;
}

export interface CardPlace {
  stageId: string;
  index: number;
  column: BoardColumn;
  card: BoardCard;
}

export function locateCard(columns: BoardColumn[], cardId: string): CardPlace | null {
  for (const column of columns) {
    const index = column.cards.findIndex((card) => card.id === cardId);
    const card = column.cards[index];
    if (card) return { stageId: column.id, index, column, card };
  }
  return null;
}

function withAmount(totals: Record<string, number>, card: BoardCard, sign: 1 | -1) {
  const next = { ...totals, [card.currency]: (totals[card.currency] ?? 0) + sign * card.amount };
  if (next[card.currency] === 0) delete next[card.currency];
  return next;
}

/**
 * The board with one card moved (idempotent: moving a card to where it already is changes
 * nothing). Counts and per-currency totals follow the card between columns.
 */
export function applyMove(columns: BoardColumn[], move: CardMove): BoardColumn[] {
  const from = locateCard(columns, move.cardId);
  if (!from || !columns.some((column) => column.id === move.stageId)) return columns;
  const { card } = from;
  const crossing = from.stageId !== move.stageId;
  return columns.map((column) => {
    const others = column.cards.filter((other) => other.id !== card.id);
    if (column.id === move.stageId) {
      const at = Math.min(Math.max(move.index, 0), others.length);
      return {
        ...column,
        cards: [...others.slice(0, at), card, ...others.slice(at)],
        ...(crossing && {
          count: column.count + 1,
          amountByCurrency: withAmount(column.amountByCurrency, card, 1),
        }),
      };
    }
    if (column.id === from.stageId) {
      return {
        ...column,
        cards: others,
        count: Math.max(0, column.count - 1),
        amountByCurrency: withAmount(column.amountByCurrency, card, -1),
      };
    }
    return column;
  });
}

/** Where a keyboard arrow takes a lifted card (null when it cannot go further that way). */
export function stepTarget(
  columns: BoardColumn[],
  current: { stageId: string; index: number },
  key: "ArrowUp" | "ArrowDown" | "ArrowLeft" | "ArrowRight",
  cardId: string,
): { stageId: string; index: number } | null {
  const columnIndex = columns.findIndex((column) => column.id === current.stageId);
  const otherCards = (column: BoardColumn) =>
    column.cards.filter((card) => card.id !== cardId).length;
  const column = columns[columnIndex];
  if (!column) return null;
  switch (key) {
    case "ArrowUp":
      return current.index > 0 ? { stageId: column.id, index: current.index - 1 } : null;
    case "ArrowDown":
      return current.index < otherCards(column)
        ? { stageId: column.id, index: current.index + 1 }
        : null;
    case "ArrowLeft":
    case "ArrowRight": {
      const next = columns[columnIndex + (key === "ArrowLeft" ? -1 : 1)];
      if (!next) return null;
      return { stageId: next.id, index: Math.min(current.index, otherCards(next)) };
    }
  }
}

/** "Qualified, position 2 of 4" (positions counted from 1 for people). */
export function describePlace(columns: BoardColumn[], stageId: string, index: number) {
  const column = columns.find((candidate) => candidate.id === stageId);
  if (!column) return "";
  return `${column.name}, position ${index + 1} of ${column.cards.length}`;
}
