import { appendFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type CallEventDraft, Outbox } from "../../src/outbox";

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "outbox-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const held = (n: number): CallEventDraft => ({
  type: "call.held",
  callId: "5d0c3f0e-2b8f-4f55-9a7e-3c2b1a0f9e11",
  occurredAt: new Date(Date.UTC(2026, 0, 1, 10, 0, n)).toISOString(),
});

describe("Outbox", () => {
  it("numbers events from 0 and lists the pending ones in seq order", () => {
    const outbox = Outbox.open(tempDir());
    const events = [0, 1, 2].map((n) => outbox.append(held(n)));
    expect(events.map((e) => e.seq)).toEqual([0, 1, 2]);
    expect([...outbox.pendingAfter(-1)]).toEqual(events);
    expect([...outbox.pendingAfter(0)].map((e) => e.seq)).toEqual([1, 2]);
    expect(outbox.depth).toBe(3);
    outbox.close();
  });

  it("redelivers every unacked event in order after a crash, and keeps counting", () => {
    const dir = tempDir();
    const first = Outbox.open(dir);
    const events = [0, 1, 2, 3].map((n) => first.append(held(n)));
    first.ack(events[1]?.id ?? "");
    // "crash": no close, a second instance opens the same directory
    const second = Outbox.open(dir);
    expect([...second.pendingAfter(-1)]).toEqual([events[0], events[2], events[3]]);
    expect(second.append(held(4)).seq).toBe(4);
    first.close();
    second.close();
  });

  it("tells listeners after the event is on disk", () => {
    const dir = tempDir();
    const outbox = Outbox.open(dir);
    const seen: string[] = [];
    outbox.onAppend((event) => {
      seen.push(
        readFileSync(join(dir, "events.jsonl"), "utf8").includes(event.id) ? "on disk" : "missing",
      );
    });
    outbox.append(held(0));
    expect(seen).toEqual(["on disk"]);
    outbox.close();
  });

  it("drops the events an ack list names, ignores unknown ids, and remembers it across a restart", () => {
    const dir = tempDir();
    const outbox = Outbox.open(dir);
    const events = [0, 1, 2, 3].map((n) => outbox.append(held(n)));
    expect(outbox.ackAll([events[0]?.id ?? "", events[2]?.id ?? "", crypto.randomUUID()])).toBe(2);
    expect(outbox.ackAll([events[0]?.id ?? ""])).toBe(0);
    expect([...outbox.pendingAfter(-1)].map((e) => e.seq)).toEqual([1, 3]);
    outbox.close();
    const reopened = Outbox.open(dir);
    expect([...reopened.pendingAfter(-1)].map((e) => e.seq)).toEqual([1, 3]);
    reopened.close();
  });

  it("compacts once everything is acked and keeps seq across restarts", () => {
    const dir = tempDir();
    const outbox = Outbox.open(dir);
    const events = [0, 1].map((n) => outbox.append(held(n)));
    for (const event of events) expect(outbox.ack(event.id)).toBe(true);
    expect(outbox.ack(events[0]?.id ?? "")).toBe(false);
    expect(readFileSync(join(dir, "events.jsonl"), "utf8")).toBe("");
    expect(readFileSync(join(dir, "acks.jsonl"), "utf8")).toBe("");
    outbox.close();
    const reopened = Outbox.open(dir);
    expect(reopened.depth).toBe(0);
    expect(reopened.append(held(2)).seq).toBe(2);
    reopened.close();
  });

  it("rewrites the log to the pending events on open and skips a torn last line", () => {
    const dir = tempDir();
    const outbox = Outbox.open(dir);
    const events = [0, 1, 2].map((n) => outbox.append(held(n)));
    outbox.ack(events[0]?.id ?? "");
    outbox.close();
    appendFileSync(join(dir, "events.jsonl"), '{"type":"call.held","callId":"5d0c');
    const reopened = Outbox.open(dir);
    expect([...reopened.pendingAfter(-1)].map((e) => e.seq)).toEqual([1, 2]);
    const lines = readFileSync(join(dir, "events.jsonl"), "utf8").trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(readFileSync(join(dir, "acks.jsonl"), "utf8")).toBe("");
    expect(reopened.append(held(3)).seq).toBe(3);
    reopened.close();
  });
});
