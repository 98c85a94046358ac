import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import { kbArticles, kbCategories } from "../../worker/db/kb-schema";

type Tx = Parameters<Parameters<NodePgDatabase["transaction"]>[0]>[0];

interface DemoArticle {
  title: string;
  slug: string;
  /** Index into CATEGORIES. */
  category: number;
  published: boolean;
  /** Days ago it was last changed. */
  daysAgo: number;
  body: string;
}

const CATEGORIES = ["Getting started", "Account & billing", "Troubleshooting"];

/*
 * The knowledge base's demo articles: published ones in each category (so /help/demo has
 * something to show and the composers' "Insert article" something to find) and one draft.
 */
const ARTICLES: DemoArticle[] = [
  {
    title: "Password reset",
    slug: "password-reset",
    category: 1,
    published: true,
    daysAgo: 3,
    body: `Forgot your password? You can choose a new one in a minute.

1. Open the sign-in page and choose **Forgot password?**
2. Type the email address you sign in with.
3. Open the email we send you and follow the link within **30 minutes**.

The link works once. Resetting your password signs you out everywhere else.

> Didn't get the email? Check your spam folder, or [submit a request](/help/demo/request).`,
  },
  {
    title: "Setting up your first phone line",
    slug: "setting-up-your-first-phone-line",
    category: 0,
    published: true,
    daysAgo: 10,
    body: `Connect your phone system in three steps:

- Create a bridge token under **Settings → Phone**.
- Run the bridge next to your PBX with that token.
- Give each agent an extension.

Calls then show up live, with the caller's contact record.`,
  },
  {
    title: "Inviting your team",
    slug: "inviting-your-team",
    category: 0,
    published: true,
    daysAgo: 14,
    body: `Owners and admins invite people under **Settings → Team**. Pick a role:

| Role | Can |
| --- | --- |
| Agent | work tickets, conversations and records |
| Manager | all of that, plus publishing help articles and bulk changes |
| Admin | everything but owning the organization |`,
  },
  {
    title: "Understanding your invoice",
    slug: "understanding-your-invoice",
    category: 1,
    published: true,
    daysAgo: 6,
    body: `Invoices are issued on the first day of each month and list every active seat.

Need a copy for your accountant? Download it as a PDF from **Billing**, or write to [billing@example.com](mailto:billing@example.com).`,
  },
  {
    title: "Emails are not arriving",
    slug: "emails-are-not-arriving",
    category: 2,
    published: true,
    daysAgo: 2,
    body: `If replies to your customers do not arrive:

- check the address on the ticket's requester;
- look at the reply's delivery status under the message (a bounce says why);
- ask the customer to look in their spam folder.

Still stuck? Send us the ticket number.`,
  },
  {
    title: "Migrating from another help desk",
    slug: "migrating-from-another-help-desk",
    category: 2,
    published: false,
    daysAgo: 1,
    body: `*Draft:* import contacts from CSV first, then point your support address at Switchboard.

TODO: screenshots of the import mapping.`,
  },
];

/** Demo categories and articles (plain rows: the seed runs as the owner role). */
export async function seedDemoKb(tx: Tx, orgId: string, authorIds: string[]) {
  const categoryIds = CATEGORIES.map(() => crypto.randomUUID());
  await tx.insert(kbCategories).values(
    CATEGORIES.map((name, position) => ({
      id: categoryIds[position] ?? crypto.randomUUID(),
      orgId,
      name,
      slug: name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, ""),
      position,
    })),
  );
  const day = 86_400_000;
  await tx.insert(kbArticles).values(
    ARTICLES.map((article, index) => {
      const at = new Date(Date.now() - article.daysAgo * day);
      return {
        id: crypto.randomUUID(),
        orgId,
        title: article.title,
        slug: article.slug,
        body: article.body,
        categoryId: categoryIds[article.category] ?? null,
        status: article.published ? ("published" as const) : ("draft" as const),
        authorId: authorIds[index % authorIds.length] ?? null,
        publishedAt: article.published ? at : null,
        createdAt: at,
        updatedAt: at,
      };
    }),
  );
}
