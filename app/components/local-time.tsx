import { useEffect, useState } from "react";
import { formatInstantLocal, formatInstantUtc } from "../lib/record-format";

/** An instant: UTC on the server, then the reader's own time zone once the page runs. */
export function LocalTime({ iso }: { iso: string }) {
  const [text, setText] = useState(() => formatInstantUtc(iso));
  useEffect(() => setText(formatInstantLocal(iso)), [iso]);
  return <time dateTime={iso}>{text}</time>;
}
