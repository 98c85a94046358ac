/*
 * A contact's e-mail addresses and phone numbers as the record page edits them: one row per
 * entry (the address or number, a label such as "work", and which one is primary), posted as
 * `phones.0.raw`, `phones.0.label`... plus `phones.primary` (the primary row's index), and
 * sent to the API as the whole list. Rows left blank are not sent.
 */

export type ChannelListKind = "email_list" | "phone_list";

/** The key of an entry's address or number in the API (`{ email }`, `{ raw }`). */
export const CHANNEL_VALUE_KEYS = {
  email_list: "email",
  phone_list: "raw",
} as const satisfies Record<ChannelListKind, string>;

export type ChannelValueKey = (typeof CHANNEL_VALUE_KEYS)[ChannelListKind];

export interface ChannelRow {
  value: string;
  label: string;
  primary: boolean;
}

export interface ChannelEntry {
  primary: boolean;
  label?: string;
  [valueKey: string]: unknown;
}

/** The form fields of one row ("phones.1.raw", "phones.1.label"). */
export function rowInputName(field: string, index: number, part: ChannelValueKey | "label") {
  return `${field}.${index}.${part}`;
}

/** The form field holding the primary row's index ("phones.primary"). */
export function primaryInputName(field: string) {
  return `${field}.primary`;
}

function hasValue(row: ChannelRow) {
  return row.value.trim() !== "";
}

/** A record's entries as rows. */
export function rowsFromEntries(entries: unknown, valueKey: ChannelValueKey): ChannelRow[] {
  if (!Array.isArray(entries)) return [];
  return entries.map((entry: ChannelEntry) => ({
    value: String(entry[valueKey] ?? ""),
    label: entry.label ?? "",
    primary: entry.primary === true,
  }));
}

/** The rows a form posted, in their order (blank ones included). */
export function rowsFromForm(
  values: Record<string, string>,
  field: string,
  valueKey: ChannelValueKey,
): ChannelRow[] {
  const pattern = new RegExp(`^${field}\\.(\\d+)\\.${valueKey}$`);
  const indexes = Object.keys(values)
    .flatMap((name) => pattern.exec(name)?.slice(1) ?? [])
    .map(Number)
    .sort((a, b) => a - b);
  const primary = values[primaryInputName(field)];
  return indexes.map((index) => ({
    value: values[rowInputName(field, index, valueKey)] ?? "",
    label: values[rowInputName(field, index, "label")] ?? "",
    primary: primary === String(index),
  }));
}

/** A row as an API entry (trimmed; no label when none was given). */
export function entryOfRow(row: ChannelRow, valueKey: ChannelValueKey): ChannelEntry {
  const label = row.label.trim();
  return { [valueKey]: row.value.trim(), primary: row.primary, ...(label ? { label } : {}) };
}

/** The list to send: the rows with an address or number. */
export function entriesFromRows(rows: readonly ChannelRow[], valueKey: ChannelValueKey) {
  return rows.filter(hasValue).map((row) => entryOfRow(row, valueKey));
}

export interface RowErrors {
  value?: string[];
  label?: string[];
}

/**
 * The API's errors for a list, by row. The API counts only the rows sent (blank ones are left
 * out), so `phones.1` or `phones.1.raw` belongs to the second row with a number. Errors about
 * the list itself (or anything no input shows) come back as `list`.
 */
export function channelErrors(
  rows: readonly ChannelRow[],
  fieldErrors: Record<string, string[]> | undefined,
  field: string,
  valueKey: ChannelValueKey,
): { rows: RowErrors[]; list: string[] } {
  const sentRows = rows.flatMap((row, index) => (hasValue(row) ? [index] : []));
  const byRow: RowErrors[] = rows.map(() => ({}));
  const list: string[] = [];
  for (const [key, messages] of Object.entries(fieldErrors ?? {})) {
    const [head, sent, part = valueKey, ...rest] = key.split(".");
    if (head !== field) continue;
    const row = sent === undefined ? undefined : byRow[sentRows[Number(sent)] ?? -1];
    const slot = part === "label" ? "label" : part === valueKey ? "value" : undefined;
    if (row && slot && rest.length === 0) row[slot] = [...(row[slot] ?? []), ...messages];
    else list.push(...messages);
  }
  return { rows: byRow, list };
}
