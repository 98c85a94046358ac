import { Link, useFetcher, useLocation, useSearchParams } from "@remix-run/react";
import { type ReactNode, useEffect, useId, useState } from "react";
import type { ContactEmail, ContactPhone } from "../../shared/crm";
import { safeHref } from "../../shared/http-url";
import { type FormFailure, isFailure } from "../lib/forms";
import { addressLines, asAddress } from "../lib/postal-address";
import {
  type FieldKind,
  type FieldSpec,
  fieldValue,
  inputText,
  postedValue,
} from "../lib/record-fields";
import { formatDay } from "../lib/record-format";
import { useActionResult } from "../lib/use-action-result";
import { useEditorRegistration, useRecordEdit } from "./record-edit";
import {
  AddressBlock,
  AddressInput,
  ChannelListInput,
  EmailList,
  PhoneList,
} from "./record-field-groups";
import {
  Badge,
  Button,
  buttonClass,
  CheckboxField,
  cx,
  focusRing,
  SelectField,
  TextAreaField,
  TextField,
} from "./ui";

/*
 * Record fields: the inputs of the "New" forms and of inline editors (one per field kind),
 * how each kind reads on a record page, and the click-to-edit row itself.
 */

/** The error messages for a field and its parts (`address` also collects `address.city`). */
export function errorsFor(
  fieldErrors: Record<string, string[]> | undefined,
  name: string,
): string[] | undefined {
  if (!fieldErrors) return undefined;
  const messages = Object.entries(fieldErrors)
    .filter(([key]) => key === name || key.startsWith(`${name}.`))
    .flatMap(([, list]) => list);
  return messages.length > 0 ? messages : undefined;
}

function selectOptions(spec: FieldSpec) {
  const options = spec.options ?? [];
  const hasEmpty = options.some((option) => option.value === "");
  return spec.required || hasEmpty ? options : [{ value: "", label: "—" }, ...options];
}

/** The input for one field spec; `value` is the record's value (or the re-posted one). */
export function FieldInput({
  spec,
  value,
  fieldErrors,
  hideLabel,
  autoFocus,
  className,
}: {
  spec: FieldSpec;
  value: unknown;
  /** The failed save's errors, all fields (each input picks its own). */
  fieldErrors?: Record<string, string[]> | undefined;
  hideLabel?: boolean;
  autoFocus?: boolean;
  className?: string;
}) {
  const shared = { label: spec.label, hint: spec.hint, hideLabel, autoFocus, className };
  const group = { ...shared, field: spec.name, value, fieldErrors };
  const errors = errorsFor(fieldErrors, spec.name);
  const common = { ...shared, name: spec.name, errors };
  switch (spec.kind) {
    case "address":
      return <AddressInput {...group} />;
    case "email_list":
    case "phone_list":
      return <ChannelListInput {...group} kind={spec.kind} />;
    case "textarea":
      return <TextAreaField {...common} defaultValue={inputText(value)} rows={4} />;
    case "select":
    case "owner":
    case "reference":
      return (
        <SelectField
          {...common}
          defaultValue={inputText(value)}
          options={selectOptions(spec)}
          required={spec.required}
        />
      );
    case "checkbox":
      return (
        <CheckboxField
          label={spec.label}
          name={spec.name}
          value="true"
          defaultChecked={value === true || value === "true"}
          errors={errors}
          autoFocus={autoFocus}
          className={className}
        />
      );
    case "multi_select":
      return <MultiSelectInput spec={spec} value={value} errors={errors} className={className} />;
    case "tags":
      return (
        <TextField
          {...common}
          defaultValue={inputText(value)}
          hint={spec.hint ?? "Separate tags with commas."}
        />
      );
    case "money":
      return (
        <TextField
          {...common}
          inputMode="decimal"
          defaultValue={inputText(value)}
          placeholder={spec.placeholder ?? "0.00"}
        />
      );
    default:
      return (
        <TextField
          {...common}
          type={spec.kind === "text" ? "text" : spec.kind}
          inputMode={spec.kind === "number" ? "decimal" : undefined}
          defaultValue={inputText(value)}
          placeholder={spec.placeholder}
          required={spec.required}
          step={spec.kind === "number" ? "any" : undefined}
        />
      );
  }
}

function MultiSelectInput({
  spec,
  value,
  errors,
  className,
}: {
  spec: FieldSpec;
  value: unknown;
  errors?: string[] | undefined;
  className?: string | undefined;
}) {
  const id = useId();
  const chosen = new Set(
    Array.isArray(value) ? value.map(String) : inputText(value).split(/\s*[,;]\s*/),
  );
  return (
    <fieldset
      className={className}
      aria-describedby={errors?.length ? `${id}-error` : undefined}
      aria-invalid={errors?.length ? true : undefined}
    >
      <legend className="mb-1.5 text-sm font-medium text-slate-800">{spec.label}</legend>
      <div className="flex flex-wrap gap-x-4 gap-y-1.5">
        {(spec.options ?? []).map((option) => (
          <CheckboxField
            key={option.value}
            label={option.label}
            name={spec.name}
            value={option.value}
            defaultChecked={chosen.has(option.value)}
          />
        ))}
      </div>
      {errors?.length ? (
        <p id={`${id}-error`} className="mt-1.5 text-xs font-medium text-red-700">
          {errors.join(" ")}
        </p>
      ) : null}
    </fieldset>
  );
}

export function EmptyValue() {
  return <span className="text-slate-400">—</span>;
}

function isEmpty(value: unknown) {
  return (
    value === null ||
    value === undefined ||
    value === "" ||
    (Array.isArray(value) && value.length === 0)
  );
}

/** A value as it reads on a record page. */
export function FieldDisplay({ spec, value }: { spec: FieldSpec; value: unknown }) {
  if (spec.kind === "checkbox") return <>{value === true ? "Yes" : "No"}</>;
  if (isEmpty(value)) return <EmptyValue />;
  const text = inputText(value);
  // Long addresses and links break anywhere rather than run under the Edit link.
  const linkClass = cx("rounded-sm text-indigo-700 wrap-anywhere hover:text-indigo-600", focusRing);
  switch (spec.kind) {
    case "tags":
    case "multi_select":
      return (
        <span className="flex flex-wrap gap-1">
          {(Array.isArray(value) ? value : [value]).map((item) => (
            <Badge key={String(item)} tone={spec.kind === "tags" ? "accent" : "neutral"}>
              {String(item)}
            </Badge>
          ))}
        </span>
      );
    case "select":
    case "owner":
    case "reference":
      return <>{spec.options?.find((option) => option.value === text)?.label ?? text}</>;
    case "date":
      return <>{formatDay(text)}</>;
    case "url": {
      const href = safeHref(text);
      return href ? (
        <a href={href} target="_blank" rel="noreferrer" className={linkClass}>
          {text}
        </a>
      ) : (
        text
      );
    }
    case "email":
      return (
        <a href={`mailto:${text}`} className={linkClass}>
          {text}
        </a>
      );
    case "tel":
      return (
        <a href={`tel:${text}`} className={linkClass}>
          {text}
        </a>
      );
    case "textarea":
      return <span className="whitespace-pre-wrap">{text}</span>;
    case "address": {
      const lines = addressLines(asAddress(value));
      return lines.length > 0 ? <AddressBlock lines={lines} /> : <EmptyValue />;
    }
    case "email_list":
      return <EmailList emails={value as ContactEmail[]} />;
    case "phone_list":
      return <PhoneList phones={value as ContactPhone[]} />;
    default:
      return <>{text}</>;
  }
}

const LINK_KINDS = new Set<FieldKind>(["url", "email", "tel", "email_list", "phone_list"]);

interface SaveResult {
  ok: boolean;
  version?: number;
  intent?: string;
  fields?: string[];
  message?: string;
  fieldErrors?: Record<string, string[]>;
  conflict?: boolean;
}

/** The page's own (no-JavaScript) failed save of this field, if that is what just happened. */
function useServerFailure(name: string): FormFailure | undefined {
  const data = useActionResult();
  if (!isFailure(data, "update")) return undefined;
  return (data.values.fields ?? "").split(",").includes(name) ? data : undefined;
}

/**
 * One row of a record's details: the value, and a click (or Enter) to edit it in place. The
 * editor posts the record's version; a refused save (409) raises the conflict banner and keeps
 * the input. Without JavaScript the "edit" link opens the editor through `?edit=<field>`.
 */
export function InlineField({
  spec,
  record,
  display,
  companion,
  readOnly = false,
}: {
  spec: FieldSpec;
  record: Record<string, unknown>;
  /** Shown but not editable here (an owner only managers may change). */
  readOnly?: boolean;
  /** Overrides how the value reads (money, links to other records). */
  display?: ReactNode;
  /** A second field edited together with this one (a deal's currency with its amount). */
  companion?: FieldSpec;
}) {
  const edit = useRecordEdit();
  const { version, reloadedDuringEdit, reportConflict, reportSaved } = edit;
  const canEdit = edit.canEdit && !readOnly;
  const { pathname } = useLocation();
  const [searchParams] = useSearchParams();
  const serverFailure = useServerFailure(spec.name);
  const [open, setOpen] = useState(
    () => searchParams.get("edit") === spec.name || serverFailure !== undefined,
  );
  const [errors, setErrors] = useState<{ message: string; fields: Record<string, string[]> }>();
  const fetcher = useFetcher<SaveResult>();
  useEditorRegistration(spec.name, open);

  useEffect(() => {
    const data = fetcher.data;
    if (fetcher.state !== "idle" || !data) return;
    if (data.ok) {
      reportSaved(data.version);
      setOpen(false);
      setErrors(undefined);
    } else {
      if (data.conflict) reportConflict();
      setErrors({ message: data.message ?? "Not saved.", fields: data.fieldErrors ?? {} });
    }
  }, [fetcher.state, fetcher.data, reportConflict, reportSaved]);

  const value = fieldValue(record, spec);
  const failure =
    errors ??
    (serverFailure && { message: serverFailure.message, fields: serverFailure.fieldErrors });
  const fields = failure?.fields;
  // Errors of the edited fields show beside their inputs; anything else above the buttons.
  const shownBeside = [spec, companion].some((edited) => edited && errorsFor(fields, edited.name));
  const otherError = failure && !shownBeside && !failure.fields.version ? failure.message : null;
  const posted = serverFailure?.values;

  const close = () => {
    setOpen(false);
    setErrors(undefined);
  };
  const labelId = useId();

  return (
    <div className="grid gap-1 py-2.5 sm:grid-cols-3 sm:gap-4" id={`field-${spec.name}`}>
      <dt id={labelId} className="text-sm text-slate-600">
        {spec.label}
      </dt>
      <dd className="min-w-0 text-sm text-slate-900 sm:col-span-2">
        {open && canEdit ? (
          <fetcher.Form
            method="post"
            action={pathname}
            className="space-y-2"
            onKeyDown={(event) => {
              if (event.key === "Escape") {
                event.preventDefault();
                close();
              }
            }}
          >
            <input type="hidden" name="intent" value="update" />
            <input
              type="hidden"
              name="fields"
              value={[spec.name, companion?.name].filter(Boolean).join(",")}
            />
            <input type="hidden" name="version" value={version} />
            <div className={companion ? "flex items-start gap-2" : undefined}>
              <FieldInput
                spec={spec}
                value={posted ? postedValue(spec, posted) : value}
                fieldErrors={fields}
                hideLabel={spec.kind !== "multi_select"}
                autoFocus
                className={companion ? "flex-1" : undefined}
              />
              {companion ? (
                <FieldInput
                  spec={companion}
                  value={posted ? postedValue(companion, posted) : fieldValue(record, companion)}
                  fieldErrors={fields}
                  hideLabel
                  className="w-28"
                />
              ) : null}
            </div>
            {otherError ? (
              <p className="text-xs font-medium text-red-700" role="alert">
                {otherError}
              </p>
            ) : null}
            {reloadedDuringEdit ? (
              <p className="text-xs text-amber-800">
                Saving now replaces the change that was just made by someone else.
              </p>
            ) : null}
            <div className="flex gap-2">
              <Button size="sm" pending={fetcher.state === "submitting"}>
                Save<span className="sr-only"> {spec.label}</span>
              </Button>
              <Link
                to={pathname}
                onClick={(event) => {
                  event.preventDefault();
                  close();
                }}
                className={buttonClass("ghost", "sm")}
              >
                Cancel
              </Link>
            </div>
          </fetcher.Form>
        ) : canEdit ? (
          <div className="group flex items-start justify-between gap-2">
            <div className="min-w-0">{display ?? <FieldDisplay spec={spec} value={value} />}</div>
            <Link
              to={`?edit=${encodeURIComponent(spec.name)}#field-${spec.name}`}
              preventScrollReset
              onClick={(event) => {
                event.preventDefault();
                setOpen(true);
              }}
              className={cx(
                "shrink-0 rounded px-1.5 py-0.5 text-xs font-medium text-slate-500 hover:bg-slate-100 hover:text-slate-900",
                !LINK_KINDS.has(spec.kind) && "opacity-70 group-hover:opacity-100",
                focusRing,
              )}
            >
              Edit<span className="sr-only"> {spec.label}</span>
            </Link>
          </div>
        ) : (
          (display ?? <FieldDisplay spec={spec} value={value} />)
        )}
      </dd>
    </div>
  );
}

/** Tags as badges in a table cell (a dash when there are none). */
export function TagList({ tags }: { tags: string[] }) {
  if (tags.length === 0) return <EmptyValue />;
  return (
    <span className="flex flex-wrap gap-1">
      {tags.map((tag) => (
        <Badge key={tag} tone="accent">
          {tag}
        </Badge>
      ))}
    </span>
  );
}
