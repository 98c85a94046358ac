import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { addMember, BASE, call, expectErrorEnvelope, type Session, signUp } from "./helpers";

interface Stage {
  id: string;
  pipelineId: string;
  name: string;
  position: number;
  probability: number;
  isWon: boolean;
  isLost: boolean;
}

interface Pipeline {
  id: string;
  name: string;
  isDefault: boolean;
  stages: Stage[];
}

async function pipelinesOf(session: Session) {
  const response = await call<Pipeline[]>("/pipelines", { token: session.accessToken });
  expect(response.status).toBe(200);
  return response.body.data;
}

async function createPipeline(session: Session, name: string, stages: string[]) {
  const response = await call<Pipeline>("/pipelines", {
    method: "POST",
    token: session.accessToken,
    body: { name, stages: stages.map((stage) => ({ name: stage })) },
  });
  expect(response.status).toBe(201);
  return response.body.data;
}

const stageNames = (pipeline: Pipeline) => pipeline.stages.map((stage) => stage.name);

describe("the default pipeline", () => {
  it("is created once with the standard stages, even by two concurrent first requests", async () => {
    const owner = await signUp("pipelines-default");
    const viewer = await addMember(owner, "viewer");

    const [first, second] = await Promise.all([
      call<Pipeline[]>("/pipelines", { token: owner.accessToken }),
      call<Pipeline[]>("/pipelines", { token: viewer.accessToken }),
    ]);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(first.body.data).toHaveLength(1);
    expect(second.body.data.map((pipeline) => pipeline.id)).toEqual([first.body.data[0]?.id]);

    const [sales] = await pipelinesOf(owner);
    expect(sales).toMatchObject({ name: "Sales", isDefault: true });
    expect(
      sales?.stages.map(({ name, position, probability, isWon, isLost }) => ({
        name,
        position,
        probability,
        isWon,
        isLost,
      })),
    ).toEqual([
      { name: "Lead in", position: 0, probability: 10, isWon: false, isLost: false },
      { name: "Qualified", position: 1, probability: 25, isWon: false, isLost: false },
      { name: "Proposal", position: 2, probability: 50, isWon: false, isLost: false },
      { name: "Negotiation", position: 3, probability: 75, isWon: false, isLost: false },
      { name: "Won", position: 4, probability: 100, isWon: true, isLost: false },
      { name: "Lost", position: 5, probability: 0, isWon: false, isLost: true },
    ]);
  });

  it("exists before a custom pipeline, and the default can be switched but not dropped", async () => {
    const owner = await signUp("pipelines-switch");
    const partners = await createPipeline(owner, "Partners", ["Intro", "Signed"]);
    expect(partners.isDefault).toBe(false);
    expect(stageNames(partners)).toEqual(["Intro", "Signed"]);

    const before = await pipelinesOf(owner);
    expect(before.map((pipeline) => [pipeline.name, pipeline.isDefault])).toEqual([
      ["Sales", true],
      ["Partners", false],
    ]);

    const switched = await call<Pipeline>(`/pipelines/${partners.id}`, {
      method: "PATCH",
      token: owner.accessToken,
      body: { isDefault: true, name: "Partner deals" },
    });
    expect(switched.status).toBe(200);
    expect(switched.body.data).toMatchObject({ name: "Partner deals", isDefault: true });
    const after = await pipelinesOf(owner);
    expect(after.filter((pipeline) => pipeline.isDefault).map((pipeline) => pipeline.id)).toEqual([
      partners.id,
    ]);

    expectErrorEnvelope(
      await call(`/pipelines/${partners.id}`, {
        method: "PATCH",
        token: owner.accessToken,
        body: { isDefault: false },
      }),
      422,
      "validation_failed",
    );
  });
});

describe("pipeline configuration", () => {
  it("is for admins: agents and viewers get 403", async () => {
    const owner = await signUp("pipelines-perm");
    const agent = await addMember(owner, "agent");
    const admin = await addMember(owner, "admin");
    const [sales] = await pipelinesOf(agent);
    const stageId = sales?.stages[0]?.id;

    expectErrorEnvelope(
      await call("/pipelines", {
        method: "POST",
        token: agent.accessToken,
        body: { name: "Mine", stages: [{ name: "One" }] },
      }),
      403,
      "forbidden",
    );
    expectErrorEnvelope(
      await call(`/pipelines/${sales?.id}/stages/${stageId}`, {
        method: "PATCH",
        token: agent.accessToken,
        body: { name: "Renamed" },
      }),
      403,
      "forbidden",
    );
    const byAdmin = await call<Pipeline>(`/pipelines/${sales?.id}/stages/${stageId}`, {
      method: "PATCH",
      token: admin.accessToken,
      body: { name: "New leads", probability: 5 },
    });
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body.data.stages[0]).toMatchObject({ name: "New leads", probability: 5 });
  });

  it("rejects invalid pipelines and stages with 422", async () => {
    const owner = await signUp("pipelines-invalid");
    const invalidBodies = [
      { name: "No stages", stages: [] },
      { name: "", stages: [{ name: "One" }] },
      { name: "Both", stages: [{ name: "Odd", isWon: true, isLost: true }] },
      { name: "Odds", stages: [{ name: "Sure", probability: 101 }] },
      { name: "Extra", stages: [{ name: "One" }], colour: "red" },
    ];
    for (const body of invalidBodies) {
      expectErrorEnvelope(
        await call("/pipelines", { method: "POST", token: owner.accessToken, body }),
        422,
        "validation_failed",
      );
    }
  });

  it("adds, reorders and deletes stages, keeping positions dense", async () => {
    const owner = await signUp("pipelines-stages");
    const pipeline = await createPipeline(owner, "Hiring", ["Applied", "Interview", "Offer"]);

    const added = await call<Pipeline>(`/pipelines/${pipeline.id}/stages`, {
      method: "POST",
      token: owner.accessToken,
      body: { name: "Screen", probability: 20, position: 1 },
    });
    expect(added.status).toBe(201);
    expect(stageNames(added.body.data)).toEqual(["Applied", "Screen", "Interview", "Offer"]);
    expect(added.body.data.stages.map((stage) => stage.position)).toEqual([0, 1, 2, 3]);

    const offer = added.body.data.stages[3];
    const moved = await call<Pipeline>(`/pipelines/${pipeline.id}/stages/${offer?.id}`, {
      method: "PATCH",
      token: owner.accessToken,
      body: { position: 0, isWon: true },
    });
    expect(moved.status).toBe(200);
    expect(stageNames(moved.body.data)).toEqual(["Offer", "Applied", "Screen", "Interview"]);
    expect(moved.body.data.stages[0]).toMatchObject({ isWon: true, isLost: false });

    const screen = moved.body.data.stages[2];
    const deleted = await call<Pipeline>(`/pipelines/${pipeline.id}/stages/${screen?.id}`, {
      method: "DELETE",
      token: owner.accessToken,
    });
    expect(deleted.status).toBe(200);
    expect(stageNames(deleted.body.data)).toEqual(["Offer", "Applied", "Interview"]);
    expect(deleted.body.data.stages.map((stage) => stage.position)).toEqual([0, 1, 2]);
  });

  it("refuses to delete a stage that still holds deals (409), then allows it once empty", async () => {
    const owner = await signUp("pipelines-busy");
    const pipeline = await createPipeline(owner, "Busy", ["Open", "Closed"]);
    const stageId = pipeline.stages[0]?.id;
    const deal = await call<{ id: string }>("/deals", {
      method: "POST",
      token: owner.accessToken,
      body: { title: "Blocker", amount: 100, currency: "EUR", stageId },
    });
    expect(deal.status).toBe(201);

    expectErrorEnvelope(
      await call(`/pipelines/${pipeline.id}/stages/${stageId}`, {
        method: "DELETE",
        token: owner.accessToken,
      }),
      409,
      "conflict",
    );

    await call(`/deals/${deal.body.data.id}`, { method: "DELETE", token: owner.accessToken });
    const deleted = await call<Pipeline>(`/pipelines/${pipeline.id}/stages/${stageId}`, {
      method: "DELETE",
      token: owner.accessToken,
    });
    expect(deleted.status).toBe(200);
    expect(stageNames(deleted.body.data)).toEqual(["Closed"]);

    // The soft-deleted deal moved to the remaining stage and can still come back.
    const restored = await call<{ stageId: string }>(`/deals/${deal.body.data.id}/restore`, {
      method: "POST",
      token: owner.accessToken,
    });
    expect(restored.status).toBe(200);
    expect(restored.body.data.stageId).toBe(pipeline.stages[1]?.id);

    expectErrorEnvelope(
      await call(`/pipelines/${pipeline.id}/stages/${pipeline.stages[1]?.id}`, {
        method: "DELETE",
        token: owner.accessToken,
      }),
      409,
      "conflict",
    );
  });

  it("answers 404 for another organization's pipeline and stage", async () => {
    const alpha = await signUp("pipelines-alpha");
    const beta = await signUp("pipelines-beta");
    const [betaSales] = await pipelinesOf(beta);
    const betaStage = betaSales?.stages[0]?.id;

    expectErrorEnvelope(
      await call(`/pipelines/${betaSales?.id}`, { token: alpha.accessToken }),
      404,
      "not_found",
    );
    expectErrorEnvelope(
      await call(`/pipelines/${betaSales?.id}`, {
        method: "PATCH",
        token: alpha.accessToken,
        body: { name: "Hijacked" },
      }),
      404,
      "not_found",
    );
    const [alphaSales] = await pipelinesOf(alpha);
    expectErrorEnvelope(
      await call(`/pipelines/${alphaSales?.id}/stages/${betaStage}`, {
        method: "DELETE",
        token: alpha.accessToken,
      }),
      404,
      "not_found",
    );
    const [unchanged] = await pipelinesOf(beta);
    expect(unchanged?.name).toBe("Sales");
    expect(unchanged?.stages).toHaveLength(6);
  });
});

describe("the API description", () => {
  it("documents the pipeline, deal and lead endpoints", async () => {
    const doc = await SELF.fetch(`${BASE}/openapi.json`);
    expect(doc.status).toBe(200);
    const json = await doc.json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(json.paths)).toEqual(
      expect.arrayContaining([
        "/pipelines",
        "/pipelines/{id}",
        "/pipelines/{id}/stages",
        "/pipelines/{id}/stages/{stageId}",
        "/deals",
        "/deals/board",
        "/deals/{id}",
        "/deals/{id}/restore",
        "/leads",
        "/leads/{id}",
        "/leads/{id}/restore",
        "/leads/{id}/convert",
      ]),
    );
  });
});
