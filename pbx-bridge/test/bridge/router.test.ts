import { describe, expect, it } from "vitest";
import { Router } from "../../src/router";

const routing = {
  queues: [{ name: "support", extensions: ["1002", "1001", "1003"], ringTimeoutSeconds: 15 }],
  agents: [
    { extension: "1001", status: "available" as const },
    { extension: "1002", status: "available" as const },
    { extension: "1003", status: "away" as const },
    { extension: "1004", status: "available" as const },
  ],
};

function routerWithRouting() {
  const router = new Router({ fallbackExtensions: ["1009"], fallbackRingTimeoutSeconds: 20 });
  router.setRouting(routing);
  return router;
}

describe("router", () => {
  it("rings a queue's available members in queue order, round robin", () => {
    const router = routerWithRouting();
    const none = new Set<string>();
    expect(router.next("support", null, none)).toEqual({
      extension: "1002",
      ringTimeoutSeconds: 15,
      newRound: false,
    });
    expect(router.next("support", "1002", none)?.extension).toBe("1001");
    expect(router.next("support", "1001", none)).toMatchObject({
      extension: "1002",
      newRound: true,
    });
    expect(router.next("support", null, new Set(["1002"]))?.extension).toBe("1001");
    expect(router.next("support", null, new Set(["1001", "1002"]))).toBeNull();
  });

  it("rings every available agent for a call with no queue or an unknown one", () => {
    const router = routerWithRouting();
    expect(router.next(null, null, new Set())?.extension).toBe("1001");
    expect(router.next("billing", "1002", new Set())?.extension).toBe("1004");
  });

  it("uses the fallback extensions until the edge sends routing", () => {
    const router = new Router({ fallbackExtensions: ["1009"], fallbackRingTimeoutSeconds: 20 });
    expect(router.next("support", null, new Set())).toEqual({
      extension: "1009",
      ringTimeoutSeconds: 20,
      newRound: false,
    });
  });
});
