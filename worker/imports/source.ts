import { eq, sql } from "drizzle-orm";
import {
  type CsvRecord,
  CsvSyntaxError,
  codePointCount,
  detectDelimiter,
  readCsvRecords,
} from "../crm/csv";
import type { Tx } from "../db/client";
import { importJobs } from "../db/crm-schema";
import { ApiError } from "../lib/errors";

/*
 * Reading an import's CSV: whole, when the request uploads it (validation), or a window at a
 * time from the stored job, when a queue chunk resumes at a saved position. Positions are
 * counted in characters, as PostgreSQL's substring() counts them.
 */

export interface CsvHeader {
  headers: string[];
  delimiter: string;
  /** Where the first data record starts (characters). */
  end: number;
}

const VALIDATION_BATCH = 2000;
/** First window read per chunk; grown when a single record does not fit. */
const WINDOW_CHARS = 1 << 20;

function headerOf(text: string, final: boolean): CsvHeader | null {
  const delimiter = detectDelimiter(text);
  const [first] = readCsvRecords(text, 0, { delimiter, final, maxRecords: 1 }).records;
  if (!first) return null;
  const headers = first.fields.map((field) => field.trim());
  return { headers, delimiter, end: codePointCount(text, first.end) };
}

function csvError(message: string): ApiError {
  return ApiError.validation({ csv: [message] });
}

/** The header row of an uploaded file (422 when the file is empty or malformed). */
export function parseUploadedHeader(csv: string): CsvHeader {
  try {
    const header = headerOf(csv, true);
    if (!header) throw csvError("The file is empty.");
    return header;
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw csvError(`Row 1: ${error.message}`);
    throw error;
  }
}

/** The data records of an uploaded file, a batch at a time (bounded memory for large files). */
export async function* uploadedRecords(csv: string, header: CsvHeader) {
  let at = header.end;
  let row = 2;
  for (;;) {
    let batch: ReturnType<typeof readCsvRecords>;
    try {
      batch = readCsvRecords(csv, at, {
        delimiter: header.delimiter,
        final: true,
        maxRecords: VALIDATION_BATCH,
      });
    } catch (error) {
      if (!(error instanceof CsvSyntaxError)) throw error;
      throw csvError(`Row ${row + error.recordsBefore}: ${error.message}`);
    }
    for (const record of batch.records) {
      yield { row, fields: record.fields };
      row += 1;
    }
    if (batch.exhausted || batch.records.length === 0) return;
    at = batch.end;
  }
}

interface StoredWindow {
  text: string;
  /** The window reaches the end of the stored text. */
  final: boolean;
}

async function readStoredWindow(
  tx: Tx,
  jobId: string,
  offset: number,
  length: number,
): Promise<StoredWindow> {
  const [row] = await tx
    .select({
      text: sql<string>`substring(${importJobs.csv} from ${offset + 1}::int for ${length}::int)`,
      chars: sql<number>`char_length(substring(${importJobs.csv} from ${offset + 1}::int for ${length}::int))`,
    })
    .from(importJobs)
    .where(eq(importJobs.id, jobId));
  if (!row) throw new Error(`import job ${jobId} vanished`);
  return { text: row.text, final: Number(row.chars) < length };
}

/** The header row of a stored job (grows the window until the whole header is in it). */
export async function readStoredHeader(tx: Tx, jobId: string): Promise<CsvHeader> {
  for (let length = WINDOW_CHARS / 16; ; length *= 4) {
    const window = await readStoredWindow(tx, jobId, 0, length);
    const hasLineBreak = /[\r\n]/.test(window.text);
    const header = hasLineBreak || window.final ? headerOf(window.text, window.final) : null;
    if (header) return header;
    if (window.final) throw new Error(`import job ${jobId} has no header row`);
  }
}

export interface StoredChunk {
  records: CsvRecord[];
  /** Where the next chunk starts (characters). */
  nextOffset: number;
  /** No records remain after this chunk. */
  exhausted: boolean;
}

/** Up to `maxRecords` complete records starting at `offset` of a stored job's CSV. */
export async function readStoredChunk(
  tx: Tx,
  jobId: string,
  offset: number,
  delimiter: string,
  maxRecords: number,
): Promise<StoredChunk> {
  for (let length = WINDOW_CHARS; ; length *= 4) {
    const window = await readStoredWindow(tx, jobId, offset, length);
    const result = readCsvRecords(window.text, 0, { delimiter, final: window.final, maxRecords });
    if (result.records.length > 0 || window.final) {
      return {
        records: result.records,
        nextOffset: offset + codePointCount(window.text, result.end),
        exhausted: result.exhausted,
      };
    }
  }
}
