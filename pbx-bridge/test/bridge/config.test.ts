import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, parseConfig } from "../../src/config";

const required = { ARI_USER: "u", ARI_PASSWORD: "p", BRIDGE_TOKEN: "0123456789abcdef" };

describe("config", () => {
  it("applies the documented defaults", () => {
    expect(parseConfig(required)).toEqual({
      ariUrl: "http://127.0.0.1:8088",
      ariUser: "u",
      ariPassword: "p",
      ariApp: "switchboard",
      edgeUrl: "ws://127.0.0.1:8787/api/v1/pbx/bridge",
      bridgeToken: "0123456789abcdef",
      outboxDir: "./.outbox",
      httpHost: "0.0.0.0",
      httpPort: 9464,
      trunkEndpoint: "PJSIP/{number}@trunk",
      extensionEndpoint: "PJSIP/{extension}",
      recordingsPublicUrl: null,
      recordingUrlTtlSeconds: 604_800,
      defaultQueue: null,
      fallbackExtensions: [],
      ringTimeoutSeconds: 20,
      dialTimeoutSeconds: 60,
      commandTimeoutMs: 5000,
      logLevel: "info",
    });
  });

  it("parses env strings: numbers, comma lists, trailing slashes", () => {
    const config = parseConfig({
      ...required,
      HTTP_PORT: "0",
      FALLBACK_EXTENSIONS: " 1001, 1002 ,",
      RECORDINGS_PUBLIC_URL: "https://pbx.example.com/",
      ARI_URL: "http://asterisk:8088/",
    });
    expect(config.httpPort).toBe(0);
    expect(config.fallbackExtensions).toEqual(["1001", "1002"]);
    expect(config.recordingsPublicUrl).toBe("https://pbx.example.com");
    expect(config.ariUrl).toBe("http://asterisk:8088");
  });

  it("rejects missing secrets and bad values with every problem named", () => {
    expect(() => parseConfig({ HTTP_PORT: "99999", EDGE_URL: "http://x" })).toThrowError(
      /ARI_USER.*ARI_PASSWORD.*EDGE_URL.*BRIDGE_TOKEN.*HTTP_PORT/,
    );
    expect(() => parseConfig({ ...required, TRUNK_ENDPOINT: "PJSIP/trunk" })).toThrow(ConfigError);
  });

  it("reads LOG_LEVEL in any case and rejects unknown levels", () => {
    expect(parseConfig({ ...required, LOG_LEVEL: " DEBUG " }).logLevel).toBe("debug");
    expect(parseConfig({ ...required, LOG_LEVEL: "warn" }).logLevel).toBe("warn");
    expect(() => parseConfig({ ...required, LOG_LEVEL: "verbose" })).toThrowError(/LOG_LEVEL/);
  });

  it("layers the environment over the PBX_BRIDGE_CONFIG file", () => {
    const dir = mkdtempSync(join(tmpdir(), "bridge-config-"));
    try {
      const file = join(dir, "bridge.json");
      writeFileSync(
        file,
        JSON.stringify({
          ...required,
          HTTP_PORT: 9500,
          FALLBACK_EXTENSIONS: ["1003"],
          ARI_APP: "a",
        }),
      );
      const config = loadConfig({ PBX_BRIDGE_CONFIG: file, ARI_APP: "b", DEFAULT_QUEUE: "" });
      expect(config).toMatchObject({ httpPort: 9500, fallbackExtensions: ["1003"], ariApp: "b" });
      expect(() => loadConfig({ PBX_BRIDGE_CONFIG: join(dir, "missing.json") })).toThrow(
        /Cannot read config file/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("bridge.config.example.json", () => {
  it("is a valid config file", () => {
    const file = new URL("../../bridge.config.example.json", import.meta.url).pathname;
    const config = loadConfig({ PBX_BRIDGE_CONFIG: file });
    expect(config.recordingsPublicUrl).toBe("https://pbx-bridge.example.com");
    expect(config.fallbackExtensions).toEqual(["1001", "1002"]);
  });
});
