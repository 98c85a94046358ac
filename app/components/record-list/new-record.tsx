import { Form, Link, useNavigate, useSearchParams } from "@remix-run/react";
import { useEffect, useState } from "react";
import {
  createSpecs,
  customFieldSpecs,
  type FieldKind,
  type FieldSpec,
  postedValue,
} from "../../lib/record-fields";
import { useSubmitting } from "../../lib/use-pending";
import { FieldInput } from "../record-fields";
import { Alert, Button, buttonClass, Modal } from "../ui";
import { useListActionData } from "./action-data";
import type { RecordListConfig, RecordListData } from "./types";

/* "New": the button (a URL, `?new=1`) and the dialog with the create form. */

export function NewButton({
  config,
  label,
}: {
  config: RecordListConfig;
  label?: string | undefined;
}) {
  const [searchParams] = useSearchParams();
  const next = new URLSearchParams(searchParams);
  next.set("new", "1");
  return (
    <Link to={`?${next.toString()}`} preventScrollReset className={buttonClass("primary")}>
      <span aria-hidden="true">+</span>
      {label ?? `New ${config.one}`}
    </Link>
  );
}

export function NewRecordDialog<Row>({
  data,
  config,
  createFields,
}: {
  data: RecordListData<Row>;
  config: RecordListConfig;
  createFields: FieldSpec[];
}) {
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const { failure } = useListActionData();
  const createFailure = failure?.intent === "create" ? failure : undefined;
  const requested = searchParams.has("new");
  const [open, setOpen] = useState(requested || createFailure !== undefined);
  useEffect(() => {
    if (requested || createFailure) setOpen(true);
  }, [requested, createFailure]);
  const creating = useSubmitting("create");
  if (!open || !data.canWrite) return null;
  const withoutNew = new URLSearchParams(searchParams);
  withoutNew.delete("new");
  const closeHref = withoutNew.size > 0 ? `?${withoutNew.toString()}` : config.path;
  const close = () => {
    setOpen(false);
    if (requested) navigate(closeHref, { replace: true, preventScrollReset: true });
  };
  const specs = [...createSpecs(createFields), ...customFieldSpecs(data.customFields)];
  const values = createFailure?.values ?? {};
  const generalError =
    createFailure && Object.keys(createFailure.fieldErrors).length === 0
      ? createFailure.message
      : null;
  return (
    <Modal title={`New ${config.one}`} onClose={close} closeHref={closeHref} size="lg">
      <Form method="post" noValidate className="space-y-4 px-5 py-4">
        <input type="hidden" name="intent" value="create" />
        {generalError ? <Alert>{generalError}</Alert> : null}
        {createFailure && !generalError ? (
          <Alert title={`The ${config.one} was not created`}>{createFailure.message}</Alert>
        ) : null}
        <div className="grid gap-4 sm:grid-cols-2">
          {specs.map((spec, index) => (
            <FieldInput
              key={spec.name}
              spec={spec}
              value={createFailure ? postedValue(spec, values) : defaultFor(spec)}
              fieldErrors={createFailure?.fieldErrors}
              autoFocus={index === 0}
              className={WIDE_KINDS.has(spec.kind) ? "sm:col-span-2" : undefined}
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
          <Button pending={creating}>Create {config.one}</Button>
        </div>
      </Form>
    </Modal>
  );
}

/** Fields that take both columns of the "New" form. */
const WIDE_KINDS = new Set<FieldKind>(["textarea", "multi_select", "address"]);

function defaultFor(spec: FieldSpec): unknown {
  if (spec.kind === "select" && spec.required) return spec.options?.[0]?.value;
  return undefined;
}
