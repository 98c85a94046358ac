import type { MetaFunction } from "@remix-run/cloudflare";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { type ReactNode, useId, useState } from "react";
import {
  CUSTOM_FIELD_ENTITIES,
  CUSTOM_FIELD_TYPES,
  type CustomFieldEntity,
  type CustomFieldType,
  OPTION_TYPES,
} from "../../../shared/crm";
import type { CustomFieldView } from "../../../worker/custom-fields/service";
import { CRM_ENTITY_TEXT, capitalized } from "../../components/import-parts";
import { PageBody, PageHeader } from "../../components/page";
import { RouteError } from "../../components/route-error";
import {
  Alert,
  Badge,
  Button,
  buttonClass,
  cx,
  focusRing,
  Section,
  SelectField,
  TextField,
} from "../../components/ui";
import { type FormFailure, failureFor } from "../../lib/forms";
import { useActionResult } from "../../lib/use-action-result";
import { useSubmitting } from "../../lib/use-pending";
import type { ActionSuccess, action, loader } from "./fields.server";

export { action, loader } from "./fields.server";

export const meta: MetaFunction = () => [{ title: "Custom fields · Settings · Switchboard" }];

const TYPE_LABELS: Record<CustomFieldType, string> = {
  text: "Text",
  number: "Number",
  date: "Date",
  select: "Single choice",
  multi_select: "Multiple choice",
  checkbox: "Checkbox",
  url: "Link (URL)",
};

type ActionData = ActionSuccess | FormFailure | undefined;

const ENTITY_TEXT: Record<CustomFieldEntity, { one: string; many: string }> = {
  ...CRM_ENTITY_TEXT,
  ticket: { one: "ticket", many: "tickets" },
};

/** What "Required" means: records cannot be saved without it; tickets cannot be solved. */
function requiredHint(entity: CustomFieldEntity, editing: boolean): string {
  if (entity === "ticket") {
    return "Tickets cannot be solved without it (they arrive by email and the request form without it).";
  }
  return editing ? "New and edited records must fill it." : "Records cannot be saved without it.";
}

export default function CustomFieldsSettings() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionResult<typeof action>() as ActionData;
  const text = ENTITY_TEXT[data.entity];
  const rowFailure = ["update", "delete"]
    .map((intent) => failureFor(actionData, intent))
    .find(Boolean);
  const success = actionData?.ok ? actionData : undefined;
  return (
    <>
      <PageHeader
        eyebrow="Settings"
        title="Custom fields"
        description="Extra fields on contacts, companies, leads, deals and tickets: they appear on records and tickets; the CRM's also in imports, exports and list filters."
      />
      <PageBody>
        <EntityTabs current={data.entity} counts={data.counts} />
        {!data.canConfigure ? (
          <Alert tone="info" focusOnMount={false}>
            Only owners and admins can change custom fields. Here is what each {text.one} can hold.
          </Alert>
        ) : null}
        {success && success.intent !== "create" ? (
          <Alert tone="success">{success.message}</Alert>
        ) : null}
        {rowFailure && !Object.keys(rowFailure.fieldErrors).length ? (
          <Alert title="That change was not saved">{rowFailure.message}</Alert>
        ) : null}
        <Section
          id="fields"
          title={`${capitalized(text.one)} fields`}
          description={
            data.fields.length === 0
              ? `No custom fields on ${text.many} yet.`
              : `${data.fields.length} custom ${data.fields.length === 1 ? "field" : "fields"}, in the order forms show them.`
          }
        >
          {data.fields.length > 0 ? (
            <ul className="divide-y divide-slate-100">
              {data.fields.map((field) => (
                <FieldRow
                  key={`${field.id}:${field.updatedAt}`}
                  field={field}
                  editable={data.canConfigure}
                  failure={rowFailure?.values.id === field.id ? rowFailure : undefined}
                />
              ))}
            </ul>
          ) : (
            <p className="px-5 py-6 text-sm text-slate-600">
              {data.canConfigure
                ? "Add the first one below."
                : "An owner or admin can add them here."}
            </p>
          )}
        </Section>
        {data.canConfigure ? (
          <CreateFieldSection entity={data.entity} actionData={actionData} />
        ) : null}
      </PageBody>
    </>
  );
}

function EntityTabs({
  current,
  counts,
}: {
  current: CustomFieldEntity;
  counts: Record<CustomFieldEntity, number>;
}) {
  const [params] = useSearchParams();
  return (
    <nav aria-label="Record type" className="border-b border-slate-200">
      <ul className="-mb-px flex gap-5 overflow-x-auto">
        {CUSTOM_FIELD_ENTITIES.map((entity) => {
          const next = new URLSearchParams(params);
          next.set("entity", entity);
          const active = entity === current;
          return (
            <li key={entity}>
              <Link
                to={`?${next.toString()}`}
                aria-current={active ? "page" : undefined}
                className={cx(
                  "inline-flex items-center gap-1.5 border-b-2 px-1 pb-2.5 text-sm font-medium whitespace-nowrap",
                  focusRing,
                  active
                    ? "border-indigo-600 text-indigo-700"
                    : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900",
                )}
              >
                {capitalized(ENTITY_TEXT[entity].many)}
                <span className="rounded-full bg-slate-100 px-1.5 text-xs text-slate-600">
                  {counts[entity]}
                </span>
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

function FieldRow({
  field,
  editable,
  failure,
}: {
  field: CustomFieldView;
  editable: boolean;
  failure: FormFailure | undefined;
}) {
  return (
    <li className="relative px-5 py-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="flex flex-wrap items-center gap-2 text-sm font-medium text-slate-900">
            {field.label}
            <Badge>{TYPE_LABELS[field.type]}</Badge>
            {field.required ? <Badge tone="warning">Required</Badge> : null}
          </p>
          <p className="mt-0.5 font-mono text-xs text-slate-600">
            <span className="sr-only">Key: </span>
            {field.key}
          </p>
          {field.options.length > 0 ? (
            <ul aria-label={`Choices for ${field.label}`} className="mt-2 flex flex-wrap gap-1">
              {field.options.map((option) => (
                <li
                  key={option}
                  className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700"
                >
                  {option}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
        {editable ? (
          <div className="flex gap-2">
            <Disclosure
              summary={
                <>
                  Edit<span className="sr-only"> {field.label}</span>
                </>
              }
              open={failure?.intent === "update"}
            >
              <EditFieldForm field={field} failure={failure} />
            </Disclosure>
            <Disclosure
              tone="danger"
              summary={
                <>
                  Delete<span className="sr-only"> {field.label}</span>
                </>
              }
              open={failure?.intent === "delete"}
            >
              <DeleteFieldForm field={field} />
            </Disclosure>
          </div>
        ) : null}
      </div>
    </li>
  );
}

/** A button-looking <summary> whose panel drops below the row (no JavaScript needed). */
function Disclosure({
  summary,
  open,
  tone = "secondary",
  children,
}: {
  summary: ReactNode;
  open: boolean;
  tone?: "secondary" | "danger";
  children: ReactNode;
}) {
  return (
    <details className="group" open={open || undefined}>
      <summary
        className={cx(
          buttonClass(tone, "sm"),
          "cursor-pointer list-none [&::-webkit-details-marker]:hidden",
        )}
      >
        {summary}
      </summary>
      <div className="absolute right-5 left-5 z-10 mt-2 rounded-lg bg-white p-4 shadow-lg ring-1 ring-slate-200 sm:left-auto sm:w-96">
        {children}
      </div>
    </details>
  );
}

function RequiredCheckbox({ defaultChecked, hint }: { defaultChecked: boolean; hint: string }) {
  const id = useId();
  return (
    <div className="flex items-start gap-2.5">
      <input
        id={id}
        type="checkbox"
        name="required"
        defaultChecked={defaultChecked}
        aria-describedby={`${id}-hint`}
        className="mt-0.5 size-4 accent-indigo-600"
      />
      <div>
        <label htmlFor={id} className="text-sm font-medium text-slate-800">
          Required
        </label>
        <p id={`${id}-hint`} className="text-xs text-slate-600">
          {hint}
        </p>
      </div>
    </div>
  );
}

function OptionsField({
  defaultValue,
  errors,
  hint,
}: {
  defaultValue: string;
  errors: string[] | undefined;
  hint: string;
}) {
  const id = useId();
  const invalid = Boolean(errors?.length);
  return (
    <div>
      <label htmlFor={id} className="mb-1.5 block text-sm font-medium text-slate-800">
        Choices
      </label>
      <textarea
        id={id}
        name="options"
        rows={4}
        defaultValue={defaultValue}
        aria-invalid={invalid || undefined}
        aria-describedby={`${id}-note`}
        className={cx(
          "block w-full rounded-md border-0 px-3 py-2 text-sm text-slate-900 shadow-xs ring-1 ring-inset focus:ring-2 focus:outline-none focus:ring-inset",
          invalid ? "ring-red-500 focus:ring-red-600" : "ring-slate-300 focus:ring-indigo-600",
        )}
      />
      <p
        id={`${id}-note`}
        className={cx("mt-1.5 text-xs", invalid ? "font-medium text-red-700" : "text-slate-600")}
      >
        {invalid ? errors?.join(" ") : hint}
      </p>
    </div>
  );
}

function EditFieldForm({
  field,
  failure,
}: {
  field: CustomFieldView;
  failure: FormFailure | undefined;
}) {
  const saving = useSubmitting("update", { name: "id", value: field.id });
  const mine = failure?.intent === "update" ? failure : undefined;
  const hasOptions = OPTION_TYPES.includes(field.type);
  return (
    <Form method="post" className="space-y-3" noValidate preventScrollReset>
      <input type="hidden" name="intent" value="update" />
      <input type="hidden" name="id" value={field.id} />
      <input type="hidden" name="hasOptions" value={String(hasOptions)} />
      {mine && !Object.keys(mine.fieldErrors).length ? <Alert>{mine.message}</Alert> : null}
      <TextField
        label="Label"
        name="label"
        required
        maxLength={80}
        defaultValue={mine?.values.label ?? field.label}
        errors={mine?.fieldErrors.label}
      />
      {hasOptions ? (
        <OptionsField
          defaultValue={mine?.values.options ?? field.options.join("\n")}
          errors={mine?.fieldErrors.options}
          hint="One choice per line. Removing a choice does not change records that hold it."
        />
      ) : null}
      <RequiredCheckbox
        defaultChecked={mine ? mine.values.required === "on" : field.required}
        hint={requiredHint(field.entity, true)}
      />
      <p className="text-xs text-slate-600">
        The key <span className="font-mono">{field.key}</span> and the type cannot change.
      </p>
      <Button size="sm" pending={saving}>
        Save field
      </Button>
    </Form>
  );
}

function DeleteFieldForm({ field }: { field: CustomFieldView }) {
  const deleting = useSubmitting("delete", { name: "id", value: field.id });
  return (
    <Form method="post" className="space-y-3" preventScrollReset>
      <input type="hidden" name="intent" value="delete" />
      <input type="hidden" name="id" value={field.id} />
      <p className="text-sm text-slate-800">
        Delete “{field.label}”? Every record loses its value for this field. This cannot be undone.
      </p>
      <Button variant="danger" size="sm" pending={deleting}>
        Delete field and values
      </Button>
    </Form>
  );
}

/** "Deal size (EUR)" -> "deal_size_eur". */
function keyFromLabel(label: string) {
  return label
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^[^a-z]+/, "")
    .replace(/_+$/, "")
    .slice(0, 40);
}

function CreateFieldSection({
  entity,
  actionData,
}: {
  entity: CustomFieldEntity;
  actionData: ActionData;
}) {
  const failure = failureFor(actionData, "create");
  const created = actionData?.ok && actionData.intent === "create" ? actionData : undefined;
  const creating = useSubmitting("create");
  return (
    <Section
      id="new-field"
      title="Add a field"
      description={`Give ${ENTITY_TEXT[entity].many} a new field.`}
    >
      <div className="px-5 py-4">
        {created ? <Alert tone="success">{created.message}</Alert> : null}
        {failure && !Object.keys(failure.fieldErrors).length ? (
          <Alert title="The field was not added">{failure.message}</Alert>
        ) : null}
        <CreateFieldForm
          key={created?.id ?? "new"}
          entity={entity}
          failure={failure}
          pending={creating}
        />
      </div>
    </Section>
  );
}

function CreateFieldForm({
  entity,
  failure,
  pending,
}: {
  entity: CustomFieldEntity;
  failure: FormFailure | undefined;
  pending: boolean;
}) {
  const [label, setLabel] = useState(failure?.values.label ?? "");
  const [key, setKey] = useState(failure?.values.key ?? "");
  const [keyEdited, setKeyEdited] = useState(Boolean(failure?.values.key));
  const [type, setType] = useState(failure?.values.type ?? "text");
  const needsOptions = OPTION_TYPES.includes(type as CustomFieldType);
  return (
    <Form method="post" className="mt-2 grid gap-4 sm:grid-cols-2" noValidate>
      <input type="hidden" name="intent" value="create" />
      <input type="hidden" name="entity" value={entity} />
      <TextField
        label="Label"
        name="label"
        required
        maxLength={80}
        placeholder="e.g. Contract renewal"
        value={label}
        onChange={(event) => {
          setLabel(event.target.value);
          if (!keyEdited) setKey(keyFromLabel(event.target.value));
        }}
        errors={failure?.fieldErrors.label}
      />
      <TextField
        label="Key"
        name="key"
        required
        maxLength={40}
        autoComplete="off"
        spellCheck={false}
        placeholder="contract_renewal"
        value={key}
        onChange={(event) => {
          setKey(event.target.value);
          setKeyEdited(true);
        }}
        hint="Used by the API, imports and exports (cf.<key>). Cannot change later."
        errors={failure?.fieldErrors.key}
        className="[&_input]:font-mono"
      />
      <SelectField
        label="Type"
        name="type"
        value={type}
        onChange={(event) => setType(event.target.value)}
        options={CUSTOM_FIELD_TYPES.map((value) => ({ value, label: TYPE_LABELS[value] }))}
        errors={failure?.fieldErrors.type}
      />
      <div className="sm:row-span-2">
        <OptionsField
          defaultValue={failure?.values.options ?? ""}
          errors={failure?.fieldErrors.options}
          hint={
            needsOptions
              ? "One choice per line."
              : "Only for single and multiple choice fields: one choice per line."
          }
        />
      </div>
      <RequiredCheckbox
        defaultChecked={failure?.values.required === "on"}
        hint={requiredHint(entity, false)}
      />
      <div className="sm:col-span-2">
        <Button pending={pending}>Add field</Button>
      </div>
    </Form>
  );
}

export function ErrorBoundary() {
  return <RouteError />;
}
