import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/cloudflare";
import { Link, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { can } from "../../worker/auth/permissions";
import {
  ArrowRightIcon,
  ContactIcon,
  InboxIcon,
  KeyIcon,
  PhoneIcon,
  TeamIcon,
} from "../components/icons";
import { PageBody, PageHeader } from "../components/page";
import { Badge, cx, focusRing } from "../components/ui";
import { ROLE_DESCRIPTIONS, ROLE_LABELS } from "../lib/roles";
import { requireUser } from "../lib/session.server";

export const meta: MetaFunction = () => [{ title: "Dashboard · Switchboard" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { me, headers } = await requireUser(request, context);
  return json(
    {
      firstName: me.user.name.split(/\s+/)[0] ?? me.user.name,
      organization: me.organization.name,
      role: me.role,
      canManageTeam: can(me.role, "invitations:manage"),
      canManageKeys: can(me.role, "api_keys:manage"),
    },
    { headers },
  );
}

export default function Dashboard() {
  const data = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        eyebrow={data.organization}
        title={`Welcome, ${data.firstName}`}
        description="Your team's customers, conversations and calls, in one place."
      />
      <PageBody>
        <section aria-labelledby="start-title">
          <h2 id="start-title" className="text-sm font-semibold text-slate-900">
            Get started
          </h2>
          <ul className="mt-3 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            <ActionCard
              icon={<TeamIcon className="size-5" />}
              title={data.canManageTeam ? "Invite your team" : "Meet your team"}
              to="/app/settings/team"
              cta={data.canManageTeam ? "Invite teammates" : "See members"}
            >
              {data.canManageTeam
                ? "Send invitation links and choose what each teammate can do."
                : "See who is in your organization and what they can do."}
            </ActionCard>
            {data.canManageKeys ? (
              <ActionCard
                icon={<KeyIcon className="size-5" />}
                title="Connect your tools"
                to="/app/settings/team#api-keys"
                cta="Create an API key"
              >
                Create an API key to sync data from your other systems.
              </ActionCard>
            ) : null}
            <li className="rounded-lg bg-white p-5 ring-1 ring-slate-200">
              <p className="text-sm font-medium text-slate-900">Your role</p>
              <p className="mt-2">
                <Badge tone="accent">{ROLE_LABELS[data.role]}</Badge>
              </p>
              <p className="mt-2 text-sm text-slate-600">{ROLE_DESCRIPTIONS[data.role]}</p>
            </li>
          </ul>
        </section>

        <section aria-labelledby="soon-title" className="rounded-lg bg-white ring-1 ring-slate-200">
          <div className="border-b border-slate-200 px-5 py-4">
            <h2 id="soon-title" className="text-base font-semibold text-slate-900">
              Coming soon
            </h2>
            <p className="mt-1 text-sm text-slate-600">
              The rest of the workspace is on its way. These areas light up as they ship.
            </p>
          </div>
          <ul className="grid divide-y divide-slate-200 sm:grid-cols-3 sm:divide-x sm:divide-y-0">
            <SoonCard icon={<ContactIcon className="size-5" />} title="Contacts & companies">
              People and accounts with their full history.
            </SoonCard>
            <SoonCard icon={<InboxIcon className="size-5" />} title="Inbox & tickets">
              Email, chat and WhatsApp in one shared queue.
            </SoonCard>
            <SoonCard icon={<PhoneIcon className="size-5" />} title="Calls">
              Click to call, recordings and call notes.
            </SoonCard>
          </ul>
        </section>
      </PageBody>
    </>
  );
}

function ActionCard({
  icon,
  title,
  to,
  cta,
  children,
}: {
  icon: ReactNode;
  title: string;
  to: string;
  cta: string;
  children: ReactNode;
}) {
  return (
    <li className="flex flex-col rounded-lg bg-white p-5 ring-1 ring-slate-200">
      <span className="flex size-9 items-center justify-center rounded-md bg-indigo-50 text-indigo-700">
        {icon}
      </span>
      <h3 className="mt-3 text-sm font-medium text-slate-900">{title}</h3>
      <p className="mt-1 flex-1 text-sm text-slate-600">{children}</p>
      <Link
        to={to}
        className={cx(
          "mt-4 inline-flex w-fit items-center gap-1 rounded-sm text-sm font-medium text-indigo-700 hover:text-indigo-600",
          focusRing,
        )}
      >
        {cta}
        <ArrowRightIcon className="size-4" />
      </Link>
    </li>
  );
}

function SoonCard({
  icon,
  title,
  children,
}: {
  icon: ReactNode;
  title: string;
  children: ReactNode;
}) {
  return (
    <li className="p-5">
      <span className="text-slate-500">{icon}</span>
      <h3 className="mt-2 text-sm font-medium text-slate-900">{title}</h3>
      <p className="mt-1 text-sm text-slate-600">{children}</p>
    </li>
  );
}
