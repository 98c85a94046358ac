import { describe, expect, it } from "vitest";
import { addMember, call, expectErrorEnvelope, type Session, signUp } from "./helpers";

interface Stage {
  id: string;
  name: string;
  isWon: boolean;
  isLost: boolean;
}

interface Pipeline {
  id: string;
  name: string;
  isDefault: boolean;
  stages: Stage[];
}

interface Deal {
  id: string;
  title: string;
  amount: number;
  currency: string;
  expectedCloseDate: string | null;
  pipelineId: string;
  stageId: string;
  position: string;
  ownerId: string | null;
  closedAt: string | null;
  version: number;
  deletedAt: string | null;
}

interface DealDetail extends Deal {
  stageHistory: {
    fromStageId: string | null;
    toStageId: string;
    changedBy: string | null;
    changedAt: string;
  }[];
}

interface BoardStage extends Stage {
  count: number;
  totalAmount: number;
  amountByCurrency: Record<string, number>;
  deals: Deal[];
}

interface Board {
  pipeline: { id: string; name: string; isDefault: boolean };
  stages: BoardStage[];
}

async function salesPipeline(session: Session) {
  const response = await call<Pipeline[]>("/pipelines", { token: session.accessToken });
  expect(response.status).toBe(200);
  const sales = response.body.data.find((pipeline) => pipeline.isDefault);
  if (!sales) throw new Error("no default pipeline");
  const stage = (name: string) => {
    const found = sales.stages.find((candidate) => candidate.name === name);
    if (!found) throw new Error(`no stage ${name}`);
    return found.id;
  };
  return { ...sales, stage };
}

async function createDeal(session: Session, body: Record<string, unknown>) {
  const response = await call<Deal>("/deals", { method: "POST", token: session.accessToken, body });
  expect(response.status).toBe(201);
  return response.body.data;
}

async function createDeals(session: Session, titles: string[], extra: Record<string, unknown>) {
  const created: Deal[] = [];
  for (const title of titles) {
    created.push(await createDeal(session, { title, amount: 1000, currency: "USD", ...extra }));
  }
  return created;
}

function patchDeal(session: Session, id: string, body: Record<string, unknown>) {
  return call<Deal>(`/deals/${id}`, { method: "PATCH", token: session.accessToken, body });
}

async function board(session: Session, pipelineId?: string) {
  const query = pipelineId ? `?pipelineId=${pipelineId}` : "";
  const response = await call<Board>(`/deals/board${query}`, { token: session.accessToken });
  expect(response.status).toBe(200);
  return response.body.data;
}

async function stageTitles(session: Session, stageId: string) {
  const stage = (await board(session)).stages.find((candidate) => candidate.id === stageId);
  return stage?.deals.map((deal) => deal.title) ?? [];
}

describe("creating deals", () => {
  it("puts a deal without pipeline or stage at the end of the default pipeline's first stage", async () => {
    const owner = await signUp("deals-defaults");
    const first = await createDeal(owner, {
      title: "Acme renewal",
      amount: 150000,
      currency: "USD",
    });
    const sales = await salesPipeline(owner);

    expect(first).toMatchObject({
      title: "Acme renewal",
      amount: 150000,
      currency: "USD",
      pipelineId: sales.id,
      stageId: sales.stage("Lead in"),
      ownerId: owner.userId,
      closedAt: null,
      version: 1,
      deletedAt: null,
    });
    const second = await createDeal(owner, { title: "Globex", amount: 0, currency: "EUR" });
    expect(second.position > first.position).toBe(true);

    const detail = await call<DealDetail>(`/deals/${first.id}`, { token: owner.accessToken });
    expect(detail.status).toBe(200);
    expect(detail.body.data.stageHistory).toEqual([
      expect.objectContaining({
        fromStageId: null,
        toStageId: sales.stage("Lead in"),
        changedBy: owner.userId,
      }),
    ]);
  });

  it("places a deal in a named stage and closes it when the stage is won", async () => {
    const owner = await signUp("deals-named-stage");
    const sales = await salesPipeline(owner);
    const won = await createDeal(owner, {
      title: "Signed already",
      amount: 500,
      currency: "GBP",
      stageId: sales.stage("Won"),
      expectedCloseDate: "2026-03-31",
    });
    expect(won.stageId).toBe(sales.stage("Won"));
    expect(won.closedAt).not.toBeNull();
    expect(won.expectedCloseDate).toBe("2026-03-31");
  });

  it("rejects invalid bodies with 422 and field errors", async () => {
    const owner = await signUp("deals-invalid");
    const partners = await call<Pipeline>("/pipelines", {
      method: "POST",
      token: owner.accessToken,
      body: { name: "Partners", stages: [{ name: "Intro" }] },
    });
    const sales = await salesPipeline(owner);
    const base = { title: "Valid", amount: 100, currency: "USD" };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, currency: "usd" }, "currency"],
      [{ ...base, currency: "US" }, "currency"],
      [{ ...base, amount: -1 }, "amount"],
      [{ ...base, amount: 10.5 }, "amount"],
      [{ ...base, title: "  " }, "title"],
      [{ ...base, expectedCloseDate: "2026-02-30" }, "expectedCloseDate"],
      [{ ...base, pipelineId: partners.body.data.id, stageId: sales.stage("Won") }, "stageId"],
      [{ ...base, contactId: crypto.randomUUID() }, "contactId"],
      [{ ...base, unknownField: true }, "unknownField"],
    ];
    for (const [body, field] of cases) {
      const response = await call("/deals", { method: "POST", token: owner.accessToken, body });
      expectErrorEnvelope(response, 422, "validation_failed");
      expect(Object.keys(response.body.errors ?? {})).toContain(field);
    }
  });
});

describe("the board", () => {
  it("lists stages in order with their cards by position, counts and totals", async () => {
    const owner = await signUp("deals-board");
    const sales = await salesPipeline(owner);
    await createDeals(owner, ["First", "Second", "Third"], {});
    await createDeal(owner, {
      title: "Euro deal",
      amount: 2500,
      currency: "EUR",
      stageId: sales.stage("Proposal"),
    });
    const deleted = await createDeal(owner, { title: "Gone", amount: 99, currency: "USD" });
    await call(`/deals/${deleted.id}`, { method: "DELETE", token: owner.accessToken });

    const result = await board(owner);
    expect(result.pipeline).toMatchObject({ id: sales.id, name: "Sales", isDefault: true });
    expect(result.stages.map((stage) => stage.name)).toEqual([
      "Lead in",
      "Qualified",
      "Proposal",
      "Negotiation",
      "Won",
      "Lost",
    ]);
    const [leadIn, qualified, proposal] = result.stages;
    expect(leadIn?.deals.map((deal) => deal.title)).toEqual(["First", "Second", "Third"]);
    expect(leadIn).toMatchObject({ count: 3, totalAmount: 3000, amountByCurrency: { USD: 3000 } });
    expect(qualified).toMatchObject({ count: 0, totalAmount: 0, deals: [] });
    expect(proposal).toMatchObject({ count: 1, totalAmount: 2500 });
  });
});

describe("moving deals", () => {
  it("reorders within a stage and moves across stages, recording stage history", async () => {
    const owner = await signUp("deals-move");
    const sales = await salesPipeline(owner);
    const leadIn = sales.stage("Lead in");
    const qualified = sales.stage("Qualified");
    const [a, b, c] = await createDeals(owner, ["A", "B", "C"], {});
    if (!a || !b || !c) throw new Error("deals missing");

    const toTop = await patchDeal(owner, c.id, { position: 0 });
    expect(toTop.status).toBe(200);
    expect(toTop.body.data.version).toBe(2);
    expect(await stageTitles(owner, leadIn)).toEqual(["C", "A", "B"]);

    await patchDeal(owner, a.id, { stageId: leadIn, position: 99 });
    expect(await stageTitles(owner, leadIn)).toEqual(["C", "B", "A"]);

    const across = await patchDeal(owner, b.id, { stageId: qualified, position: 0 });
    expect(across.status).toBe(200);
    expect(across.body.data).toMatchObject({ stageId: qualified, closedAt: null });
    expect(await stageTitles(owner, leadIn)).toEqual(["C", "A"]);
    expect(await stageTitles(owner, qualified)).toEqual(["B"]);

    await patchDeal(owner, c.id, { stageId: qualified, position: 1 });
    await patchDeal(owner, a.id, { stageId: qualified, position: 1 });
    expect(await stageTitles(owner, qualified)).toEqual(["B", "A", "C"]);

    const detail = await call<DealDetail>(`/deals/${b.id}`, { token: owner.accessToken });
    expect(
      detail.body.data.stageHistory.map((row) => [row.fromStageId, row.toStageId, row.changedBy]),
    ).toEqual([
      [null, leadIn, owner.userId],
      [leadIn, qualified, owner.userId],
    ]);
    // A reorder inside one stage is not a stage change.
    const reordered = await call<DealDetail>(`/deals/${c.id}`, { token: owner.accessToken });
    expect(reordered.body.data.stageHistory).toHaveLength(2);
  });

  it("sets closedAt on entering a won or lost stage and clears it on leaving", async () => {
    const owner = await signUp("deals-closed");
    const sales = await salesPipeline(owner);
    const deal = await createDeal(owner, { title: "Closable", amount: 10, currency: "USD" });

    const won = await patchDeal(owner, deal.id, { stageId: sales.stage("Won") });
    expect(won.body.data.closedAt).not.toBeNull();
    const closedSince = encodeURIComponent(new Date(Date.now() - 60_000).toISOString());
    const list = await call<Deal[]>(`/deals?filter.closedAt.gte=${closedSince}`, {
      token: owner.accessToken,
    });
    expect(list.body.data.map((row) => row.id)).toEqual([deal.id]);

    const reopened = await patchDeal(owner, deal.id, { stageId: sales.stage("Negotiation") });
    expect(reopened.body.data.closedAt).toBeNull();
    const lost = await patchDeal(owner, deal.id, { stageId: sales.stage("Lost") });
    expect(lost.body.data.closedAt).not.toBeNull();
  });

  it("moves a deal to another pipeline's first stage when only the pipeline is named", async () => {
    const owner = await signUp("deals-pipeline-move");
    const partners = await call<Pipeline>("/pipelines", {
      method: "POST",
      token: owner.accessToken,
      body: { name: "Partners", stages: [{ name: "Intro" }, { name: "Signed", isWon: true }] },
    });
    const deal = await createDeal(owner, { title: "Reseller", amount: 10, currency: "USD" });
    const moved = await patchDeal(owner, deal.id, { pipelineId: partners.body.data.id });
    expect(moved.status).toBe(200);
    expect(moved.body.data).toMatchObject({
      pipelineId: partners.body.data.id,
      stageId: partners.body.data.stages[0]?.id,
    });
    const partnerBoard = await board(owner, partners.body.data.id);
    expect(partnerBoard.stages[0]?.deals.map((row) => row.id)).toEqual([deal.id]);
  });

  it("keeps a dense, duplicate-free order under concurrent moves by two users", async () => {
    const owner = await signUp("deals-race");
    const agent = await addMember(owner, "agent", "deals-race-agent");
    const sales = await salesPipeline(owner);
    const source = sales.stage("Lead in");
    const target = sales.stage("Proposal");
    const resident = await createDeals(owner, ["T1", "T2", "T3"], { stageId: target });
    const ownerCards = await createDeals(owner, ["O1", "O2", "O3"], { stageId: source });
    const agentCards = await createDeals(agent, ["G1", "G2", "G3"], { stageId: source });

    const byTitle = new Map(
      [...resident, ...ownerCards, ...agentCards].map((deal) => [deal.title, deal]),
    );
    const moves: { session: Session; title: string; position: number }[] = [
      { session: owner, title: "O1", position: 0 },
      { session: agent, title: "G1", position: 1 },
      { session: owner, title: "O2", position: 2 },
      { session: agent, title: "G2", position: 0 },
      { session: owner, title: "T3", position: 0 },
      { session: agent, title: "G3", position: 4 },
      { session: owner, title: "O3", position: 1 },
    ];
    const responses = await Promise.all(
      moves.map((move) =>
        patchDeal(move.session, byTitle.get(move.title)?.id ?? "", {
          stageId: target,
          position: move.position,
        }),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual(moves.map(() => 200));

    const stage = (await board(owner)).stages.find((candidate) => candidate.id === target);
    const cards = stage?.deals ?? [];
    const positions = cards.map((card) => card.position);
    // Three residents (T3 among them, moved within the stage) plus six cards moved in.
    expect(stage?.count).toBe(9);
    expect(cards).toHaveLength(9);
    expect(new Set(positions).size).toBe(9);
    expect([...positions].sort()).toEqual(positions);

    // The outcome is what applying the same moves one after another in some order gives.
    const final = cards.map((card) => card.title);
    const replays = permutations(moves).map((order) =>
      replay(
        ["T1", "T2", "T3"],
        order.map((move) => [move.title, move.position]),
      ),
    );
    expect(replays.map((order) => order.join())).toContain(final.join());

    // And it is stable: reading again gives the same order.
    expect(await stageTitles(owner, target)).toEqual(final);
  });
});

describe("cards crossing between two stages at once", () => {
  it("all land, without the two stage locks deadlocking each other", async () => {
    const owner = await signUp("deals-swap");
    const sales = await salesPipeline(owner);
    const left = sales.stage("Qualified");
    const right = sales.stage("Negotiation");
    const lefts = await createDeals(owner, ["L1", "L2", "L3", "L4"], { stageId: left });
    const rights = await createDeals(owner, ["R1", "R2", "R3", "R4"], { stageId: right });

    const responses = await Promise.all([
      ...lefts.map((deal) => patchDeal(owner, deal.id, { stageId: right, position: 0 })),
      ...rights.map((deal) => patchDeal(owner, deal.id, { stageId: left, position: 0 })),
    ]);
    expect(responses.map((response) => response.status)).toEqual(responses.map(() => 200));
    expect((await stageTitles(owner, left)).sort()).toEqual(["R1", "R2", "R3", "R4"]);
    expect((await stageTitles(owner, right)).sort()).toEqual(["L1", "L2", "L3", "L4"]);
  });
});

function replay(initial: string[], moves: [string, number][]): string[] {
  const order = [...initial];
  for (const [title, index] of moves) {
    const at = order.indexOf(title);
    if (at >= 0) order.splice(at, 1);
    order.splice(Math.min(index, order.length), 0, title);
  }
  return order;
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, index) =>
    permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [
      item,
      ...rest,
    ]),
  );
}

describe("editing deals", () => {
  it("refuses a stale version with 409 and bumps the version on every write", async () => {
    const owner = await signUp("deals-version");
    const deal = await createDeal(owner, { title: "Versioned", amount: 1, currency: "USD" });
    const first = await patchDeal(owner, deal.id, { amount: 200, version: 1 });
    expect(first.status).toBe(200);
    expect(first.body.data).toMatchObject({ amount: 200, version: 2 });

    const stale = await patchDeal(owner, deal.id, { title: "Overwrite", version: 1 });
    expectErrorEnvelope(stale, 409, "conflict");
    const staleMove = await patchDeal(owner, deal.id, { position: 0, version: 1 });
    expectErrorEnvelope(staleMove, 409, "conflict");

    const current = await call<Deal>(`/deals/${deal.id}`, { token: owner.accessToken });
    expect(current.body.data).toMatchObject({ title: "Versioned", amount: 200, version: 2 });
  });

  it("forbids viewers, and agents moving someone else's deal (403)", async () => {
    const owner = await signUp("deals-perm");
    const viewer = await addMember(owner, "viewer");
    const agent = await addMember(owner, "agent");
    const sales = await salesPipeline(owner);
    const ownersDeal = await createDeal(owner, { title: "Owner's", amount: 1, currency: "USD" });

    expectErrorEnvelope(
      await call("/deals", {
        method: "POST",
        token: viewer.accessToken,
        body: { title: "Nope", amount: 1, currency: "USD" },
      }),
      403,
      "forbidden",
    );
    expectErrorEnvelope(
      await patchDeal(viewer, ownersDeal.id, { stageId: sales.stage("Qualified") }),
      403,
      "forbidden",
    );
    expectErrorEnvelope(
      await patchDeal(agent, ownersDeal.id, { stageId: sales.stage("Qualified"), position: 0 }),
      403,
      "forbidden",
    );
    expectErrorEnvelope(
      await call(`/deals/${ownersDeal.id}`, { method: "DELETE", token: agent.accessToken }),
      403,
      "forbidden",
    );
    expect((await call(`/deals/${ownersDeal.id}`, { token: viewer.accessToken })).status).toBe(200);

    const agentsDeal = await createDeal(agent, { title: "Agent's", amount: 1, currency: "USD" });
    expect(agentsDeal.ownerId).toBe(agent.userId);
    const moved = await patchDeal(agent, agentsDeal.id, { stageId: sales.stage("Qualified") });
    expect(moved.status).toBe(200);
    expectErrorEnvelope(
      await patchDeal(agent, agentsDeal.id, { ownerId: owner.userId }),
      403,
      "forbidden",
    );
  });

  it("answers 404 for another organization's deal and 422 for its stage", async () => {
    const alpha = await signUp("deals-alpha");
    const beta = await signUp("deals-beta");
    const betaSales = await salesPipeline(beta);
    const betaDeal = await createDeal(beta, { title: "Beta secret", amount: 7, currency: "USD" });
    const alphaDeal = await createDeal(alpha, { title: "Alpha", amount: 7, currency: "USD" });

    expectErrorEnvelope(await call(`/deals/${betaDeal.id}`, { token: alpha.accessToken }), 404);
    expectErrorEnvelope(await patchDeal(alpha, betaDeal.id, { title: "Mine now" }), 404);
    expectErrorEnvelope(
      await call(`/deals/${betaDeal.id}`, { method: "DELETE", token: alpha.accessToken }),
      404,
    );
    expectErrorEnvelope(
      await call(`/deals/board?pipelineId=${betaSales.id}`, { token: alpha.accessToken }),
      404,
    );

    const foreignStage = await patchDeal(alpha, alphaDeal.id, {
      stageId: betaSales.stage("Won"),
      position: 0,
    });
    expectErrorEnvelope(foreignStage, 422, "validation_failed");
    expect(foreignStage.body.errors).toHaveProperty("stageId");
    const foreignCreate = await call("/deals", {
      method: "POST",
      token: alpha.accessToken,
      body: { title: "X", amount: 1, currency: "USD", stageId: betaSales.stage("Won") },
    });
    expectErrorEnvelope(foreignCreate, 422, "validation_failed");
    const foreignPipeline = await call("/deals", {
      method: "POST",
      token: alpha.accessToken,
      body: { title: "X", amount: 1, currency: "USD", pipelineId: betaSales.id },
    });
    expectErrorEnvelope(foreignPipeline, 422, "validation_failed");

    const untouched = await call<Deal>(`/deals/${betaDeal.id}`, { token: beta.accessToken });
    expect(untouched.body.data).toMatchObject({ title: "Beta secret", version: 1 });
  });

  it("soft-deletes and restores a deal to its place", async () => {
    const owner = await signUp("deals-restore");
    const sales = await salesPipeline(owner);
    const [first, second] = await createDeals(owner, ["Keep", "Bin"], {});
    if (!first || !second) throw new Error("deals missing");

    const deleted = await call<Deal>(`/deals/${second.id}`, {
      method: "DELETE",
      token: owner.accessToken,
    });
    expect(deleted.status).toBe(200);
    expect(deleted.body.data.deletedAt).not.toBeNull();
    expectErrorEnvelope(await call(`/deals/${second.id}`, { token: owner.accessToken }), 404);
    const live = await call<Deal[]>("/deals", { token: owner.accessToken });
    expect(live.body.data.map((deal) => deal.id)).toEqual([first.id]);
    const bin = await call<Deal[]>("/deals?deleted=true", { token: owner.accessToken });
    expect(bin.body.data.map((deal) => deal.id)).toEqual([second.id]);

    const restored = await call<Deal>(`/deals/${second.id}/restore`, {
      method: "POST",
      token: owner.accessToken,
    });
    expect(restored.status).toBe(200);
    expect(restored.body.data.deletedAt).toBeNull();
    expect(await stageTitles(owner, sales.stage("Lead in"))).toEqual(["Keep", "Bin"]);
    expectErrorEnvelope(
      await call(`/deals/${second.id}/restore`, { method: "POST", token: owner.accessToken }),
      409,
      "conflict",
    );
  });
});

describe("listing deals", () => {
  it("filters, sorts, searches and paginates", async () => {
    const owner = await signUp("deals-list");
    const sales = await salesPipeline(owner);
    await createDeal(owner, { title: "Small widget order", amount: 500, currency: "USD" });
    await createDeal(owner, {
      title: "Large gadget contract",
      amount: 90000,
      currency: "EUR",
      stageId: sales.stage("Proposal"),
      tags: ["enterprise"],
      expectedCloseDate: "2026-06-30",
    });
    await createDeal(owner, { title: "Medium widget", amount: 5000, currency: "USD" });

    const titles = async (query: string) => {
      const response = await call<Deal[]>(`/deals?${query}`, { token: owner.accessToken });
      expect(response.status).toBe(200);
      return response.body.data.map((deal) => deal.title);
    };
    expect(await titles("sort=amount")).toEqual([
      "Small widget order",
      "Medium widget",
      "Large gadget contract",
    ]);
    expect(await titles("filter.amount.gte=5000&sort=-amount")).toEqual([
      "Large gadget contract",
      "Medium widget",
    ]);
    expect(await titles("filter.currency=EUR")).toEqual(["Large gadget contract"]);
    expect(await titles(`filter.stageId=${sales.stage("Proposal")}`)).toEqual([
      "Large gadget contract",
    ]);
    expect(await titles("filter.tags=enterprise,other")).toEqual(["Large gadget contract"]);
    expect(await titles("filter.expectedCloseDate.lte=2026-12-31")).toEqual([
      "Large gadget contract",
    ]);
    expect(await titles("q=widg&sort=title")).toEqual(["Medium widget", "Small widget order"]);

    const firstPage = await call<Deal[]>("/deals?limit=2&sort=title", { token: owner.accessToken });
    expect(firstPage.body.data.map((deal) => deal.title)).toEqual([
      "Large gadget contract",
      "Medium widget",
    ]);
    const cursor = firstPage.body.meta?.pagination?.nextCursor;
    expect(cursor).toBeTruthy();
    expect(await titles(`limit=2&sort=title&cursor=${cursor}`)).toEqual(["Small widget order"]);

    expectErrorEnvelope(
      await call("/deals?sort=position", { token: owner.accessToken }),
      422,
      "validation_failed",
    );
  });
});
