import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { searchQuerySchema } from "../../worker/search/schemas";
import { search } from "../../worker/search/service";
import { groupHits, recordPath } from "../components/command-palette";
import { PageBody, PageHeader } from "../components/page";
import { RouteError } from "../components/route-error";
import { Button, cx, focusRing, Section, TextField } from "../components/ui";
import { requireUser, runAsUser } from "../lib/session.server";

/*
 * Search across contacts, companies, leads and deals, rendered on the server: what the
 * command palette shows, for browsers without JavaScript and for "All results".
 */

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.q ? `“${data.q}” · Search · Switchboard` : "Search · Switchboard" },
];

const RESULT_LIMIT = 50;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireUser(request, context);
  const q = new URL(request.url).searchParams.get("q")?.trim() ?? "";
  const parsed = searchQuerySchema.safeParse({ q, limit: RESULT_LIMIT });
  const hits = parsed.success
    ? await runAsUser(context, session, (scope) => search(scope, parsed.data.q, parsed.data.limit))
    : [];
  return json({ q, hits }, { headers: session.headers });
}

export default function SearchPage() {
  const { q, hits } = useLoaderData<typeof loader>();
  const groups = groupHits(hits);
  return (
    <>
      <PageHeader
        title="Search"
        description="Contacts, companies, leads and deals. Typos and phone numbers work too."
      />
      <PageBody>
        <Form method="get" role="search" className="flex items-end gap-3">
          <TextField
            label="Search for"
            name="q"
            type="search"
            defaultValue={q}
            key={q}
            placeholder="A name, company, email or phone number"
            className="flex-1"
          />
          <Button>Search</Button>
        </Form>
        {q && groups.length === 0 ? (
          <p className="text-sm text-slate-600">Nothing matches “{q}”.</p>
        ) : null}
        {groups.map((group) => (
          <Section key={group.entity} id={`results-${group.entity}`} title={group.label}>
            <ul className="divide-y divide-slate-100">
              {group.hits.map((hit) => (
                <li key={hit.id}>
                  <Link
                    to={recordPath(hit)}
                    className={cx(
                      "flex items-center justify-between gap-3 px-5 py-3 hover:bg-slate-50",
                      focusRing,
                    )}
                  >
                    <span className="truncate text-sm font-medium text-slate-900">{hit.title}</span>
                    {hit.subtitle ? (
                      <span className="truncate text-sm text-slate-600">{hit.subtitle}</span>
                    ) : null}
                  </Link>
                </li>
              ))}
            </ul>
          </Section>
        ))}
      </PageBody>
    </>
  );
}

export function ErrorBoundary() {
  return <RouteError />;
}
