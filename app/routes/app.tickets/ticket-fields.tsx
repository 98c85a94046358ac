import { TICKET_PRIORITIES, TICKET_TYPES } from "../../../shared/desk";
import { SelectField } from "../../components/ui";
import type { MemberSummary } from "../../lib/members.server";
import {
  type CustomFieldDefinition,
  customFieldSpecs,
  type FieldSpec,
} from "../../lib/record-fields";
import { PRIORITY_LABELS, TYPE_LABELS } from "./ticket-format";

/*
 * A ticket's priority, type and assignee as form fields: one home for "New ticket" and the
 * ticket page's properties. Assignees are the active members (and whoever has the ticket now).
 */

/**
 * The ticket's custom fields as form specs. A required one is required to solve, not to save
 * (the API says which are missing when the ticket is solved), so the inputs are not required.
 */
export function ticketFieldSpecs(definitions: readonly CustomFieldDefinition[]): FieldSpec[] {
  return customFieldSpecs(definitions).map((spec) =>
    spec.required ? { ...spec, required: false, hint: "Required to solve." } : spec,
  );
}

export function TicketAssignmentFields({
  values,
  errors,
  members,
  me,
  size,
  assigneeClassName,
}: {
  values: { priority?: string; type?: string | null; assigneeId?: string | null };
  errors: Record<string, string[] | undefined>;
  members: MemberSummary[];
  me: string;
  size?: "sm";
  assigneeClassName?: string;
}) {
  const assignees = members.filter(
    (member) => member.active || member.userId === values.assigneeId,
  );
  return (
    <>
      <SelectField
        label="Priority"
        name="priority"
        size={size}
        defaultValue={values.priority ?? "normal"}
        errors={errors.priority}
        options={TICKET_PRIORITIES.map((value) => ({ value, label: PRIORITY_LABELS[value] }))}
      />
      <SelectField
        label="Type"
        name="type"
        size={size}
        defaultValue={values.type ?? ""}
        errors={errors.type}
        options={[
          { value: "", label: "No type" },
          ...TICKET_TYPES.map((value) => ({ value, label: TYPE_LABELS[value] })),
        ]}
      />
      <SelectField
        label="Assignee"
        name="assigneeId"
        size={size}
        className={assigneeClassName}
        defaultValue={values.assigneeId ?? ""}
        errors={errors.assigneeId}
        options={[
          { value: "", label: "Unassigned" },
          ...assignees.map((member) => ({
            value: member.userId,
            label: member.userId === me ? `${member.name} (me)` : member.name,
          })),
        ]}
      />
    </>
  );
}
