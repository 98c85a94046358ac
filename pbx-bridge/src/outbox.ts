import { randomUUID } from "node:crypto";
import {
  closeSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { type CallEvent, callEventSchema } from "./edge-protocol";

/*
 * Durable outbox. Files in OUTBOX_DIR:
 *   events.jsonl  one CallEvent per line, appended and fsynced before append() returns;
 *   acks.jsonl    one acked (or rejected) event id per line, appended;
 *   state.json    {"nextSeq": n}, rewritten atomically (tmp + fsync + rename) on compaction.
 * On open, unacked events are kept in seq order and the files are rewritten to hold only
 * them; when every event is acked both logs are truncated. A torn last line (crash during a
 * write) is skipped. Redelivery is safe: the edge stores events idempotently by id.
 */

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A call event before the outbox numbers it. */
export type CallEventDraft = DistributiveOmit<CallEvent, "id" | "seq">;

const stateSchema = z.object({ nextSeq: z.number().int().nonnegative() });
const ackLineSchema = z.string().uuid();

const EVENTS_FILE = "events.jsonl";
const ACKS_FILE = "acks.jsonl";
const STATE_FILE = "state.json";

function readLines(path: string): string[] {
  try {
    return readFileSync(path, "utf8").split("\n");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

function parseJsonLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

function writeFileDurably(path: string, content: string): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, "w");
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

function fsyncDirectory(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export class Outbox {
  private readonly pending = new Map<string, CallEvent>();
  private nextSeq = 0;
  private eventsFd: number | null = null;
  private acksFd: number | null = null;
  private readonly listeners = new Set<(event: CallEvent) => void>();

  private constructor(private readonly dir: string) {}

  /** Opens (creating if needed) the outbox in `dir`, recovering what a previous run left. */
  static open(dir: string): Outbox {
    mkdirSync(dir, { recursive: true });
    const outbox = new Outbox(dir);
    outbox.recover();
    return outbox;
  }

  get depth(): number {
    return this.pending.size;
  }

  /** Numbers the event, writes it durably, then tells listeners. */
  append(draft: CallEventDraft): CallEvent {
    const event = callEventSchema.parse({ ...draft, id: randomUUID(), seq: this.nextSeq });
    writeSync(this.openEvents(), `${JSON.stringify(event)}\n`);
    fsyncSync(this.openEvents());
    this.nextSeq += 1;
    this.pending.set(event.id, event);
    for (const listener of this.listeners) listener(event);
    return event;
  }

  /** Drops an acked or rejected event; compacts once nothing is pending. Returns false if unknown. */
  ack(eventId: string): boolean {
    return this.ackAll([eventId]) === 1;
  }

  /**
   * Drops acked events (one write to the ack log for all of them); compacts once nothing is
   * pending. Returns how many were pending (unknown ids are ignored).
   */
  ackAll(eventIds: readonly string[]): number {
    const dropped = eventIds.filter((eventId) => this.pending.delete(eventId));
    if (dropped.length === 0) return 0;
    writeSync(this.openAcks(), dropped.map((eventId) => `${eventId}\n`).join(""));
    if (this.pending.size === 0) this.compact();
    return dropped.length;
  }

  /** Unacked events with seq > afterSeq, in seq order (lazily: callers may stop early). */
  *pendingAfter(afterSeq: number): Generator<CallEvent> {
    for (const event of this.pending.values()) if (event.seq > afterSeq) yield event;
  }

  onAppend(listener: (event: CallEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    for (const fd of [this.eventsFd, this.acksFd]) if (fd !== null) closeSync(fd);
    this.eventsFd = null;
    this.acksFd = null;
    this.listeners.clear();
  }

  private recover(): void {
    const state = stateSchema.safeParse(
      parseJsonLine(readLines(join(this.dir, STATE_FILE)).join("\n")),
    );
    this.nextSeq = state.success ? state.data.nextSeq : 0;
    const acked = new Set(
      readLines(join(this.dir, ACKS_FILE)).filter((line) => ackLineSchema.safeParse(line).success),
    );
    const events: CallEvent[] = [];
    for (const line of readLines(join(this.dir, EVENTS_FILE))) {
      const parsed = callEventSchema.safeParse(parseJsonLine(line));
      if (!parsed.success) continue;
      this.nextSeq = Math.max(this.nextSeq, parsed.data.seq + 1);
      if (!acked.has(parsed.data.id)) events.push(parsed.data);
    }
    events.sort((a, b) => a.seq - b.seq);
    for (const event of events) this.pending.set(event.id, event);
    this.rewrite(events);
  }

  /** Persists nextSeq, then replaces the logs with just the pending events. */
  private rewrite(events: CallEvent[]): void {
    writeFileDurably(join(this.dir, STATE_FILE), JSON.stringify({ nextSeq: this.nextSeq }));
    writeFileDurably(
      join(this.dir, EVENTS_FILE),
      events.map((event) => `${JSON.stringify(event)}\n`).join(""),
    );
    writeFileDurably(join(this.dir, ACKS_FILE), "");
    fsyncDirectory(this.dir);
  }

  private compact(): void {
    writeFileDurably(join(this.dir, STATE_FILE), JSON.stringify({ nextSeq: this.nextSeq }));
    fsyncDirectory(this.dir);
    for (const fd of [this.openEvents(), this.openAcks()]) {
      ftruncateSync(fd, 0);
      fsyncSync(fd);
    }
  }

  private openEvents(): number {
    this.eventsFd ??= openSync(join(this.dir, EVENTS_FILE), "a");
    return this.eventsFd;
  }

  private openAcks(): number {
    this.acksFd ??= openSync(join(this.dir, ACKS_FILE), "a");
    return this.acksFd;
  }
}
