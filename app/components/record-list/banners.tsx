import { Form } from "@remix-run/react";
import { useSubmitting } from "../../lib/use-pending";
import { Alert, Button } from "../ui";

/* The Undo banners above a list: after deleting one record, and after a bulk delete. */

export function RemovedBanner({ removed }: { removed: { id: string; label: string } }) {
  const restoring = useSubmitting("restore");
  return (
    <Alert tone="info" focusOnMount={false}>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <span>
          <span className="font-medium">{removed.label}</span> was deleted. You can restore it for
          30 days.
        </span>
        <Form method="post">
          <input type="hidden" name="intent" value="restore" />
          <input type="hidden" name="id" value={removed.id} />
          <Button size="sm" variant="secondary" pending={restoring}>
            Undo
          </Button>
        </Form>
      </div>
    </Alert>
  );
}

/** After a bulk delete: how many went, and "Undo" (a bulk restore of exactly those). */
export function BulkUndoBanner({ message, ids }: { message: string; ids: string[] }) {
  const restoring = useSubmitting("bulk-restore");
  return (
    <Alert tone="info" focusOnMount={false}>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <span>{message}</span>
        <Form method="post">
          <input type="hidden" name="intent" value="bulk-restore" />
          {ids.map((id) => (
            <input key={id} type="hidden" name="ids" value={id} />
          ))}
          <Button size="sm" variant="secondary" pending={restoring}>
            Undo
          </Button>
        </Form>
      </div>
    </Alert>
  );
}
