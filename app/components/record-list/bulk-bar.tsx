import { Form } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useSubmitting } from "../../lib/use-pending";
import { Button, Modal, SelectField, useHydrated } from "../ui";
import type { Member, RecordListConfig } from "./types";

/* Bulk actions on the ticked rows: assign an owner, add or remove tags, delete (asking first). */

export const BULK_FORM_ID = "bulk-form";

export function BulkBar({
  members,
  me,
  selected,
  config,
}: {
  members: Member[];
  me: string;
  selected: number;
  config: RecordListConfig;
}) {
  const hydrated = useHydrated();
  const none = hydrated && selected === 0;
  const [confirming, setConfirming] = useState(false);
  const deleting = useSubmitting("bulk-delete");
  const noun = selected === 1 ? config.one : config.many;
  // The dialog closes once the delete went through (or nothing is selected any more).
  useEffect(() => {
    if (selected === 0) setConfirming(false);
  }, [selected]);
  const owners = [
    { value: "", label: "Nobody" },
    ...members
      .filter((member) => member.active)
      .map((member) => ({
        value: member.userId,
        label: member.userId === me ? `${member.name} (you)` : member.name,
      })),
  ];
  return (
    <Form
      method="post"
      id={BULK_FORM_ID}
      aria-label="Bulk actions"
      className="flex flex-wrap items-end gap-x-4 gap-y-2 border-b border-slate-200 bg-slate-50/60 px-4 py-2.5 sm:px-5"
    >
      <p className="self-center text-xs font-medium text-slate-700" aria-live="polite">
        {hydrated ? `${selected} selected` : "Select rows, then:"}
      </p>
      <div className="flex items-end gap-1.5">
        <SelectField
          label="New owner"
          hideLabel
          name="ownerId"
          options={owners}
          size="sm"
          className="w-36 sm:w-40"
        />
        <Button name="intent" value="bulk-assign" variant="secondary" size="sm" disabled={none}>
          Assign owner
        </Button>
      </div>
      <div className="flex items-end gap-1.5">
        <label className="sr-only" htmlFor="bulk-tags">
          Tags to add or remove
        </label>
        <input
          id="bulk-tags"
          name="tags"
          placeholder="tag, another"
          className="h-8 w-36 rounded-md border-0 px-2.5 text-xs text-slate-900 ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-indigo-600 focus:outline-none"
        />
        <Button name="intent" value="bulk-tag" variant="secondary" size="sm" disabled={none}>
          Add tag
        </Button>
        <Button name="intent" value="bulk-untag" variant="ghost" size="sm" disabled={none}>
          Remove tag
        </Button>
      </div>
      {hydrated ? (
        // With JavaScript, a delete asks first; without, it goes through (and offers Undo).
        <Button
          type="button"
          variant="danger"
          size="sm"
          disabled={none}
          className="ml-auto"
          onClick={() => setConfirming(true)}
        >
          Delete selected
        </Button>
      ) : (
        <Button name="intent" value="bulk-delete" variant="danger" size="sm" className="ml-auto">
          Delete selected
        </Button>
      )}
      {confirming ? (
        <Modal
          title={`Delete ${selected} ${noun}?`}
          description={`They move to “Deleted”, where you can restore them for 30 days.`}
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
              form={BULK_FORM_ID}
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
