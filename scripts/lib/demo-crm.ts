import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import { generateKeyBetween } from "fractional-indexing";
import {
  activities,
  companies,
  contacts,
  dealStageHistory,
  deals,
  leads,
  pipelineStages,
  pipelines,
} from "../../worker/db/crm-schema";
import { DEFAULT_STAGES } from "../../worker/pipelines/service";

type Tx = Parameters<Parameters<NodePgDatabase["transaction"]>[0]>[0];

const COMPANIES = [
  { name: "Acme Corporation", domain: "acme.example", industry: "Manufacturing", size: "201-1000" },
  { name: "Globex", domain: "globex.example", industry: "Energy", size: "1000+" },
  { name: "Initech", domain: "initech.example", industry: "Software", size: "51-200" },
  { name: "Umbrella Health", domain: "umbrella.example", industry: "Healthcare", size: "1000+" },
  { name: "Soylent Foods", domain: "soylent.example", industry: "Food", size: "11-50" },
];

const PEOPLE = [
  ["John", "Smith", "+14155550132"],
  ["Amélie", "Durand", "+33142685300"],
  ["Kenji", "Watanabe", "+81312345678"],
  ["Priya", "Nair", "+919812345678"],
  ["Lukas", "Müller", "+4930123456"],
  ["Sofia", "Rossi", "+390612345678"],
  ["Mateo", "García", "+34911234567"],
  ["Grace", "Okafor", "+2348031234567"],
  ["Liam", "O'Brien", "+35318765432"],
  ["Chloé", "Martin", "+33612345678"],
] as const;

const DEALS = [
  ["Acme: 200 seats", 4_800_000, "USD", 0],
  ["Globex renewal", 12_000_000, "USD", 3],
  ["Initech pilot", 950_000, "EUR", 1],
  ["Umbrella contact center", 7_500_000, "EUR", 2],
  ["Soylent WhatsApp inbox", 300_000, "EUR", 0],
  ["Acme support add-on", 1_200_000, "USD", 4],
  ["Globex phones", 2_400_000, "USD", 5],
] as const;

/**
 * A small, believable CRM for the demo organization (companies, people, a pipeline, deals).
 * Returns the people (the support desk's demo requesters).
 */
export async function seedDemoCrm(tx: Tx, orgId: string, ownerIds: string[]) {
  const now = Date.now();
  const owner = (index: number) => ownerIds[index % ownerIds.length] ?? null;
  const companyIds = COMPANIES.map(() => crypto.randomUUID());
  await tx.insert(companies).values(
    COMPANIES.map((company, index) => ({
      id: companyIds[index] as string,
      orgId,
      ownerId: owner(index),
      ...company,
    })),
  );
  const contactIds = PEOPLE.map(() => crypto.randomUUID());
  const emailOf = (firstName: string, lastName: string) =>
    `${`${firstName}.${lastName}`
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[^a-z.]/g, "")}@example.com`;
  await tx.insert(contacts).values(
    PEOPLE.map(([firstName, lastName, phone], index) => {
      const email = emailOf(firstName, lastName);
      return {
        id: contactIds[index] as string,
        orgId,
        firstName,
        lastName,
        emails: [{ email, primary: true }],
        emailAddresses: [email],
        phones: [{ raw: phone, e164: phone, primary: true }],
        phoneNumbers: [phone],
        companyId: companyIds[index % companyIds.length] ?? null,
        ownerId: owner(index),
        lifecycleStage: index % 3 === 0 ? ("customer" as const) : ("lead" as const),
      };
    }),
  );
  const pipelineId = crypto.randomUUID();
  await tx.insert(pipelines).values({ id: pipelineId, orgId, name: "Sales", isDefault: true });
  const stageIds = DEFAULT_STAGES.map(() => crypto.randomUUID());
  await tx.insert(pipelineStages).values(
    DEFAULT_STAGES.map((stage, position) => ({
      id: stageIds[position] as string,
      orgId,
      pipelineId,
      position,
      name: stage.name,
      probability: stage.probability ?? 0,
      isWon: stage.isWon ?? false,
      isLost: stage.isLost ?? false,
    })),
  );
  const lastKey = new Map<string, string | null>();
  for (const [index, [title, amount, currency, stage]] of DEALS.entries()) {
    const stageId = stageIds[stage] as string;
    const position = generateKeyBetween(lastKey.get(stageId) ?? null, null);
    lastKey.set(stageId, position);
    const dealId = crypto.randomUUID();
    const closed = DEFAULT_STAGES[stage]?.isWon || DEFAULT_STAGES[stage]?.isLost;
    await tx.insert(deals).values({
      id: dealId,
      orgId,
      title,
      amount,
      currency,
      pipelineId,
      stageId,
      position,
      ownerId: owner(index),
      companyId: companyIds[index % companyIds.length] ?? null,
      contactId: contactIds[index] ?? null,
      closedAt: closed ? new Date(now - index * 20 * 86_400_000) : null,
    });
    await tx.insert(dealStageHistory).values({
      id: crypto.randomUUID(),
      orgId,
      dealId,
      toStageId: stageId,
      changedBy: owner(index),
    });
  }
  await tx.insert(leads).values([
    {
      id: crypto.randomUUID(),
      orgId,
      title: "Website enquiry: 50 agents",
      source: "web",
      ownerId: owner(3),
    },
    {
      id: crypto.randomUUID(),
      orgId,
      title: "Trade fair contact",
      source: "event",
      status: "contacted",
      score: 60,
    },
  ]);
  await tx.insert(activities).values(
    contactIds.slice(0, 4).map((contactId, index) => ({
      id: crypto.randomUUID(),
      orgId,
      type: index % 2 === 0 ? ("note" as const) : ("task" as const),
      subject: index % 2 === 0 ? "Intro call went well" : "Send the proposal",
      dueAt: index % 2 === 0 ? null : new Date(now + (index + 1) * 86_400_000),
      assigneeId: owner(index),
      createdBy: owner(index),
      contactId,
    })),
  );
  return PEOPLE.map(([firstName, lastName], index) => ({
    id: contactIds[index] as string,
    name: `${firstName} ${lastName}`,
    email: emailOf(firstName, lastName),
  }));
}
