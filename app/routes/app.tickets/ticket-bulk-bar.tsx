import { Form } from "@remix-run/react";
import { useEffect, useId, useState } from "react";
import { TICKET_PRIORITIES, TICKET_STATUSES } from "../../../shared/desk";
import { Button, controlClass, cx, focusRing, Modal } from "../../components/ui";
import { useSubmitting } from "../../lib/use-pending";
import { PRIORITY_LABELS, STATUS_LABELS } from "./ticket-format";

/*
 * Bulk actions on the ticked tickets of the page: "Select all on this page", how many are
 * ticked, and one change to apply to all (status, priority, assignee, a tag added or removed;
 * blank keeps) or a delete (asking first). Each ticket carries the version the agent saw, so
 * one changed meanwhile is skipped and said so. Wraps on a phone.
 */

export const TICKET_BULK_FORM = "ticket-bulk";

interface Member {
  userId: string;
  name: string;
  active: boolean;
}

export function TicketBulkBar({
  selected,
  onPage,
  onToggleAll,
  members,
  me,
  canDelete,
}: {
  selected: number;
  onPage: number;
  onToggleAll: (checked: boolean) => void;
  members: Member[];
  me: string;
  canDelete: boolean;
}) {
  const id = useId();
  const [confirming, setConfirming] = useState(false);
  const applying = useSubmitting("bulk-update");
  const deleting = useSubmitting("bulk-delete");
  useEffect(() => {
    if (selected === 0) setConfirming(false);
  }, [selected]);
  const all = onPage > 0 && selected === onPage;
  const noun = selected === 1 ? "ticket" : "tickets";
  const select = cx(controlClass(false, "sm"), "w-full pr-7 sm:w-36");
  return (
    <Form
      method="post"
      id={TICKET_BULK_FORM}
      aria-label="Bulk actions"
      className="border-b border-slate-200 bg-slate-50/60 px-4 py-2 sm:px-6"
      data-testid="ticket-bulk-bar"
    >
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <label className="flex items-center gap-2 text-xs font-medium text-slate-700">
          <input
            type="checkbox"
            checked={all}
            ref={(input) => {
              if (input) input.indeterminate = selected > 0 && !all;
            }}
            onChange={(event) => onToggleAll(event.currentTarget.checked)}
            className={cx("size-4 rounded border-slate-300 accent-indigo-600", focusRing)}
          />
          Select all on this page
        </label>
        <p className="text-xs text-slate-600" aria-live="polite" data-testid="bulk-count">
          {selected > 0 ? `${selected} ${noun} selected` : "Tick tickets to change them together"}
        </p>
      </div>
      {selected > 0 ? (
        <div className="mt-2 grid grid-cols-2 items-end gap-2 sm:flex sm:flex-wrap">
          <label className="sr-only" htmlFor={`${id}-status`}>
            Set status
          </label>
          <select id={`${id}-status`} name="status" defaultValue="" className={select}>
            <option value="">Status: keep</option>
            {TICKET_STATUSES.map((status) => (
              <option key={status} value={status}>
                {STATUS_LABELS[status]}
              </option>
            ))}
          </select>
          <label className="sr-only" htmlFor={`${id}-priority`}>
            Set priority
          </label>
          <select id={`${id}-priority`} name="priority" defaultValue="" className={select}>
            <option value="">Priority: keep</option>
            {TICKET_PRIORITIES.map((priority) => (
              <option key={priority} value={priority}>
                {PRIORITY_LABELS[priority]}
              </option>
            ))}
          </select>
          <label className="sr-only" htmlFor={`${id}-assignee`}>
            Assign to
          </label>
          <select id={`${id}-assignee`} name="assigneeId" defaultValue="" className={select}>
            <option value="">Assignee: keep</option>
            <option value="none">Unassigned</option>
            {members
              .filter((member) => member.active)
              .map((member) => (
                <option key={member.userId} value={member.userId}>
                  {member.userId === me ? `${member.name} (you)` : member.name}
                </option>
              ))}
          </select>
          <label className="sr-only" htmlFor={`${id}-add`}>
            Add tags (comma between)
          </label>
          <input
            id={`${id}-add`}
            name="addTag"
            placeholder="Add tags"
            maxLength={200}
            className={cx(controlClass(false, "sm"), "w-full sm:w-32")}
          />
          <label className="sr-only" htmlFor={`${id}-remove`}>
            Remove tags (comma between)
          </label>
          <input
            id={`${id}-remove`}
            name="removeTag"
            placeholder="Remove tags"
            maxLength={200}
            className={cx(controlClass(false, "sm"), "w-full sm:w-32")}
          />
          <Button name="intent" value="bulk-update" size="sm" pending={applying}>
            Apply to {selected}
          </Button>
          {canDelete ? (
            <Button
              type="button"
              variant="danger"
              size="sm"
              className="sm:ml-auto"
              onClick={() => setConfirming(true)}
            >
              Delete
            </Button>
          ) : null}
        </div>
      ) : null}
      {confirming ? (
        <Modal
          title={`Delete ${selected} ${noun}?`}
          description="Deleted tickets leave every view."
          onClose={() => setConfirming(false)}
          closeHref="?"
        >
          <div className="flex justify-end gap-2 px-5 py-4">
            <Button type="button" variant="secondary" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
            <Button
              name="intent"
              value="bulk-delete"
              variant="danger"
              form={TICKET_BULK_FORM}
              pending={deleting}
            >
              Delete {selected} {noun}
            </Button>
          </div>
        </Modal>
      ) : null}
    </Form>
  );
}
