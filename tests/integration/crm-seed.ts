import { expect } from "vitest";
import type { Tx } from "../../worker/db/client";
import { call, type Session, workerDatabase } from "./helpers";

/*
 * Records for the activity, search, bulk and report tests: created through the API where it
 * exists, so they are stored exactly as the product stores them.
 */

export interface SeededRecord {
  id: string;
  version: number;
  createdAt: string;
  ownerId: string | null;
}

export interface Stage {
  id: string;
  name: string;
  isWon: boolean;
  isLost: boolean;
}

export interface Pipeline {
  id: string;
  name: string;
  isDefault: boolean;
  stages: Stage[];
}

async function create(session: Session, path: string, body: Record<string, unknown>) {
  const response = await call<SeededRecord>(path, {
    method: "POST",
    token: session.accessToken,
    body,
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.data;
}

export function seedContact(session: Session, body: Record<string, unknown> = {}) {
  return create(session, "/contacts", { firstName: "Test", lastName: "Person", ...body });
}

export function seedCompany(session: Session, body: Record<string, unknown> = {}) {
  return create(session, "/companies", { name: "Test Company", ...body });
}

export function seedDeal(session: Session, body: Record<string, unknown> = {}) {
  return create(session, "/deals", { title: "Test deal", amount: 1000, currency: "USD", ...body });
}

/** Runs `work` in a transaction as the member (row-level security applies), for set-ups the API cannot make. */
export async function asMember<T>(session: Session, work: (tx: Tx) => Promise<T>): Promise<T> {
  const db = workerDatabase();
  try {
    return await db.transaction({ orgId: session.orgId, userId: session.userId }, work);
  } finally {
    await db.close();
  }
}

export function seedLead(session: Session, title: string, body: Record<string, unknown> = {}) {
  return create(session, "/leads", { title, ...body });
}

export async function defaultPipeline(session: Session) {
  const response = await call<Pipeline[]>("/pipelines", { token: session.accessToken });
  expect(response.status).toBe(200);
  const pipeline = response.body.data.find((candidate) => candidate.isDefault);
  if (!pipeline) throw new Error("no default pipeline");
  const stage = (name: string) => {
    const found = pipeline.stages.find((candidate) => candidate.name === name);
    if (!found) throw new Error(`no stage ${name}`);
    return found;
  };
  return { ...pipeline, stage };
}
