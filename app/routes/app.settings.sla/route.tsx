import type { MetaFunction } from "@remix-run/cloudflare";
import { Form, useLoaderData } from "@remix-run/react";
import { slaPolicyKey, TICKET_PRIORITIES } from "../../../shared/desk";
import { PageBody, PageHeader } from "../../components/page";
import { RouteError } from "../../components/route-error";
import { Alert, Button, Section } from "../../components/ui";
import { type FormFailure, failureForAny } from "../../lib/forms";
import { useActionResult } from "../../lib/use-action-result";
import { useSubmitting } from "../../lib/use-pending";
import { PRIORITY_LABELS } from "../app.tickets/ticket-format";
import { CalendarSection } from "./calendar-section";
import { OverridesSection } from "./overrides-section";
import { PolicyInputs } from "./policy-fields";
import type { ActionSuccess, action, loader } from "./sla.server";

export { action, loader } from "./sla.server";

export const meta: MetaFunction = () => [{ title: "SLA · Settings · Switchboard" }];

export type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
type ActionData = ActionSuccess | FormFailure | undefined;

const hasFieldErrors = (failure: FormFailure) => Object.keys(failure.fieldErrors).length > 0;

export default function SlaSettings() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionResult<typeof action>() as ActionData;
  const failure = actionData && !actionData.ok ? actionData : undefined;
  const readOnly = !data.canManage;
  return (
    <>
      <PageHeader
        eyebrow="Settings"
        title="SLA"
        description="How fast the desk answers and solves tickets: targets per priority, overrides for a team or a ticket type, and the business hours they count in."
      />
      <PageBody>
        {readOnly ? (
          <Alert tone="info" focusOnMount={false}>
            Only owners and admins can change SLA policies and business hours. Here is what applies.
          </Alert>
        ) : null}
        {actionData?.ok ? <Alert tone="success">{actionData.message}</Alert> : null}
        {failure ? (
          <Alert title="That change was not saved">
            {hasFieldErrors(failure) ? "Check the highlighted fields." : failure.message}
          </Alert>
        ) : null}
        <OrgWideSection
          data={data}
          failure={failureForAny(actionData, ["save-policies"])}
          readOnly={readOnly}
          // Refilled from the saved policies when they change (a failed post keeps what was typed).
          key={JSON.stringify(data.policies)}
        />
        <OverridesSection data={data} actionData={actionData} readOnly={readOnly} />
        <CalendarSection data={data} actionData={actionData} readOnly={readOnly} />
      </PageBody>
    </>
  );
}

function OrgWideSection({
  data,
  failure,
  readOnly,
}: {
  data: LoaderData;
  failure: FormFailure | undefined;
  readOnly: boolean;
}) {
  const saving = useSubmitting("save-policies");
  const byKey = new Map(data.policies.map((policy) => [slaPolicyKey(policy), policy]));
  return (
    <Section
      id="policies"
      title="Targets per priority"
      description={
        readOnly
          ? "For every ticket of the priority, unless an override below is more specific. Empty: no target."
          : "For every ticket of the priority, unless an override below is more specific. Type hours and minutes (4h, 1h 30m, 45m); leave a target empty for none, or the whole row for no SLA."
      }
    >
      <Form method="post" className="px-5 py-4" noValidate preventScrollReset>
        <input type="hidden" name="intent" value="save-policies" />
        <div
          aria-hidden="true"
          className="hidden gap-3 pb-2 text-xs font-medium text-slate-600 sm:grid sm:grid-cols-[6rem_repeat(3,minmax(0,1fr))_8rem]"
        >
          <span>Priority</span>
          <span>First response</span>
          <span>Next response</span>
          <span>Resolution</span>
          <span>Counted in</span>
        </div>
        <div className="divide-y divide-slate-100">
          {[...TICKET_PRIORITIES].reverse().map((priority) => (
            <fieldset
              key={priority}
              data-testid={`policy-${priority}`}
              className="grid grid-cols-3 items-start gap-3 py-3 sm:grid-cols-[6rem_repeat(3,minmax(0,1fr))_8rem] sm:items-center"
            >
              <legend className="sr-only">{PRIORITY_LABELS[priority]}</legend>
              <span
                aria-hidden="true"
                className="col-span-3 text-sm font-medium text-slate-900 sm:col-span-1"
              >
                {PRIORITY_LABELS[priority]}
              </span>
              <PolicyInputs
                prefix={priority}
                policy={byKey.get(slaPolicyKey({ priority }))}
                failure={failure}
                readOnly={readOnly}
                compactLabels
              />
            </fieldset>
          ))}
        </div>
        {readOnly ? null : (
          <div className="pt-3">
            <Button pending={saving}>Save targets</Button>
          </div>
        )}
      </Form>
    </Section>
  );
}

export function ErrorBoundary() {
  return <RouteError />;
}
