import { json } from "@remix-run/cloudflare";
import { ApiError, type FieldErrors } from "../../worker/lib/errors";
import { formFailure, type SubmittedForm } from "./actions.server";
import { CHANNEL_VALUE_KEYS, entriesFromRows, rowsFromForm } from "./contact-channels";
import { addressFromForm } from "./postal-address";
import { CUSTOM_PREFIX, type FieldSpec } from "./record-fields";
import { parseMoney } from "./record-format";

/** A posted form: `values` keeps each field's last value, `all` every value (checkbox lists). */
export interface PostedForm extends SubmittedForm {
  all(name: string): string[];
  /** A file field's file (an empty file input sends none). */
  file(name: string): File | null;
}

export async function readPostedForm(request: Request): Promise<PostedForm> {
  const data = await request.formData();
  const values: Record<string, string> = {};
  for (const [name, value] of data) {
    if (typeof value === "string") values[name] = value;
  }
  const { intent = "", ...rest } = values;
  return {
    intent,
    values: rest,
    all: (name) => data.getAll(name).filter((value): value is string => typeof value === "string"),
    file: (name) => {
      const value = data.get(name);
      return value instanceof File && value.size + value.name.length > 0 ? value : null;
    },
  };
}

/** What a page action's intent comes to: a message for the page, or where to go next. */
export type ActionOutcome = { message: string } | { redirectTo: string };

type Mode = "create" | "update";

function emptyValue(spec: FieldSpec, mode: Mode) {
  // A required field left blank goes to the API as "", so its own message explains.
  if (mode === "create") return spec.required ? "" : undefined;
  return spec.emptyAs === "empty" ? "" : null;
}

/** A group of inputs (an address, a list): left out of a "New" form when all are blank. */
function groupValue<T extends object>(value: T, isBlank: boolean, mode: Mode): T | undefined {
  return isBlank && mode === "create" ? undefined : value;
}

function splitTags(text: string): string[] {
  return text
    .split(",")
    .map((tag) => tag.trim())
    .filter(Boolean);
}

/**
 * One field's posted text as the API wants it, or `undefined` to leave it out. Type problems
 * the API schemas would report less kindly (a word in a number field) become field errors.
 */
function fieldBodyValue(spec: FieldSpec, form: PostedForm, mode: Mode, errors: FieldErrors) {
  const raw = form.values[spec.name]?.trim() ?? "";
  switch (spec.kind) {
    case "checkbox":
      return raw === "true" || raw === "on";
    case "multi_select": {
      const values = form.all(spec.name).filter(Boolean);
      return values.length > 0 ? values : emptyValue(spec, mode);
    }
    case "tags":
      return raw || mode === "update" ? splitTags(raw) : undefined;
    case "owner":
    case "reference":
      return raw || (mode === "update" ? null : undefined);
    case "number": {
      if (!raw) return emptyValue(spec, mode);
      const number = Number(raw);
      if (!Number.isFinite(number)) errors[spec.name] = ["Enter a number."];
      return number;
    }
    case "address": {
      const address = addressFromForm(form.values, spec.name);
      return groupValue(address, Object.keys(address).length === 0, mode);
    }
    case "email_list":
    case "phone_list": {
      const valueKey = CHANNEL_VALUE_KEYS[spec.kind];
      const entries = entriesFromRows(rowsFromForm(form.values, spec.name, valueKey), valueKey);
      return groupValue(entries, entries.length === 0, mode);
    }
    case "money": {
      const currency = form.values.currency?.trim().toUpperCase() || "USD";
      // Blank: 0 for a new record (a deal has an amount), or none with emptyAs "null" (a lead).
      if (!raw) {
        if (spec.emptyAs === "null") return mode === "create" ? undefined : null;
        return mode === "create" ? 0 : undefined;
      }
      const minor = parseMoney(raw, currency);
      if (minor === null) errors[spec.name] = [`Enter an amount in ${currency}, such as 1250.00.`];
      return minor ?? undefined;
    }
    default:
      return raw ? raw : emptyValue(spec, mode);
  }
}

/**
 * The API body for the posted fields: on create every spec (blank ones left out), on update
 * only the specs named (blank ones cleared). Custom fields are gathered under `custom`.
 */
export function bodyFromFields(
  specs: readonly FieldSpec[],
  form: PostedForm,
  mode: Mode,
): Record<string, unknown> {
  const errors: FieldErrors = {};
  const body: Record<string, unknown> = {};
  const custom: Record<string, unknown> = {};
  for (const spec of specs) {
    const value = fieldBodyValue(spec, form, mode, errors);
    if (value === undefined) continue;
    if (spec.name.startsWith(CUSTOM_PREFIX)) custom[spec.name.slice(CUSTOM_PREFIX.length)] = value;
    else body[spec.name] = value;
  }
  if (Object.keys(errors).length > 0)
    throw ApiError.validation(errors, "Check the highlighted fields.");
  if (Object.keys(custom).length > 0) body.custom = custom;
  return body;
}

/** The specs an inline editor posted (`fields=a,b`), in spec order. */
export function postedSpecs(specs: readonly FieldSpec[], form: PostedForm): FieldSpec[] {
  const named = new Set((form.values.fields ?? "").split(",").filter(Boolean));
  return specs.filter((spec) => named.has(spec.name));
}

/** The posted `version` as a number (the edit's base), or undefined. */
export function postedVersion(form: PostedForm): number | undefined {
  const version = Number(form.values.version);
  return Number.isInteger(version) && version > 0 ? version : undefined;
}

/**
 * A `<input type="datetime-local">` value ("2026-11-30T14:30") as an ISO instant. The browser
 * posts its UTC offset in `tzOffset` (minutes, as `Date#getTimezoneOffset` gives it); without
 * JavaScript the time is read as UTC.
 */
export function localDateTimeToIso(value: string | undefined, tzOffset: string | undefined) {
  if (!value) return undefined;
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!match) return value; // let the API schema explain
  const [, year, month, day, hour, minute] = match.map(Number) as number[];
  const offset = Number(tzOffset);
  const utc = Date.UTC(year ?? 0, (month ?? 1) - 1, day, hour, minute);
  return new Date(utc + (Number.isFinite(offset) ? offset : 0) * 60_000).toISOString();
}

function failureBody(error: ApiError, form: SubmittedForm) {
  return {
    ok: false as const,
    intent: form.intent,
    message: error.message,
    fieldErrors: error.fieldErrors ?? {},
    values: form.values,
  };
}

/**
 * Like `formFailure`, plus `conflict: true` when an edit was refused because the record
 * changed meanwhile (409 with the current version), so the page can say so plainly.
 */
export function recordFailure(error: unknown, form: SubmittedForm, headers: Headers) {
  if (error instanceof ApiError && error.status === 409 && error.fieldErrors?.version) {
    return json({ ...failureBody(error, form), conflict: true }, { status: 409, headers });
  }
  return formFailure(error, form, headers);
}
