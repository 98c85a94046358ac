import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";
import type { CrmEntity } from "../../shared/crm";
import { useRecordViewers } from "../lib/realtime-context";
import { useSubmitting } from "../lib/use-pending";
import { Avatar, Button, cx, focusRing } from "./ui";

/*
 * The strip above a record: back to its list, who else is looking at it right now, and the
 * record's own actions (delete; a lead's convert and the like come in as `actions`).
 */

function joinNames(names: string[]) {
  if (names.length <= 1) return names.join("");
  if (names.length === 2) return `${names[0]} and ${names[1]}`;
  return `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

/** "Maya Manager is also viewing", live from the realtime room. */
export function RecordViewers({ entity, id, me }: { entity: CrmEntity; id: string; me: string }) {
  const viewers = useRecordViewers(`${entity}:${id}`).filter((user) => user.userId !== me);
  if (viewers.length === 0) return null;
  const names = viewers.map((viewer) => viewer.name);
  return (
    <p
      className="flex items-center gap-2 text-sm text-slate-700"
      aria-live="polite"
      data-testid="record-viewers"
    >
      <span className="flex -space-x-1.5">
        {viewers.slice(0, 3).map((viewer) => (
          <span key={viewer.userId} className="rounded-full ring-2 ring-white">
            <Avatar name={viewer.name} size="sm" />
          </span>
        ))}
      </span>
      {joinNames(names)} {viewers.length === 1 ? "is" : "are"} also viewing
    </p>
  );
}

export function DeleteRecordButton({ label, noun }: { label: string; noun: string }) {
  const deleting = useSubmitting("delete");
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="delete" />
      <input type="hidden" name="label" value={label} />
      <Button variant="danger" size="sm" pending={deleting}>
        Delete {noun}
      </Button>
    </Form>
  );
}

export function RecordTopBar({
  backTo,
  backLabel,
  entity,
  id,
  me,
  actions,
}: {
  backTo: string;
  backLabel: string;
  entity: CrmEntity;
  id: string;
  me: string;
  actions?: ReactNode;
}) {
  return (
    <div className="flex flex-wrap items-center justify-between gap-3">
      <div className="flex flex-wrap items-center gap-4">
        <Link
          to={backTo}
          className={cx(
            "rounded-sm text-sm font-medium text-slate-600 hover:text-slate-900",
            focusRing,
          )}
        >
          ← {backLabel}
        </Link>
        <RecordViewers entity={entity} id={id} me={me} />
      </div>
      {actions ? <div className="flex flex-wrap items-center gap-2">{actions}</div> : null}
    </div>
  );
}
