import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";

describe("health", () => {
  it("reports the database reachable", async () => {
    const response = await SELF.fetch("http://switchboard.test/api/v1/health");
    expect(response.status).toBe(200);
    const body = await response.json<{ success: boolean; data: { database: string } }>();
    expect(body.success).toBe(true);
    expect(body.data.database).toBe("reachable");
  });
});
