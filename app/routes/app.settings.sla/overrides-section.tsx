import { Form } from "@remix-run/react";
import { slaPolicyKey, TICKET_TYPES } from "../../../shared/desk";
import type { SlaPolicyView } from "../../../worker/sla/schemas";
import { Badge, Button, Section, SelectField } from "../../components/ui";
import { type FormFailure, failureFor } from "../../lib/forms";
import { useSubmitting } from "../../lib/use-pending";
import { slaPolicyLabel, TYPE_LABELS } from "../app.tickets/ticket-format";
import { PolicyInputs, PRIORITY_OPTIONS, targetsSummary } from "./policy-fields";
import type { LoaderData } from "./route";
import type { ActionSuccess } from "./sla.server";

/*
 * The overrides: policies for one team's tickets, one ticket type's, or both. A ticket takes
 * the most specific that matches (team and type, team, type), else its priority's above.
 */

type ActionData = ActionSuccess | FormFailure | undefined;

export function OverridesSection({
  data,
  actionData,
  readOnly,
}: {
  data: LoaderData;
  actionData: ActionData;
  readOnly: boolean;
}) {
  const overrides = data.policies.filter((p) => p.teamId !== null || p.ticketType !== null);
  const teamName = (teamId: string | null) =>
    teamId === null ? null : (data.teams.find((team) => team.id === teamId)?.name ?? "Unknown");
  const editFailure = failureFor(actionData, "save-override");
  const added = actionData?.ok && actionData.intent === "add-override";
  return (
    <Section
      id="overrides"
      title="Overrides for a team or a ticket type"
      description="The most specific match wins: team and type, then team, then type, then the priority's targets above."
    >
      {overrides.length === 0 ? (
        <p className="px-5 py-4 text-sm text-slate-600">
          No overrides: every ticket follows its priority's targets.
        </p>
      ) : (
        <ul className="divide-y divide-slate-100" data-testid="sla-overrides">
          {overrides.map((policy) => {
            const key = slaPolicyKey(policy);
            return (
              <OverrideRow
                key={`${key}:${targetsSummary(policy)}:${policy.businessHours}`}
                policyKey={key}
                policy={policy}
                label={slaPolicyLabel({ ...policy, teamName: teamName(policy.teamId) })}
                failure={editFailure?.values.key === key ? editFailure : undefined}
                readOnly={readOnly}
              />
            );
          })}
        </ul>
      )}
      {readOnly ? null : (
        <NewOverride
          key={added ? `added-${overrides.length}` : "new-override"}
          teams={data.teams}
          failure={failureFor(actionData, "add-override")}
        />
      )}
    </Section>
  );
}

function OverrideRow({
  policyKey,
  policy,
  label,
  failure,
  readOnly,
}: {
  policyKey: string;
  policy: SlaPolicyView;
  label: string;
  failure: FormFailure | undefined;
  readOnly: boolean;
}) {
  const saving = useSubmitting("save-override", { name: "key", value: policyKey });
  const removing = useSubmitting("remove-override", { name: "key", value: policyKey });
  return (
    <li className="px-5 py-4">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <p className="text-sm font-medium text-slate-900">{label}</p>
        <Badge>{policy.businessHours ? "Business hours" : "Around the clock"}</Badge>
      </div>
      <p className="mt-1 text-sm text-slate-600">{targetsSummary(policy)}</p>
      {readOnly ? null : (
        <div className="mt-2 flex flex-wrap items-start gap-x-4 gap-y-2">
          <details className="min-w-0 flex-1" open={Boolean(failure) || undefined}>
            <summary className="cursor-pointer text-xs font-medium text-indigo-700">
              Edit<span className="sr-only"> the override {label}</span>
            </summary>
            <Form method="post" className="mt-3" noValidate preventScrollReset>
              <input type="hidden" name="intent" value="save-override" />
              <input type="hidden" name="key" value={policyKey} />
              <div className="grid grid-cols-3 items-start gap-3 sm:grid-cols-[repeat(3,minmax(0,9rem))_auto]">
                <PolicyInputs prefix="edit" policy={policy} failure={failure} readOnly={false} />
              </div>
              <Button size="sm" className="mt-3" pending={saving}>
                Save override
              </Button>
            </Form>
          </details>
          <Form method="post" preventScrollReset>
            <input type="hidden" name="intent" value="remove-override" />
            <input type="hidden" name="key" value={policyKey} />
            <Button size="sm" variant="ghost" pending={removing}>
              Remove<span className="sr-only"> the override {label}</span>
            </Button>
          </Form>
        </div>
      )}
    </li>
  );
}

function NewOverride({
  teams,
  failure,
}: {
  teams: { id: string; name: string }[];
  failure: FormFailure | undefined;
}) {
  const adding = useSubmitting("add-override");
  const value = (name: string) => failure?.values[`new.${name}`];
  const errors = (name: string) => failure?.fieldErrors[`new.${name}`];
  return (
    <Form
      method="post"
      className="space-y-3 border-t border-slate-200 bg-slate-50/60 px-5 py-4"
      noValidate
      preventScrollReset
    >
      <input type="hidden" name="intent" value="add-override" />
      <h3 className="text-sm font-semibold text-slate-900">Add an override</h3>
      <div className="grid gap-3 sm:grid-cols-3">
        <SelectField
          label="Team"
          name="new.teamId"
          size="sm"
          options={[
            { value: "", label: "Any team" },
            ...teams.map((team) => ({ value: team.id, label: team.name })),
          ]}
          defaultValue={value("teamId") ?? ""}
          errors={errors("teamId")}
        />
        <SelectField
          label="Ticket type"
          name="new.ticketType"
          size="sm"
          options={[
            { value: "", label: "Any type" },
            ...TICKET_TYPES.map((type) => ({ value: type, label: TYPE_LABELS[type] })),
          ]}
          defaultValue={value("ticketType") ?? ""}
          errors={errors("ticketType")}
        />
        <SelectField
          label="Priority"
          name="new.priority"
          size="sm"
          options={PRIORITY_OPTIONS}
          defaultValue={value("priority") ?? "urgent"}
          errors={errors("priority")}
        />
      </div>
      <div className="grid grid-cols-3 items-start gap-3 sm:grid-cols-[repeat(3,minmax(0,9rem))_auto]">
        <PolicyInputs prefix="new" policy={undefined} failure={failure} readOnly={false} />
      </div>
      {teams.length === 0 ? (
        <p className="text-xs text-slate-600">
          No teams yet: create them under Settings → Teams to give one its own targets.
        </p>
      ) : null}
      <Button size="sm" pending={adding}>
        Add override
      </Button>
    </Form>
  );
}
