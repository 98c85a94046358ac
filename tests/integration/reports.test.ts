import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { deals } from "../../worker/db/crm-schema";
import { asMember, defaultPipeline, seedContact, seedDeal } from "./crm-seed";
import { addMember, call, expectErrorEnvelope, type Session, signUp } from "./helpers";

interface CurrencyTotal {
  currency: string;
  count: number;
  amount: number;
}

interface Dashboard {
  pipeline: { id: string; name: string };
  stages: {
    stageId: string;
    name: string;
    isWon: boolean;
    count: number;
    totals: CurrencyTotal[];
  }[];
  wonByMonth: { month: string; count: number; totals: CurrencyTotal[] }[];
  activitiesByUser: {
    userId: string;
    name: string;
    total: number;
    byType: Record<string, number>;
  }[];
}

async function dashboard(session: Session, query = "") {
  const response = await call<Dashboard>(`/reports/dashboard${query}`, {
    token: session.accessToken,
  });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.data;
}

function monthKey(monthsAgo: number) {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - monthsAgo, 1))
    .toISOString()
    .slice(0, 7);
}

async function logActivity(session: Session, body: Record<string, unknown>) {
  const response = await call<{ id: string }>("/activities", {
    method: "POST",
    token: session.accessToken,
    body,
  });
  expect(response.status).toBe(201);
  return response.body.data;
}

describe("dashboard report", () => {
  it("sums the default pipeline by stage, per currency", async () => {
    const owner = await signUp("report-stages");
    const pipeline = await defaultPipeline(owner);
    const qualified = pipeline.stage("Qualified").id;
    await seedDeal(owner, { amount: 1000, currency: "USD" });
    await seedDeal(owner, { amount: 2500, currency: "USD", stageId: qualified });
    await seedDeal(owner, { amount: 4000, currency: "EUR", stageId: qualified });
    await seedDeal(owner, { amount: 500, currency: "USD", stageId: qualified });
    const gone = await seedDeal(owner, { amount: 9999, currency: "USD", stageId: qualified });
    expect(
      (await call(`/deals/${gone.id}`, { method: "DELETE", token: owner.accessToken })).status,
    ).toBe(200);

    const report = await dashboard(owner);
    expect(report.pipeline.id).toBe(pipeline.id);
    expect(report.stages.map((stage) => stage.name)).toEqual(
      pipeline.stages.map((stage) => stage.name),
    );
    const byName = (name: string) => report.stages.find((stage) => stage.name === name);
    expect(byName("Lead in")).toMatchObject({
      count: 1,
      totals: [{ currency: "USD", count: 1, amount: 1000 }],
    });
    expect(byName("Qualified")).toMatchObject({
      stageId: qualified,
      count: 3,
      totals: [
        { currency: "EUR", count: 1, amount: 4000 },
        { currency: "USD", count: 2, amount: 3000 },
      ],
    });
    expect(byName("Proposal")).toMatchObject({ count: 0, totals: [] });
  });

  it("counts deals won per month over the last 12 months", async () => {
    const owner = await signUp("report-won");
    const won = (await defaultPipeline(owner)).stage("Won").id;
    await seedDeal(owner, { amount: 300, currency: "USD", stageId: won });
    const older = await seedDeal(owner, { amount: 700, currency: "USD", stageId: won });
    const ancient = await seedDeal(owner, { amount: 900, currency: "USD", stageId: won });
    await seedDeal(owner, { amount: 100, currency: "USD" });
    const threeMonthsAgo = new Date(Date.now() - 92 * 86_400_000);
    const twoYearsAgo = new Date(Date.now() - 730 * 86_400_000);
    await asMember(owner, async (tx) => {
      await tx.update(deals).set({ closedAt: threeMonthsAgo }).where(eq(deals.id, older.id));
      await tx.update(deals).set({ closedAt: twoYearsAgo }).where(eq(deals.id, ancient.id));
    });

    const report = await dashboard(owner);
    expect(report.wonByMonth).toHaveLength(12);
    expect(report.wonByMonth.at(-1)).toEqual({
      month: monthKey(0),
      count: 1,
      totals: [{ currency: "USD", count: 1, amount: 300 }],
    });
    const olderMonth = threeMonthsAgo.toISOString().slice(0, 7);
    expect(report.wonByMonth.find((month) => month.month === olderMonth)).toMatchObject({
      count: 1,
      totals: [{ currency: "USD", count: 1, amount: 700 }],
    });
    expect(report.wonByMonth[0]?.month).toBe(monthKey(11));
    expect(report.wonByMonth.reduce((sum, month) => sum + month.count, 0)).toBe(2);
  });

  it("counts each member's activities of the last 30 days by type", async () => {
    const owner = await signUp("report-activities");
    const agent = await addMember(owner, "agent", "Agent");
    const contact = await seedContact(owner);
    const on = { contactId: contact.id };
    await logActivity(owner, { type: "note", subject: "a", ...on });
    await logActivity(owner, { type: "note", subject: "b", ...on });
    await logActivity(owner, { type: "call", subject: "c", ...on });
    const deleted = await logActivity(owner, { type: "call", subject: "deleted", ...on });
    await call(`/activities/${deleted.id}`, { method: "DELETE", token: owner.accessToken });
    await logActivity(owner, {
      type: "meeting",
      subject: "long ago",
      occurredAt: new Date(Date.now() - 40 * 86_400_000).toISOString(),
      ...on,
    });
    await logActivity(agent, { type: "task", subject: "d", ...on });

    const report = await dashboard(owner);
    expect(report.activitiesByUser).toEqual([
      {
        userId: owner.userId,
        name: "report-activities person",
        total: 3,
        byType: { note: 2, task: 0, call: 1, message: 0, meeting: 0 },
      },
      {
        userId: agent.userId,
        name: "Agent person",
        total: 1,
        byType: { note: 0, task: 1, call: 0, message: 0, meeting: 0 },
      },
    ]);
  });

  it("reports on a named pipeline, and answers 404 for another organization's", async () => {
    const owner = await signUp("report-pipeline");
    const viewer = await addMember(owner, "viewer");
    const other = await signUp("report-pipeline-other");
    const created = await call<{ id: string; stages: { id: string }[] }>("/pipelines", {
      method: "POST",
      token: owner.accessToken,
      body: { name: "Partners", stages: [{ name: "Talking" }, { name: "Signed", isWon: true }] },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    await seedDeal(owner, { amount: 50, currency: "USD" });

    const partners = await dashboard(viewer, `?pipelineId=${created.body.data.id}`);
    expect(partners.pipeline.name).toBe("Partners");
    expect(partners.stages.map((stage) => [stage.name, stage.count])).toEqual([
      ["Talking", 0],
      ["Signed", 0],
    ]);

    expectErrorEnvelope(
      await call(`/reports/dashboard?pipelineId=${created.body.data.id}`, {
        token: other.accessToken,
      }),
      404,
      "not_found",
    );
    expectErrorEnvelope(
      await call("/reports/dashboard?pipelineId=nope", { token: owner.accessToken }),
      422,
      "validation_failed",
    );
    const theirs = await dashboard(other);
    expect(theirs.stages.every((stage) => stage.count === 0)).toBe(true);
    expect(theirs.activitiesByUser).toEqual([]);
  });
});
