import { json, type LoaderFunctionArgs } from "@remix-run/cloudflare";
import { csatReport } from "../../../worker/csat/report";
import { csatReportQuerySchema } from "../../../worker/csat/schemas";
import { slaReport } from "../../../worker/sla/report";
import { listTeams } from "../../../worker/teams/service";
import { requireUser, runAsUser } from "../../lib/session.server";
import { REPORT_PERIODS, type ReportPeriod } from "./periods";

/*
 * The desk's reports (app/routes/app.tickets_.reports/route.tsx): customer satisfaction from
 * the surveys sent, and SLA compliance of the tickets opened, over the last 7, 30 or 90 days.
 */

function periodOf(url: URL): ReportPeriod {
  const days = Number(url.searchParams.get("days"));
  return REPORT_PERIODS.find((period) => period === days) ?? 30;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireUser(request, context);
  const days = periodOf(new URL(request.url));
  const now = Date.now();
  const range = csatReportQuerySchema.parse({
    from: new Date(now - days * 24 * 60 * 60 * 1000).toISOString(),
    to: new Date(now + 60_000).toISOString(),
  });
  const data = await runAsUser(context, session, async (scope) => ({
    csat: await csatReport(scope, range),
    sla: await slaReport(scope, range),
    teams: (await listTeams(scope)).map((team) => ({ id: team.id, name: team.name })),
  }));
  return json({ days, ...data }, { headers: session.headers });
}
