import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger";

const TIME = new Date("2026-05-01T10:00:00.123Z");

function collecting(level?: "debug" | "info" | "warn" | "error") {
  const lines: string[] = [];
  const log = createLogger({ level, sink: (line) => lines.push(line), now: () => TIME });
  return { log, lines };
}

describe("logger", () => {
  it("writes one JSON object per line: level, msg, the fields, time", () => {
    const { log, lines } = collecting();
    log.warn("ari events disconnected", { retryInMs: 250, app: "switchboard" });
    expect(lines).toHaveLength(1);
    const line = lines[0] as string;
    expect(line).not.toContain("\n");
    const entry = JSON.parse(line);
    expect(entry).toEqual({
      level: "warn",
      msg: "ari events disconnected",
      retryInMs: 250,
      app: "switchboard",
      time: "2026-05-01T10:00:00.123Z",
    });
    expect(Object.keys(entry)).toEqual(["level", "msg", "retryInMs", "app", "time"]);
  });

  it("drops lines below the level (default info)", () => {
    const info = collecting();
    info.log.debug("noise");
    info.log.info("kept");
    info.log.error("kept too");
    expect(info.lines.map((line) => JSON.parse(line).level)).toEqual(["info", "error"]);

    const warn = collecting("warn");
    warn.log.info("dropped");
    warn.log.warn("kept");
    expect(warn.lines.map((line) => JSON.parse(line).msg)).toEqual(["kept"]);

    const debug = collecting("debug");
    debug.log.debug("kept");
    expect(debug.lines).toHaveLength(1);
  });

  it("keeps level, msg and time from fields of the same name; errors become their message", () => {
    const { log, lines } = collecting();
    log.error("outbox write failed", {
      level: "debug",
      msg: "other",
      time: "yesterday",
      error: new Error("ENOSPC"),
      seq: 10n,
    });
    expect(JSON.parse(lines[0] as string)).toEqual({
      level: "error",
      msg: "outbox write failed",
      error: "ENOSPC",
      seq: "10",
      time: "2026-05-01T10:00:00.123Z",
    });
  });

  it("still writes the line when a field cannot be serialized", () => {
    const { log, lines } = collecting();
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    log.info("odd field", { cycle });
    expect(JSON.parse(lines[0] as string)).toMatchObject({ level: "info", msg: "odd field" });
  });
});
