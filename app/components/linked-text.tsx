import { Fragment } from "react";
import { cx, focusRing } from "./ui";

/*
 * Plain text someone wrote (a ticket comment, an inbox message) with its web addresses as
 * links: only http(s) ones, opened in a new tab without the opener or our referrer. Everything
 * else stays text (React escapes it), so no markup or `javascript:` ever becomes live.
 */

const URL_PATTERN = /https?:\/\/[^\s<>"']+/g;
/** Punctuation that ends a sentence rather than the address. */
const TRAILING = /[.,;:!?)\]}]+$/;

export function LinkedText({ text }: { text: string }) {
  const parts: { text: string; href?: string }[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const start = match.index ?? 0;
    const address = match[0].replace(TRAILING, "");
    if (start > last) parts.push({ text: text.slice(last, start) });
    parts.push({ text: address, href: address });
    last = start + address.length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return (
    <>
      {parts.map((part, index) =>
        part.href ? (
          <a
            // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one text, in order
            key={index}
            href={part.href}
            target="_blank"
            rel="noopener noreferrer nofollow"
            className={cx("break-all text-indigo-700 underline hover:text-indigo-600", focusRing)}
          >
            {part.text}
          </a>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one text, in order
          <Fragment key={index}>{part.text}</Fragment>
        ),
      )}
    </>
  );
}
