/*
 * SLA targets as people type and read them: "4h", "1h 30m", "45m" or plain minutes ("90").
 * The API counts minutes; the settings page shows and takes hours and minutes.
 */

const DURATION = /^(?:(\d{1,5})\s*h(?:ours?|rs?)?)?\s*(?:(\d{1,6})\s*m(?:in(?:utes?)?)?)?$/i;

/** Minutes, null for an empty field (no target), or undefined when it cannot be read. */
export function parseDuration(text: string): number | null | undefined {
  const value = text.trim();
  if (value === "") return null;
  if (/^\d{1,6}$/.test(value)) return Number(value);
  const match = DURATION.exec(value);
  if (!match || (match[1] === undefined && match[2] === undefined)) return undefined;
  return Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0);
}

/** "4h", "1h 30m", "45m"; "" without a target. */
export function formatDuration(minutes: number | null): string {
  if (minutes === null) return "";
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest}m`;
  return rest === 0 ? `${hours}h` : `${hours}h ${rest}m`;
}
