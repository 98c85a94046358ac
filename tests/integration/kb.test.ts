import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { RATE_LIMITS } from "../../worker/rate-limit/limits";
import { addMember, call, expectErrorEnvelope, type Session, signUp } from "./helpers";
import { APP, page, post, textOf } from "./page-helpers";

/*
 * The knowledge base: categories and articles through the API with the roles' rights (agents
 * write drafts, managers publish, viewers read), audit entries, Markdown rendered safely,
 * typo-tolerant search, the public help page (published articles only, proper 404s) and
 * another organization's articles never visible.
 */

const LIST_DATA = "routes%2Fapp.kb";
const EDITOR_DATA = "routes%2Fapp.kb_.%24id";

interface Category {
  id: string;
  name: string;
  slug: string;
  position: number;
  articleCount: number;
}

interface Article {
  id: string;
  title: string;
  slug: string;
  body: string;
  status: "draft" | "published";
  categoryId: string | null;
  categoryName: string | null;
  authorId: string | null;
  authorName: string | null;
  publishedAt: string | null;
  helpPath: string;
  version: number;
  html?: string;
}

async function createArticle(session: Session, body: Record<string, unknown>) {
  const response = await call<Article>("/kb/articles", {
    method: "POST",
    token: session.accessToken,
    body,
  });
  expect(response.status).toBe(201);
  return response.body.data;
}

async function publish(session: Session, id: string) {
  const response = await call<Article>(`/kb/articles/${id}`, {
    method: "PATCH",
    token: session.accessToken,
    body: { status: "published" },
  });
  expect(response.status).toBe(200);
  return response.body.data;
}

async function helpPage(path: string) {
  const response = await SELF.fetch(`${APP}${path}`);
  const html = (await response.text()).replaceAll("<!-- -->", "");
  return { status: response.status, html };
}

function orgSlugOf(article: Article): string {
  return article.helpPath.split("/")[2] ?? "";
}

describe("knowledge base API", () => {
  let owner: Session;
  let manager: Session;
  let agent: Session;
  let viewer: Session;

  beforeAll(async () => {
    owner = await signUp("kb-owner");
    [manager, agent, viewer] = await Promise.all([
      addMember(owner, "manager"),
      addMember(owner, "agent"),
      addMember(owner, "viewer"),
    ]);
  });

  it("keeps categories in order; managers arrange them, agents and viewers cannot", async () => {
    const first = await call<Category>("/kb/categories", {
      method: "POST",
      token: manager.accessToken,
      body: { name: "Getting started" },
    });
    expect(first.status).toBe(201);
    expect(first.body.data).toMatchObject({ name: "Getting started", slug: "getting-started" });
    const second = await call<Category>("/kb/categories", {
      method: "POST",
      token: owner.accessToken,
      body: { name: "Billing & invoices" },
    });
    expect(second.body.data.slug).toBe("billing-invoices");
    expect(second.body.data.position).toBeGreaterThan(first.body.data.position);

    expectErrorEnvelope(
      await call("/kb/categories", {
        method: "POST",
        token: agent.accessToken,
        body: { name: "Agents' corner" },
      }),
      403,
      "forbidden",
    );
    expectErrorEnvelope(
      await call("/kb/categories", {
        method: "POST",
        token: owner.accessToken,
        body: { name: "Clash", slug: "getting-started" },
      }),
      422,
    );
    expectErrorEnvelope(
      await call("/kb/categories", {
        method: "POST",
        token: owner.accessToken,
        body: { name: "" },
      }),
      422,
    );

    const moved = await call<Category>(`/kb/categories/${second.body.data.id}`, {
      method: "PATCH",
      token: manager.accessToken,
      body: { position: 0, name: "Billing" },
    });
    expect(moved.status).toBe(200);
    const list = await call<Category[]>("/kb/categories", { token: viewer.accessToken });
    expect(list.status).toBe(200);
    expect(list.body.data.map((c) => c.name)).toEqual(["Billing", "Getting started"]);

    const deleted = await call(`/kb/categories/${second.body.data.id}`, {
      method: "DELETE",
      token: owner.accessToken,
    });
    expect(deleted.status).toBe(200);
    const after = await call<Category[]>("/kb/categories", { token: viewer.accessToken });
    expect(after.body.data.map((c) => c.name)).toEqual(["Getting started"]);
  });

  it("lets agents write and edit drafts, managers publish, unpublish and delete; audits them", async () => {
    const [category] = (await call<Category[]>("/kb/categories", { token: owner.accessToken })).body
      .data;
    const draft = await createArticle(agent, {
      title: "Resetting your password",
      body: "Open **Settings** and choose *Reset*.",
      categoryId: category?.id,
    });
    expect(draft).toMatchObject({
      status: "draft",
      slug: "resetting-your-password",
      categoryName: "Getting started",
      authorId: agent.userId,
      authorName: "agent person",
      publishedAt: null,
    });
    expect(draft.helpPath).toMatch(/^\/help\/[a-z0-9-]+\/resetting-your-password$/);

    // Same title: the next free slug.
    const twin = await createArticle(agent, { title: "Resetting your password" });
    expect(twin.slug).toBe("resetting-your-password-2");

    const edited = await call<Article>(`/kb/articles/${draft.id}`, {
      method: "PATCH",
      token: agent.accessToken,
      body: { body: "Open **Settings**, then *Reset password*.", version: draft.version },
    });
    expect(edited.status).toBe(200);
    expect(edited.body.data.version).toBe(draft.version + 1);
    expectErrorEnvelope(
      await call(`/kb/articles/${draft.id}`, {
        method: "PATCH",
        token: agent.accessToken,
        body: { title: "Stale", version: draft.version },
      }),
      409,
    );

    // Agents cannot publish, nor create published articles; viewers cannot write.
    expectErrorEnvelope(
      await call(`/kb/articles/${draft.id}`, {
        method: "PATCH",
        token: agent.accessToken,
        body: { status: "published" },
      }),
      403,
    );
    expectErrorEnvelope(
      await call("/kb/articles", {
        method: "POST",
        token: agent.accessToken,
        body: { title: "Straight out", status: "published" },
      }),
      403,
    );
    expectErrorEnvelope(
      await call("/kb/articles", {
        method: "POST",
        token: viewer.accessToken,
        body: { title: "Viewer's view" },
      }),
      403,
    );

    const published = await publish(manager, draft.id);
    expect(published.status).toBe("published");
    expect(published.publishedAt).not.toBeNull();
    // A published article changes only through a manager.
    expectErrorEnvelope(
      await call(`/kb/articles/${draft.id}`, {
        method: "PATCH",
        token: agent.accessToken,
        body: { title: "Agent's late edit" },
      }),
      403,
    );

    const read = await call<Article>(`/kb/articles/${draft.id}`, { token: viewer.accessToken });
    expect(read.status).toBe(200);
    expect(read.body.data.html).toContain("<strong>Settings</strong>");

    const unpublished = await call<Article>(`/kb/articles/${draft.id}`, {
      method: "PATCH",
      token: owner.accessToken,
      body: { status: "draft" },
    });
    expect(unpublished.body.data).toMatchObject({ status: "draft", publishedAt: null });

    expectErrorEnvelope(
      await call(`/kb/articles/${twin.id}`, { method: "DELETE", token: agent.accessToken }),
      403,
    );
    const deleted = await call(`/kb/articles/${twin.id}`, {
      method: "DELETE",
      token: manager.accessToken,
    });
    expect(deleted.status).toBe(200);
    expectErrorEnvelope(await call(`/kb/articles/${twin.id}`, { token: owner.accessToken }), 404);

    const audit = await call<Array<{ action: string; targetId: string | null }>>(
      "/audit-logs?limit=50",
      { token: owner.accessToken },
    );
    const actions = audit.body.data
      .filter((entry) => entry.targetId === draft.id || entry.targetId === twin.id)
      .map((entry) => entry.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        "kb.article_published",
        "kb.article_unpublished",
        "kb.article_deleted",
      ]),
    );
  });

  it("lists with filters and pages, and refuses bad input with a 4xx", async () => {
    const session = await signUp("kb-list");
    for (const title of ["One", "Two", "Three"]) await createArticle(session, { title });
    const firstPage = await call<Article[]>("/kb/articles?limit=2", {
      token: session.accessToken,
    });
    expect(firstPage.body.data).toHaveLength(2);
    const cursor = firstPage.body.meta?.pagination?.nextCursor;
    expect(cursor).toBeTruthy();
    const secondPage = await call<Article[]>(
      `/kb/articles?limit=2&cursor=${encodeURIComponent(cursor ?? "")}`,
      { token: session.accessToken },
    );
    expect(secondPage.body.data).toHaveLength(1);
    const published = await call<Article[]>("/kb/articles?status=published", {
      token: session.accessToken,
    });
    expect(published.body.data).toEqual([]);
    const uncategorized = await call<Article[]>("/kb/articles?categoryId=none", {
      token: session.accessToken,
    });
    expect(uncategorized.body.data).toHaveLength(3);

    expectErrorEnvelope(
      await call("/kb/articles?status=archived", { token: session.accessToken }),
      422,
    );
    expectErrorEnvelope(
      await call("/kb/articles", {
        method: "POST",
        token: session.accessToken,
        body: { title: "Bad slug", slug: "Not A Slug!" },
      }),
      422,
    );
    expectErrorEnvelope(
      await call("/kb/articles", {
        method: "POST",
        token: session.accessToken,
        body: { title: "Elsewhere", categoryId: crypto.randomUUID() },
      }),
      422,
    );
    expectErrorEnvelope(
      await call(`/kb/articles/${crypto.randomUUID()}`, { token: session.accessToken }),
      404,
    );
  });

  it("renders Markdown without letting scripts, event handlers or unsafe links through", async () => {
    const session = await signUp("kb-xss");
    const vectors = [
      "<script>alert(1)</script>",
      '<img src=x onerror="alert(1)">',
      "[click](javascript:alert(1))",
      "[spaced](java\tscript:alert(1))",
      "[upper](JAVASCRIPT:alert(1))",
      "[entity](&#106;avascript:alert(1))",
      "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
      "[vb](vbscript:msgbox(1))",
      "![pixel](javascript:alert(1))",
      "![datapixel](data:image/png;base64,iVBORw0KGgo=)",
      "![relative](/tracker.png)",
      "<javascript:alert(1)>",
      '<a href="https://example.com" onclick="alert(1)">a</a>',
      '[title](https://example.com "x\\" onmouseover=\\"alert(1)")',
      "&lt;script&gt;alert(1)&lt;/script&gt;",
      "[ok](https://example.com/docs) [mail](mailto:help@example.com) [rel](/help/x)",
      "![logo](https://example.com/logo.png)",
    ].join("\n\n");
    const preview = await call<{ html: string }>("/kb/preview", {
      method: "POST",
      token: session.accessToken,
      body: { body: vectors },
    });
    expect(preview.status).toBe(200);
    const { html } = preview.body.data;
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img[^>]*onerror/i);
    // No element carries an event handler (attribute values are quoted and escaped).
    const tags = [...html.matchAll(/<[a-z][a-z0-9]*((?:\s+[a-z-]+="[^"]*")*)\s*\/?>/gi)];
    // Every opening tag is of that well-formed shape (none slipped past the pattern).
    expect(tags).toHaveLength(html.match(/<[a-z]/gi)?.length ?? 0);
    const attributes = tags.flatMap((tag) =>
      [...(tag[1] ?? "").matchAll(/\s([a-z-]+)="/gi)].map((a) => a[1]),
    );
    expect(attributes.length).toBeGreaterThan(0);
    expect(attributes.filter((name) => /^on/i.test(name ?? ""))).toEqual([]);
    expect(new Set(attributes)).toEqual(new Set(["href", "rel", "title", "src", "alt", "loading"]));
    expect(html).not.toMatch(/href="\s*(javascript|vbscript|data):/i);
    expect(html).not.toMatch(/src="\s*(javascript|data):/i);
    expect(html).not.toContain('src="/tracker.png"');
    expect(html).not.toMatch(/<a[^>]*onclick/i);
    // What is safe stays.
    expect(html).toContain('href="https://example.com/docs"');
    expect(html).toContain('href="mailto:help@example.com"');
    expect(html).toContain('href="/help/x"');
    expect(html).toContain('<img src="https://example.com/logo.png" alt="logo"');
    // Raw HTML is shown as text, escaped.
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");

    // The article's own rendering is the same.
    const article = await createArticle(session, { title: "Vectors", body: vectors });
    const read = await call<Article>(`/kb/articles/${article.id}`, {
      token: session.accessToken,
    });
    expect(read.body.data.html).toBe(html);
  });

  it("finds articles despite typos, drafts for the team", async () => {
    const session = await signUp("kb-search");
    const reset = await createArticle(session, {
      title: "Password reset",
      body: "How to choose a new password when you forgot the old one.",
    });
    await createArticle(session, { title: "Exporting invoices", body: "Download a CSV." });
    const draft = await createArticle(session, {
      title: "Refund policy",
      body: "Refunds within thirty days.",
    });
    await publish(session, reset.id);

    const typo = await call<Article[]>(`/kb/articles?q=${encodeURIComponent("pasword reset")}`, {
      token: session.accessToken,
    });
    expect(typo.status).toBe(200);
    expect(typo.body.data[0]?.title).toBe("Password reset");
    expect(typo.body.data.map((a) => a.title)).not.toContain("Exporting invoices");

    const inBody = await call<Article[]>("/kb/articles?q=csv", { token: session.accessToken });
    expect(inBody.body.data.map((a) => a.title)).toEqual(["Exporting invoices"]);

    const drafts = await call<Article[]>("/kb/articles?q=refnd%20policy", {
      token: session.accessToken,
    });
    expect(drafts.body.data.map((a) => a.id)).toEqual([draft.id]);
    const publishedOnly = await call<Article[]>("/kb/articles?q=refund&status=published", {
      token: session.accessToken,
    });
    expect(publishedOnly.body.data).toEqual([]);
  });
});

describe("public help page", () => {
  let owner: Session;
  let published: Article;
  let draft: Article;

  beforeAll(async () => {
    owner = await signUp("kb-help");
    const category = await call<Category>("/kb/categories", {
      method: "POST",
      token: owner.accessToken,
      body: { name: "Accounts" },
    });
    published = await createArticle(owner, {
      title: "Password reset",
      body: "Choose **Forgot password** on the sign-in page.\n\n<script>alert('x')</script>",
      categoryId: category.body.data.id,
      status: "published",
    });
    draft = await createArticle(owner, { title: "Secret roadmap", body: "Not yet." });
  });

  it("shows the organization's categories with their published articles, without signing in", async () => {
    const { status, html } = await helpPage(`/help/${orgSlugOf(published)}`);
    expect(status).toBe(200);
    expect(html).toContain("kb-help org");
    expect(html).toContain("Accounts");
    expect(html).toContain("Password reset");
    expect(html).not.toContain("Secret roadmap");
    expect(html).toContain(`href="/help/${orgSlugOf(published)}/request"`);
  });

  it("renders a published article safely; a draft, an unknown article or organization is a 404 page", async () => {
    const article = await helpPage(published.helpPath);
    expect(article.status).toBe(200);
    expect(article.html).toContain("<strong>Forgot password</strong>");
    expect(article.html).not.toContain("<script>alert('x')</script>");
    expect(article.html).toContain("&lt;script&gt;");

    const hidden = await helpPage(draft.helpPath);
    expect(hidden.status).toBe(404);
    expect(hidden.html).toContain("not found");
    expect(hidden.html).not.toContain("Not yet.");

    const unknownArticle = await helpPage(`/help/${orgSlugOf(published)}/no-such-article`);
    expect(unknownArticle.status).toBe(404);
    const unknownOrg = await helpPage("/help/no-such-organization-here");
    expect(unknownOrg.status).toBe(404);
    const unknownOrgArticle = await helpPage("/help/no-such-organization-here/password-reset");
    expect(unknownOrgArticle.status).toBe(404);
  });

  it("searches published articles only, with typos", async () => {
    const slug = orgSlugOf(published);
    const found = await helpPage(`/help/${slug}?q=${encodeURIComponent("pasword")}`);
    expect(found.status).toBe(200);
    expect(found.html).toContain(`href="${published.helpPath}"`);
    const secret = await helpPage(`/help/${slug}?q=${encodeURIComponent("secret roadmap")}`);
    expect(secret.html).not.toContain("Secret roadmap");
    expect(secret.html).toContain("No articles match");
  });

  it("limits anonymous searches per address (429 with Retry-After), while browsing stays open", async () => {
    const slug = orgSlugOf(published);
    const from = (ip: string, query: string) =>
      SELF.fetch(`${APP}/help/${slug}${query}`, { headers: { "cf-connecting-ip": ip } });
    const ip = `192.0.2.${Math.floor(Math.random() * 250)}`;
    for (let i = 0; i < RATE_LIMITS.helpSearchesByAddress.capacity; i += 1) {
      const response = await from(ip, `?q=password${i}`);
      expect(response.status).toBe(200);
      await response.body?.cancel();
    }
    const limited = await from(ip, "?q=password");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    const html = (await limited.text()).replaceAll("<!-- -->", "");
    expect(html).toContain("Too many searches");
    expect(html).not.toContain("Results for");
    // The articles are still there to browse, and another address searches as before.
    const browsing = await from(ip, "");
    expect(browsing.status).toBe(200);
    expect(await browsing.text()).toContain("Password reset");
    expect((await from("198.51.100.7", "?q=password")).status).toBe(200);
  });

  it("never shows another organization's articles, by id, by address or in search", async () => {
    const other = await signUp("kb-other");
    const theirs = await createArticle(other, {
      title: "Other org's password reset",
      body: "Theirs.",
      status: "published",
    });
    // By id through the API.
    expectErrorEnvelope(await call(`/kb/articles/${theirs.id}`, { token: owner.accessToken }), 404);
    expectErrorEnvelope(
      await call(`/kb/articles/${theirs.id}`, {
        method: "PATCH",
        token: owner.accessToken,
        body: { title: "Taken over" },
      }),
      404,
    );
    expectErrorEnvelope(
      await call(`/kb/articles/${theirs.id}`, { method: "DELETE", token: owner.accessToken }),
      404,
    );
    // In lists and search.
    const mine = await call<Article[]>("/kb/articles?q=password", { token: owner.accessToken });
    expect(mine.body.data.map((a) => a.id)).not.toContain(theirs.id);
    const all = await call<Article[]>("/kb/articles", { token: owner.accessToken });
    expect(all.body.data.map((a) => a.id)).not.toContain(theirs.id);
    // On the help page: their article under my organization's address is not found,
    // and my help page's search does not list it.
    const crossed = await helpPage(`/help/${orgSlugOf(published)}/${theirs.slug}`);
    expect(crossed.status).toBe(404);
    const search = await helpPage(`/help/${orgSlugOf(published)}?q=password`);
    expect(search.html).not.toContain("Other org");
    // Their own page shows it.
    const theirPage = await helpPage(theirs.helpPath);
    expect(theirPage.status).toBe(200);
    expect(theirPage.html).toContain("Theirs.");
  });
});

describe("knowledge base pages", () => {
  let owner: Session;
  let agent: Session;
  let viewer: Session;
  let category: Category;

  beforeAll(async () => {
    owner = await signUp("kb-pages");
    [agent, viewer] = await Promise.all([addMember(owner, "agent"), addMember(owner, "viewer")]);
    category = (
      await call<Category>("/kb/categories", {
        method: "POST",
        token: owner.accessToken,
        body: { name: "Billing" },
      })
    ).body.data;
    await createArticle(owner, {
      title: "Refunds explained",
      body: "Refunds take **5 days**.",
      categoryId: category.id,
      status: "published",
    });
    await createArticle(agent, { title: "Draft about invoices" });
  });

  it("lists articles with category, status and author, filters and searches them", async () => {
    const response = await page("/app/kb", viewer.accessToken);
    expect(response.status).toBe(200);
    const html = await textOf(response);
    expect(html).toContain("Knowledge base");
    expect(html).toContain("Refunds explained");
    expect(html).toContain("Draft about invoices");
    expect(html).toContain("Published");
    expect(html).toContain("agent person");
    expect(html).toMatch(/href="\/help\/[a-z0-9-]+"/);
    // A viewer reads but gets no "New article" and no category management.
    expect(html).not.toContain("New article");
    expect(html).not.toContain("New category");

    const published = await page(`/app/kb?status=published&_data=${LIST_DATA}`, agent.accessToken);
    const data = (await published.json()) as { articles: Article[]; canWrite: boolean };
    expect(data.articles.map((a) => a.title)).toEqual(["Refunds explained"]);
    expect(data.canWrite).toBe(true);
    const searched = await page(`/app/kb?q=refnds&_data=${LIST_DATA}`, agent.accessToken);
    expect(((await searched.json()) as { articles: Article[] }).articles[0]?.title).toBe(
      "Refunds explained",
    );
    const bad = await page(`/app/kb?status=nonsense&_data=${LIST_DATA}`, agent.accessToken);
    expect(((await bad.json()) as { invalidFilters: boolean }).invalidFilters).toBe(true);
  });

  it("manages categories inline for managers and up only", async () => {
    const added = await post(`/app/kb?_data=${LIST_DATA}`, owner.accessToken, {
      intent: "createCategory",
      name: "Shipping",
    });
    expect(added.status).toBe(200);
    expect(((await added.json()) as { message: string }).message).toContain("Shipping");
    const empty = await post(`/app/kb?_data=${LIST_DATA}`, owner.accessToken, {
      intent: "createCategory",
      name: " ",
    });
    expect(empty.status).toBe(422);
    const refused = await post(`/app/kb?_data=${LIST_DATA}`, agent.accessToken, {
      intent: "createCategory",
      name: "Agent's own",
    });
    expect(refused.status).toBe(403);
    const categories = await call<Category[]>("/kb/categories", { token: owner.accessToken });
    expect(categories.body.data.map((c) => [c.name, c.articleCount])).toEqual([
      ["Billing", 1],
      ["Shipping", 0],
    ]);
    const html = await textOf(await page("/app/kb", owner.accessToken));
    expect(html).toContain("Shipping");
    expect(html).toContain("New category");
  });

  it("writes a draft in the editor, previews it safely, and leaves publishing to managers", async () => {
    const editor = await page("/app/kb/new", agent.accessToken);
    expect(editor.status).toBe(200);
    const blank = await textOf(editor);
    expect(blank).toContain("New article");
    expect(blank).toContain("Save draft");
    expect(blank).not.toContain(">Publish<");

    const preview = await post(`/app/kb/new?_data=${EDITOR_DATA}`, agent.accessToken, {
      intent: "preview",
      body: "# Hello\n\n<img src=x onerror=alert(1)> [x](javascript:alert(1))",
    });
    expect(preview.status).toBe(200);
    const { html } = (await preview.json()) as { html: string };
    expect(html).toContain("<h1>Hello</h1>");
    expect(html).not.toMatch(/<img|href="javascript/);

    const created = await post("/app/kb/new", agent.accessToken, {
      intent: "save",
      title: "Changing your plan",
      categoryId: category.id,
      body: "Open **Billing**.",
    });
    expect(created.status).toBe(302);
    const location = created.headers.get("location") ?? "";
    expect(location).toMatch(/^\/app\/kb\/[0-9a-f-]{36}$/);

    const saved = await textOf(await page(location, agent.accessToken));
    expect(saved).toContain("Changing your plan");
    expect(saved).toContain("<strong>Billing</strong>");
    expect(saved).toContain("A manager publishes it.");

    const refused = await post(`${location}?_data=${EDITOR_DATA}`, agent.accessToken, {
      intent: "publish",
      title: "Changing your plan",
      body: "Open **Billing**.",
    });
    expect(refused.status).toBe(403);

    const untitled = await post(`${location}?_data=${EDITOR_DATA}`, agent.accessToken, {
      intent: "save",
      title: "",
      body: "x",
    });
    expect(untitled.status).toBe(422);
    expect(
      ((await untitled.json()) as { fieldErrors: Record<string, string[]> }).fieldErrors.title,
    ).toBeTruthy();

    const publish = await post(`${location}?_data=${EDITOR_DATA}`, owner.accessToken, {
      intent: "publish",
      title: "Changing your plan",
      categoryId: category.id,
      body: "Open **Billing**.",
    });
    expect(publish.status).toBe(200);
    const published = await textOf(await page(location, owner.accessToken));
    expect(published).toContain("View on help page");
    expect(published).toContain("Unpublish");
    // Now the agent may read it but no longer change it.
    const forAgent = await textOf(await page(location, agent.accessToken));
    expect(forAgent).toContain("managers and admins change it");

    const deleted = await post(location, owner.accessToken, { intent: "delete" });
    expect(deleted.status).toBe(302);
    expect(deleted.headers.get("location")).toBe("/app/kb");
    expect((await page(location, owner.accessToken)).status).toBe(404);
    expect((await page("/app/kb/not-an-id", owner.accessToken)).status).toBe(404);
  });

  it("lets viewers read an article but not edit it", async () => {
    const list = (await (await page(`/app/kb?_data=${LIST_DATA}`, viewer.accessToken)).json()) as {
      articles: Article[];
    };
    const first = list.articles[0];
    expect(first).toBeTruthy();
    const html = await textOf(await page(`/app/kb/${first?.id}`, viewer.accessToken));
    expect(html).toContain(first?.title ?? "?");
    expect(html).not.toContain("Save draft");
    expect(html).not.toContain("Save changes");
  });
});
