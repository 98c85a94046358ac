import type { MetaFunction } from "@remix-run/cloudflare";
import { Form, useLoaderData } from "@remix-run/react";
import {
  NOTIFICATION_CHANNELS,
  NOTIFICATION_KIND_LABELS,
  type NotificationChannel,
} from "../../../shared/notifications";
import { PageBody, PageHeader } from "../../components/page";
import { RouteError } from "../../components/route-error";
import { FormOutcome } from "../../components/settings-parts";
import { Button, Section } from "../../components/ui";
import { type FormFailure, failureFor } from "../../lib/forms";
import { useActionResult } from "../../lib/use-action-result";
import { useSubmitting } from "../../lib/use-pending";
import type { action, loader } from "./notifications.server";

export { action, loader } from "./notifications.server";

export const meta: MetaFunction = () => [{ title: "Notifications · Settings · Switchboard" }];

const CHANNEL_LABELS: Record<NotificationChannel, string> = {
  in_app: "In-app",
  email: "Email digest",
  both: "Both",
  off: "Off",
};

export default function NotificationSettings() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionResult<typeof action>() as
    | { ok: true; message: string }
    | FormFailure
    | undefined;
  const failure = failureFor(actionData, "save");
  const saving = useSubmitting("save");
  return (
    <>
      <PageHeader
        eyebrow="Settings"
        title="Notifications"
        description="Where each kind of notification reaches you: the bell (in-app), an hourly email digest of what you have not read, both, or nowhere. These settings are yours alone."
      />
      <PageBody>
        <FormOutcome
          failure={failure}
          success={actionData?.ok ? actionData : undefined}
          failureTitle="The settings were not saved"
        />
        <Section id="notification-preferences" title="What reaches you, and where">
          <Form method="post">
            <input type="hidden" name="intent" value="save" />
            <div className="overflow-x-auto">
              <table className="min-w-full text-left text-sm">
                <caption className="sr-only">Notification settings by kind</caption>
                <thead className="border-b border-slate-200 text-xs text-slate-600">
                  <tr>
                    <th scope="col" className="py-2.5 pr-2 pl-5 font-medium max-sm:pl-4">
                      Kind
                    </th>
                    {NOTIFICATION_CHANNELS.map((channel) => (
                      <th
                        key={channel}
                        scope="col"
                        className="px-2 py-2.5 text-center font-medium last:pr-5 max-sm:px-1 max-sm:last:pr-3"
                      >
                        {CHANNEL_LABELS[channel]}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {data.preferences.map(({ kind, channel }) => {
                    const chosen = failure?.values[kind] ?? channel;
                    return (
                      <tr key={kind}>
                        <th
                          scope="row"
                          id={`kind-${kind}`}
                          className="py-3 pr-2 pl-5 font-medium text-slate-800 max-sm:pl-4"
                        >
                          {NOTIFICATION_KIND_LABELS[kind]}
                        </th>
                        {NOTIFICATION_CHANNELS.map((option) => (
                          <td key={option} className="px-2 py-3 text-center last:pr-5 max-sm:px-1">
                            <input
                              type="radio"
                              name={kind}
                              value={option}
                              defaultChecked={chosen === option}
                              aria-label={`${NOTIFICATION_KIND_LABELS[kind]}: ${CHANNEL_LABELS[option]}`}
                              className="size-4 accent-indigo-600"
                            />
                          </td>
                        ))}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            <div className="flex items-center justify-end border-t border-slate-200 px-5 py-4">
              <Button type="submit" pending={saving}>
                Save
              </Button>
            </div>
          </Form>
        </Section>
      </PageBody>
    </>
  );
}

export function ErrorBoundary() {
  return <RouteError />;
}
