import { SELF } from "cloudflare:test";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { csatSurveys } from "../../worker/db/desk-schema";
import {
  addMember,
  call,
  connectSocket,
  expectErrorEnvelope,
  type Session,
  signUp,
  uniqueEmail,
  uniqueIp,
  workerDatabase,
} from "./helpers";
import { mailbox, sentEmail } from "./mailbox-helpers";

/*
 * CSAT: a solved ticket asks its requester for a rating by email when the organization wants
 * it, once per solve; the link's page shows the question without recording anything; the
 * answer (1-5, a comment) is recorded by the form, may change until the survey expires, and
 * lands on the ticket (its `csat`, a note in its thread, `ticket.updated`, the assignee's bell)
 * and in the report. Another organization's survey is never reachable through this one.
 */

const APP = "http://switchboard.test";

interface Ticket {
  id: string;
  number: number;
  status: string;
  version: number;
  csat: { rating: number; comment: string | null; answeredAt: string } | null;
}

async function enableCsat(owner: Session, on = true) {
  const response = await call<{ csatEnabled: boolean }>("/organization", {
    method: "PATCH",
    token: owner.accessToken,
    body: { csatEnabled: on },
  });
  expect(response.status).toBe(200);
  expect(response.body.data.csatEnabled).toBe(on);
}

async function openTicket(
  session: Session,
  requester: string,
  extra: Record<string, unknown> = {},
) {
  const response = await call<Ticket>("/tickets", {
    method: "POST",
    token: session.accessToken,
    body: {
      subject: "Printer on fire",
      description: "It smokes.",
      requester: { email: requester, name: "Robin Requester" },
      ...extra,
    },
  });
  expect(response.status).toBe(201);
  return response.body.data;
}

async function setStatus(session: Session, id: string, status: string) {
  const response = await call<Ticket>(`/tickets/${id}`, {
    method: "PATCH",
    token: session.accessToken,
    body: { status },
  });
  expect(response.status).toBe(200);
  return response.body.data;
}

async function getTicket(session: Session, id: string) {
  const response = await call<Ticket>(`/tickets/${id}`, { token: session.accessToken });
  expect(response.status).toBe(200);
  return response.body.data;
}

/** The five links of a survey email, 1 to 5, as tokens and paths. */
function surveyLinks(text: string) {
  const links = [...text.matchAll(/http:\/\/[^\s]+\/csat\/([A-Za-z0-9_-]+)\?rating=(\d)/g)];
  return links
    .map((match) => ({
      token: match[1] as string,
      rating: Number(match[2]),
      path: new URL(match[0]).pathname + new URL(match[0]).search,
    }))
    .sort((a, b) => a.rating - b.rating);
}

function surveyPage(path: string) {
  return SELF.fetch(`${APP}${path}`, { headers: { "cf-connecting-ip": uniqueIp() } });
}

function answer(token: string, fields: Record<string, string>) {
  return SELF.fetch(`${APP}/csat/${token}`, {
    method: "POST",
    headers: {
      host: "switchboard.test",
      origin: APP,
      "content-type": "application/x-www-form-urlencoded",
      "cf-connecting-ip": uniqueIp(),
    },
    body: new URLSearchParams(fields).toString(),
  });
}

const text = (html: string) => html.replaceAll("<!-- -->", "").replaceAll("&#x27;", "'");

async function surveysTo(address: string) {
  return (await mailbox()).filter((e) => e.to === address && e.template === "csat_survey");
}

describe("CSAT surveys", () => {
  it("asks only when the organization wants it, once per solve, again after a reopen", async () => {
    const owner = await signUp("csat");
    const requester = uniqueEmail("rater");
    const off = await openTicket(owner, requester);
    await setStatus(owner, off.id, "solved");
    // Off by default: no survey (it would be in the mailbox, pending, as soon as the change commits).
    expect(await surveysTo(requester)).toHaveLength(0);

    await enableCsat(owner);
    const ticket = await openTicket(owner, requester);
    await setStatus(owner, ticket.id, "solved");
    const first = await sentEmail(requester, "csat_survey");
    expect(first.subject).toContain(`[#${ticket.number}]`);
    const links = surveyLinks(first.text);
    expect(links.map((l) => l.rating)).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(links.map((l) => l.token)).size).toBe(1);
    expect(first.html).toContain(`/csat/${links[0]?.token}?rating=5`);
    // Solved -> closed is the same solve: no second survey.
    await setStatus(owner, ticket.id, "closed");
    expect(await surveysTo(requester)).toHaveLength(1);

    // Reopened and solved again (by a reply that solves it): a new survey, a new link.
    const again = await openTicket(owner, requester);
    await setStatus(owner, again.id, "solved");
    const second = await sentEmail(requester, "csat_survey", [first.id]);
    await setStatus(owner, again.id, "open");
    const reply = await call(`/tickets/${again.id}/comments`, {
      method: "POST",
      token: owner.accessToken,
      body: { body: "Fixed for good now.", status: "solved" },
    });
    expect(reply.status).toBe(201);
    const third = await sentEmail(requester, "csat_survey", [first.id, second.id]);
    expect(surveyLinks(third.text)[0]?.token).not.toBe(surveyLinks(second.text)[0]?.token);
    expect(await surveysTo(requester)).toHaveLength(3);
  });

  it("shows the question without recording; records, changes, lands on the ticket, the bell and the report", async () => {
    const owner = await signUp("csat-answer");
    const agent = await addMember(owner, "agent");
    await enableCsat(owner);
    const requester = uniqueEmail("rater");
    const ticket = await openTicket(owner, requester, {
      assigneeId: agent.userId,
      priority: "high",
    });
    await setStatus(owner, ticket.id, "solved");
    const email = await sentEmail(requester, "csat_survey");
    const links = surveyLinks(email.text);
    const token = links[0]?.token as string;

    // Opening the "4" link (a mail scanner, or the customer) records nothing.
    const opened = await surveyPage(links[3]?.path as string);
    expect(opened.status).toBe(200);
    const html = text(await opened.text());
    expect(html).toContain("How did we do?");
    expect(html).toContain(`Request #${ticket.number}`);
    expect(html).toMatch(/checked="" value="4"/);
    expect((await getTicket(owner, ticket.id)).csat).toBeNull();

    const socket = await connectSocket({ authorization: `Bearer ${owner.accessToken}` });
    // Bad ratings are refused with a clear message.
    for (const rating of ["0", "6", "abc", ""]) {
      const bad = await answer(token, { rating });
      expect(bad.status).toBe(422);
      expect(text(await bad.text())).toContain("Choose a rating from 1 to 5.");
    }
    const tooLong = await answer(token, { rating: "3", comment: "x".repeat(2001) });
    expect(tooLong.status).toBe(422);
    expect((await getTicket(owner, ticket.id)).csat).toBeNull();

    const saved = await answer(token, { rating: "4", comment: "Quick and kind." });
    expect(saved.status).toBe(200);
    expect(text(await saved.text())).toContain("your answer was saved");
    await socket.waitFor(
      (event) =>
        event.type === "ticket.updated" &&
        event.ticket.id === ticket.id &&
        (event.ticket as unknown as Ticket).csat?.rating === 4,
    );
    const rated = await getTicket(owner, ticket.id);
    expect(rated.csat).toMatchObject({ rating: 4, comment: "Quick and kind." });
    const comments = await call<{ authorKind: string; public: boolean; body: string }[]>(
      `/tickets/${ticket.id}/comments`,
      { token: owner.accessToken },
    );
    expect(comments.body.data.at(-1)).toMatchObject({
      authorKind: "system",
      public: false,
      body: "Customer rated 4/5: Quick and kind.",
    });
    const bell = await call<{ kind: string; title: string; link: string }[]>("/notifications", {
      token: agent.accessToken,
    });
    expect(bell.body.data[0]).toMatchObject({
      kind: "csat_answered",
      title: `Ticket #${ticket.number} was rated 4/5`,
      link: `/app/tickets/${ticket.id}`,
    });

    // The page now shows the saved answer; changing it is allowed.
    const reopened = text(await (await surveyPage(`/csat/${token}`)).text());
    expect(reopened).toMatch(/checked="" value="4"/);
    expect(reopened).toContain("Quick and kind.");
    const changed = await answer(token, { rating: "2", comment: "" });
    expect(changed.status).toBe(200);
    expect((await getTicket(owner, ticket.id)).csat).toMatchObject({ rating: 2, comment: null });
    const after = await call<{ body: string }[]>(`/tickets/${ticket.id}/comments`, {
      token: owner.accessToken,
    });
    expect(after.body.data.at(-1)?.body).toBe("Customer changed their rating to 2/5.");

    // The report: one sent, one answered, per agent, team and priority.
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const report = await call<{
      total: Record<string, number | null>;
      agents: { assigneeId: string | null; name: string; sent: number; average: number | null }[];
      priorities: { priority: string; sent: number; satisfied: number | null }[];
      teams: { teamId: string | null; sent: number }[];
    }>(`/reports/csat?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, {
      token: agent.accessToken,
    });
    expect(report.status).toBe(200);
    expect(report.body.data.total).toEqual({
      sent: 1,
      answered: 1,
      responseRate: 100,
      average: 2,
      satisfied: 0,
    });
    expect(report.body.data.agents).toEqual([
      expect.objectContaining({
        assigneeId: agent.userId,
        name: "agent person",
        sent: 1,
        average: 2,
      }),
    ]);
    expect(report.body.data.priorities).toEqual([
      expect.objectContaining({ priority: "high", sent: 1, satisfied: 0 }),
    ]);
    expect(report.body.data.teams).toEqual([expect.objectContaining({ teamId: null, sent: 1 })]);
    // The desk's report page and the ticket page show it too.
    const signedIn = { headers: { cookie: `sb_access=${agent.accessToken}` } };
    const reportPage = await SELF.fetch(`${APP}/app/tickets/reports?days=7`, signedIn);
    expect(reportPage.status).toBe(200);
    const reportHtml = text(await reportPage.text());
    expect(reportHtml).toContain("Customer satisfaction");
    expect(reportHtml).toMatch(
      /agent person<\/th><td[^>]*>1<\/td><td[^>]*>1<\/td><td[^>]*>100%<\/td><td[^>]*>2 \/ 5<\/td><td[^>]*>0%/,
    );
    const ticketPage = await SELF.fetch(`${APP}/app/tickets/${ticket.id}`, signedIn);
    expect(ticketPage.status).toBe(200);
    expect(text(await ticketPage.text())).toMatch(/data-testid="ticket-csat"[^>]*>.*2\/5.*Poor/);
    expectErrorEnvelope(
      await call(`/reports/csat?from=${encodeURIComponent(to)}&to=${encodeURIComponent(from)}`, {
        token: agent.accessToken,
      }),
      422,
    );
    socket.socket.close();
  });

  it("expired and unknown links get a clear page; another organization's token finds nothing here", async () => {
    const owner = await signUp("csat-expiry");
    await enableCsat(owner);
    const requester = uniqueEmail("rater");
    const ticket = await openTicket(owner, requester);
    await setStatus(owner, ticket.id, "solved");
    const token = surveyLinks((await sentEmail(requester, "csat_survey")).text)[0]?.token as string;

    const unknown = await surveyPage("/csat/not-a-real-token-but-long-enough");
    expect(unknown.status).toBe(404);
    expect(text(await unknown.text())).toContain("This link can't be used");
    const short = await surveyPage("/csat/x");
    expect(short.status).toBe(404);
    const unknownPost = await answer("not-a-real-token-but-long-enough", { rating: "5" });
    expect(unknownPost.status).toBe(404);

    // Another organization's member cannot see this survey's answer, and their data is apart.
    const other = await signUp("csat-other");
    expect((await call(`/tickets/${ticket.id}`, { token: other.accessToken })).status).toBe(404);
    expect(await answer(token, { rating: "5" }).then((r) => r.status)).toBe(200);
    const otherReport = await call<{ total: { sent: number } }>(
      `/reports/csat?from=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}&to=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`,
      { token: other.accessToken },
    );
    expect(otherReport.body.data.total.sent).toBe(0);

    const db = workerDatabase();
    try {
      // Under the other organization's scope the survey row is invisible (RLS).
      const seen = await db.transaction({ orgId: other.orgId, userId: null }, (tx) =>
        tx.select().from(csatSurveys).where(eq(csatSurveys.ticketId, ticket.id)),
      );
      expect(seen).toEqual([]);
      await db.transaction({ orgId: owner.orgId, userId: null }, (tx) =>
        tx
          .update(csatSurveys)
          .set({ expiresAt: sql`now() - interval '1 minute'` })
          .where(eq(csatSurveys.ticketId, ticket.id)),
      );
    } finally {
      await db.close();
    }
    const expired = await surveyPage(`/csat/${token}?rating=3`);
    expect(expired.status).toBe(410);
    expect(text(await expired.text())).toContain("This survey has closed");
    const late = await answer(token, { rating: "1" });
    expect(late.status).toBe(410);
    expect((await getTicket(owner, ticket.id)).csat?.rating).toBe(5);
  });
});
