/*
 * CSV in both directions (RFC 4180): imports read it, exports write it.
 *
 * The reader is position-aware so an import can resume in the middle of a large file: it
 * reports where each record ends, and when told the text may continue (`final: false`) it
 * returns only records whose line break it has seen.
 */

export interface CsvRecord {
  fields: string[];
  /** Index just past the record's line break (or the end of the text). */
  end: number;
}

export interface CsvReadOptions {
  delimiter: string;
  /** The text ends here: a last record without a line break counts. */
  final: boolean;
  maxRecords?: number;
}

export interface CsvReadResult {
  records: CsvRecord[];
  /** Where reading stopped: the next call starts here. */
  end: number;
  /** Every record up to the end of the text was read (only possible when `final`). */
  exhausted: boolean;
}

export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    /** Records read (in this call) before the broken one. */
    readonly recordsBefore: number,
  ) {
    super(message);
    this.name = "CsvSyntaxError";
  }
}

const QUOTE = '"';
const DELIMITER_CANDIDATES = [",", ";", "\t", "|"];

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Removes what PostgreSQL cannot store (NUL, lone UTF-16 surrogates) and a leading byte-order
 * mark, so positions counted here match the stored text's characters.
 */
export function cleanCsvText(text: string): string {
  const withoutBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return withoutBom.replaceAll("\0", "").replace(LONE_SURROGATE, "\uFFFD");
}

/** Comma unless the first line clearly uses semicolons, tabs or pipes (spreadsheet locales). */
export function detectDelimiter(text: string): string {
  const lineEnd = text.search(/[\r\n]/);
  const firstLine = lineEnd === -1 ? text : text.slice(0, lineEnd);
  let best = ",";
  let bestCount = 0;
  for (const candidate of DELIMITER_CANDIDATES) {
    const count = firstLine.split(candidate).length - 1;
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}

interface RawRecord {
  fields: string[];
  end: number;
  /** A line break (not the end of the text) closed the record. */
  terminated: boolean;
  unclosedQuote: boolean;
}

function lineBreakLength(text: string, index: number): number {
  const char = text[index];
  if (char === "\n") return 1;
  if (char === "\r") return text[index + 1] === "\n" ? 2 : 1;
  return 0;
}

/** Reads a quoted field starting at the opening quote; returns its value and where it ends. */
function readQuoted(text: string, start: number) {
  let value = "";
  let index = start + 1;
  for (;;) {
    const quote = text.indexOf(QUOTE, index);
    if (quote === -1) return { value: value + text.slice(index), end: text.length, closed: false };
    value += text.slice(index, quote);
    if (text[quote + 1] === QUOTE) {
      value += QUOTE;
      index = quote + 2;
      continue;
    }
    return { value, end: quote + 1, closed: true };
  }
}

const CR = 13;
const LF = 10;

/** Index of the next delimiter or line break at or after `index` (or the end of the text). */
function nextSpecial(text: string, index: number, delimiter: number): number {
  let at = index;
  while (at < text.length) {
    const code = text.charCodeAt(at);
    if (code === delimiter || code === CR || code === LF) return at;
    at += 1;
  }
  return at;
}

function readRecord(text: string, start: number, delimiter: string): RawRecord {
  const delimiterCode = delimiter.charCodeAt(0);
  const fields: string[] = [];
  let index = start;
  let field = "";
  for (;;) {
    if (index >= text.length) {
      fields.push(field);
      return { fields, end: text.length, terminated: false, unclosedQuote: false };
    }
    if (text[index] === QUOTE && field === "") {
      const quoted = readQuoted(text, index);
      if (!quoted.closed) {
        fields.push(quoted.value);
        return { fields, end: text.length, terminated: false, unclosedQuote: true };
      }
      field = quoted.value;
      index = quoted.end;
    }
    // Lenient: text after a closing quote, or a stray quote mid-field, is kept as is.
    const stop = nextSpecial(text, index, delimiterCode);
    field += text.slice(index, stop);
    index = stop;
    if (index >= text.length) continue;
    if (text.charCodeAt(index) === delimiterCode) {
      fields.push(field);
      field = "";
      index += 1;
      continue;
    }
    fields.push(field);
    return {
      fields,
      end: index + lineBreakLength(text, index),
      terminated: true,
      unclosedQuote: false,
    };
  }
}

function isBlank(fields: string[]): boolean {
  return fields.every((field) => field.trim() === "");
}

/** Reads records from `start`, skipping blank lines. Throws CsvSyntaxError on an unclosed quote. */
export function readCsvRecords(
  text: string,
  start: number,
  options: CsvReadOptions,
): CsvReadResult {
  const max = options.maxRecords ?? Number.POSITIVE_INFINITY;
  const records: CsvRecord[] = [];
  let index = start;
  while (index < text.length && records.length < max) {
    const raw = readRecord(text, index, options.delimiter);
    if (!raw.terminated && !options.final) break;
    if (raw.unclosedQuote) {
      throw new CsvSyntaxError('A quoted value is never closed (a missing ").', records.length);
    }
    if (!isBlank(raw.fields)) records.push({ fields: raw.fields, end: raw.end });
    index = raw.end;
  }
  return { records, end: index, exhausted: options.final && index >= text.length };
}

/**
 * Exports guard against spreadsheet formula injection: a value that a spreadsheet would run
 * as a formula gets a leading apostrophe (numbers and phone numbers such as "+1 415..." stay
 * as they are). Imports remove that apostrophe again.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NUMBER_LIKE = /^[+-]?[\d\s().,-]*\d[\d\s().,-]*$/;

function guardFormula(value: string): string {
  return FORMULA_START.test(value) && !NUMBER_LIKE.test(value) ? `'${value}` : value;
}

export function unguardFormula(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}

function csvCell(value: string): string {
  const guarded = guardFormula(value);
  return /[",\r\n]|^\s|\s$/.test(guarded) ? `"${guarded.replaceAll(QUOTE, '""')}"` : guarded;
}

/** One CSV line (CRLF-terminated, as RFC 4180 asks). */
export function csvLine(values: readonly string[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}

/** JavaScript indexes count UTF-16 units; PostgreSQL counts characters (code points). */
export function codePointCount(text: string, end = text.length): number {
  let count = 0;
  for (let index = 0; index < end; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0xdc00 || code > 0xdfff) count += 1;
  }
  return count;
}
