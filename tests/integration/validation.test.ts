import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { BASE, call, expectErrorEnvelope, signUp } from "./helpers";

describe("bad input is a 4xx in the envelope, never a 500", () => {
  it("malformed JSON", async () => {
    const response = await call("/auth/login", {
      method: "POST",
      rawBody: "{not json",
      headers: { "content-type": "application/json" },
    });
    expectErrorEnvelope(response, 400, "invalid_json");
  });

  it("wrong types and missing fields, reported per field", async () => {
    const response = await call("/auth/signup", {
      method: "POST",
      body: { email: 42, password: ["x"], organizationName: null },
    });
    expectErrorEnvelope(response, 422, "validation_failed");
    expect(Object.keys(response.body.errors ?? {})).toEqual(
      expect.arrayContaining(["email", "password", "name", "organizationName"]),
    );
  });

  it("unknown fields", async () => {
    const response = await call("/auth/login", {
      method: "POST",
      body: { email: "a@example.com", password: "x", isAdmin: true },
    });
    expectErrorEnvelope(response, 422, "validation_failed");
    expect(response.body.errors?.isAdmin).toEqual(["Unknown field."]);
  });

  it("a body that is not JSON at all", async () => {
    const response = await call("/auth/login", {
      method: "POST",
      rawBody: "email=a",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expectErrorEnvelope(response, 415, "unsupported_media_type");
  });

  it("an oversized body", async () => {
    const huge = JSON.stringify({ email: "a@example.com", password: "x".repeat(2 * 1024 * 1024) });
    const response = await call("/auth/login", {
      method: "POST",
      rawBody: huge,
      headers: { "content-type": "application/json" },
    });
    expectErrorEnvelope(response, 413, "payload_too_large");
  });

  it("bad ids and bad cursors", async () => {
    const owner = await signUp();
    expectErrorEnvelope(
      await call("/users/not-a-uuid", {
        method: "PATCH",
        token: owner.accessToken,
        body: { role: "agent" },
      }),
      422,
      "validation_failed",
    );
    expectErrorEnvelope(
      await call("/users?cursor=%%%garbage", { token: owner.accessToken }),
      400,
      "bad_request",
    );
    expectErrorEnvelope(
      await call("/users?limit=100000", { token: owner.accessToken }),
      422,
      "validation_failed",
    );
    expectErrorEnvelope(
      await call(`/users/${crypto.randomUUID()}`, {
        method: "PATCH",
        token: owner.accessToken,
        body: { role: "agent" },
      }),
      404,
      "not_found",
    );
  });

  it("unknown routes and missing credentials", async () => {
    expectErrorEnvelope(await call("/no-such-thing"), 404, "not_found");
    expectErrorEnvelope(await call("/users"), 401, "unauthenticated");
    expectErrorEnvelope(
      await call("/users", { headers: { authorization: "Basic abc" } }),
      401,
      "unauthenticated",
    );
    expectErrorEnvelope(await call("/users", { token: "sb_notakey" }), 401, "unauthenticated");
  });

  it("a barrage of odd bodies against every write endpoint yields no 500", async () => {
    const owner = await signUp();
    const endpoints: [string, string][] = [
      ["POST", "/auth/signup"],
      ["POST", "/auth/login"],
      ["POST", "/auth/refresh"],
      ["POST", "/invitations"],
      ["POST", "/invitations/accept"],
      ["POST", "/api-keys"],
      ["PATCH", `/users/${owner.userId}`],
    ];
    const bodies = [
      "",
      "null",
      "[]",
      '"text"',
      "12",
      '{"email":{"$gt":""}}',
      '{"role":"superuser"}',
      '{"token":"a.b.c"}',
      "\u0000",
      "{".repeat(500),
    ];
    for (const [method, path] of endpoints) {
      for (const rawBody of bodies) {
        const response = await call(path, {
          method,
          rawBody,
          token: owner.accessToken,
          headers: { "content-type": "application/json" },
        });
        expect(
          response.status,
          `${method} ${path} with ${JSON.stringify(rawBody)}`,
        ).toBeGreaterThanOrEqual(400);
        expect(response.status, `${method} ${path} with ${JSON.stringify(rawBody)}`).toBeLessThan(
          500,
        );
        expect(response.body.success).toBe(false);
      }
    }
  });
});

describe("every response", () => {
  it("carries the security headers and a request id", async () => {
    for (const url of [`${BASE}/health`, `${BASE}/missing`, "http://switchboard.test/login"]) {
      const response = await SELF.fetch(url);
      expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
      expect(response.headers.get("strict-transport-security")).toContain("max-age=");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
      expect(response.headers.get("x-request-id")).toBeTruthy();
    }
  });

  it("echoes a well-formed incoming request id in the header and the error envelope", async () => {
    const response = await call("/missing", { headers: { "x-request-id": "trace-1234567890" } });
    expect(response.headers.get("x-request-id")).toBe("trace-1234567890");
    expect(response.body.meta?.requestId).toBe("trace-1234567890");
  });

  it("allows CORS only for configured origins", async () => {
    const response = await SELF.fetch(`${BASE}/health`, {
      headers: { origin: "https://evil.example" },
    });
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("serves the OpenAPI 3.1 document and the reference page", async () => {
    const doc = await SELF.fetch(`${BASE}/openapi.json`);
    expect(doc.status).toBe(200);
    const json = await doc.json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(json.openapi).toBe("3.1.0");
    expect(Object.keys(json.paths)).toEqual(
      expect.arrayContaining([
        "/auth/signup",
        "/auth/login",
        "/auth/refresh",
        "/auth/me",
        "/users/{id}",
        "/invitations",
        "/api-keys",
        "/audit-logs",
        "/health",
      ]),
    );
    const page = await SELF.fetch("http://switchboard.test/api/docs");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("/api/v1/openapi.json");
  });
});
