import { Form, Link, useNavigate, useSearchParams } from "@remix-run/react";
import { useEffect, useState } from "react";
import { FieldInput } from "../../components/record-fields";
import { Alert, Button, buttonClass, Modal, TextAreaField, TextField } from "../../components/ui";
import { failureFor } from "../../lib/forms";
import type { MemberSummary } from "../../lib/members.server";
import type { CustomFieldDefinition } from "../../lib/record-fields";
import { useActionResult } from "../../lib/use-action-result";
import { useSubmitting } from "../../lib/use-pending";
import { TicketAssignmentFields, ticketFieldSpecs } from "./ticket-fields";
import type { action } from "./tickets.server";

/*
 * "New ticket": a dialog over the list (`?new=1`), for a request that came by phone or in
 * person. The description is the ticket's first comment; the requester is found by email
 * among the contacts (or added as one); the ticket's custom fields can be filled in (a required
 * one is required to solve, not to open). Creating it leads to the ticket.
 */

export function NewTicketDialog({
  members,
  me,
  canWrite,
  customFields,
}: {
  members: MemberSummary[];
  me: string;
  canWrite: boolean;
  customFields: CustomFieldDefinition[];
}) {
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const failure = failureFor(useActionResult<typeof action>(), "create");
  const requested = searchParams.has("new");
  const [open, setOpen] = useState(requested || failure !== undefined);
  useEffect(() => {
    if (requested || failure) setOpen(true);
  }, [requested, failure]);
  const creating = useSubmitting("create");
  if (!open || !canWrite) return null;
  const withoutNew = new URLSearchParams(searchParams);
  withoutNew.delete("new");
  const closeHref = withoutNew.size > 0 ? `/app/tickets?${withoutNew}` : "/app/tickets";
  const close = () => {
    setOpen(false);
    if (requested) navigate(closeHref, { replace: true, preventScrollReset: true });
  };
  const values = failure?.values ?? {};
  const errors = failure?.fieldErrors ?? {};
  const fieldErrorCount = Object.keys(errors).length;
  return (
    <Modal
      title="New ticket"
      description="For a request that came by phone, chat or in person. Emails to the support address open tickets by themselves."
      onClose={close}
      closeHref={closeHref}
      size="lg"
    >
      <Form method="post" noValidate className="space-y-4 px-5 py-4" data-testid="new-ticket-form">
        <input type="hidden" name="intent" value="create" />
        {failure ? (
          <Alert title="The ticket was not opened">
            {fieldErrorCount > 0 ? "Check the highlighted fields." : failure.message}
          </Alert>
        ) : null}
        <TextField
          label="Subject"
          name="subject"
          required
          maxLength={250}
          defaultValue={values.subject}
          errors={errors.subject}
          autoFocus
        />
        <TextAreaField
          label="Description"
          name="description"
          rows={5}
          required
          defaultValue={values.description}
          errors={errors.description}
          hint="What the requester asked: the ticket's first comment."
        />
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            label="Requester email"
            name="requesterEmail"
            type="email"
            autoComplete="off"
            defaultValue={values.requesterEmail}
            errors={errors["requester.email"] ?? errors.requester}
            hint="Public replies go to this address."
          />
          <TextField
            label="Requester name"
            name="requesterName"
            autoComplete="off"
            defaultValue={values.requesterName}
            errors={errors["requester.name"]}
          />
          <TicketAssignmentFields
            values={values}
            errors={errors}
            members={members}
            me={me}
            assigneeClassName="sm:col-span-2"
          />
          {ticketFieldSpecs(customFields).map((spec) => (
            <FieldInput
              key={spec.name}
              spec={spec}
              value={values[spec.name]}
              fieldErrors={errors}
            />
          ))}
        </div>
        <div className="flex justify-end gap-2 border-t border-slate-200 pt-4">
          <Link
            to={closeHref}
            onClick={(event) => {
              event.preventDefault();
              close();
            }}
            className={buttonClass("ghost")}
          >
            Cancel
          </Link>
          <Button pending={creating}>Open ticket</Button>
        </div>
      </Form>
    </Modal>
  );
}
