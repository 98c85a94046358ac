/*
 * Canned replies: answers the team gives often, typed with a `/shortcut` in the composer
 * (`/` opens the list, more letters narrow it, Enter or Tab puts the text in). A small built-in
 * list for now; `{name}` becomes the contact's first name.
 */

export interface CannedReply {
  shortcut: string;
  title: string;
  text: string;
}

export const CANNED_REPLIES: readonly CannedReply[] = [
  {
    shortcut: "hello",
    title: "Greeting",
    text: "Hi {name}, thanks for getting in touch! How can I help you today?",
  },
  {
    shortcut: "order",
    title: "Ask for the order number",
    text: "Could you send me your order number? It starts with # and is in your confirmation e-mail.",
  },
  {
    shortcut: "checking",
    title: "Looking into it",
    text: "Thanks, {name}. I'm looking into this now and will get back to you shortly.",
  },
  {
    shortcut: "hours",
    title: "Opening hours",
    text: "We're here Monday to Friday, 9:00 to 18:00. Outside those hours we answer the next working day.",
  },
  {
    shortcut: "shipping",
    title: "Shipping times",
    text: "Orders leave our warehouse within 2 working days; delivery takes 3 to 5 working days after that.",
  },
  {
    shortcut: "refund",
    title: "Refund started",
    text: "I've started your refund. It usually shows on your statement within 5 to 10 working days.",
  },
  {
    shortcut: "thanks",
    title: "Closing",
    text: "Glad I could help, {name}! Is there anything else I can do for you?",
  },
];

/** The `/query` being typed when the whole draft is a shortcut in the making, else null. */
export function cannedQuery(draft: string): string | null {
  const match = /^\/([\w-]*)$/.exec(draft);
  return match ? (match[1] ?? "").toLowerCase() : null;
}

/** Replies whose shortcut or title matches the query, shortcut matches first. */
export function matchingReplies(query: string): CannedReply[] {
  const starts = CANNED_REPLIES.filter((reply) => reply.shortcut.startsWith(query));
  const rest = CANNED_REPLIES.filter(
    (reply) => !starts.includes(reply) && reply.title.toLowerCase().includes(query),
  );
  return [...starts, ...rest];
}

/** The reply's text for this contact. */
export function fillReply(reply: CannedReply, contactName: string | null): string {
  const first = contactName?.trim().split(/\s+/)[0] ?? "";
  return first ? reply.text.replaceAll("{name}", first) : reply.text.replace(/,? \{name\}/g, "");
}
