import {
  CHANNEL_VALUE_KEYS,
  type ChannelListKind,
  entryOfRow,
  rowsFromForm,
} from "./contact-channels";
import { addressFromForm } from "./postal-address";

/*
 * The editable fields of a CRM record, described once and used three times: to render the
 * "New" form and the inline editors (components/record-fields.tsx), and to turn the posted
 * form back into an API body (record-forms.server.ts). Custom fields become specs named
 * `custom.<key>`.
 */

export type FieldKind =
  | "text"
  | "email"
  | "tel"
  | "url"
  | "textarea"
  | "number"
  | "date"
  | "select"
  | "multi_select"
  | "checkbox"
  | "tags"
  | "owner"
  | "reference"
  | "money"
  /** A postal address: several inputs posted as `address.street`... (lib/postal-address). */
  | "address"
  /** Lists of e-mail addresses or phone numbers, one row each (lib/contact-channels). */
  | ChannelListKind;

export interface FieldOption {
  value: string;
  label: string;
}

export interface FieldSpec {
  /** The form field and the API body key (`custom.<key>` for custom fields). */
  name: string;
  label: string;
  kind: FieldKind;
  options?: readonly FieldOption[];
  required?: boolean;
  /** What an emptied field becomes in an update: null (default) or "". */
  emptyAs?: "null" | "empty";
  placeholder?: string;
  hint?: string;
  /** Leave the field out of the "New" form. */
  editOnly?: boolean;
  /** Only in the "New" form (the record page edits the field another way). */
  createOnly?: boolean;
}

export interface CustomFieldDefinition {
  key: string;
  label: string;
  type: "text" | "number" | "date" | "select" | "multi_select" | "checkbox" | "url";
  options: string[];
  required: boolean;
}

export const CUSTOM_PREFIX = "custom.";

export function customFieldSpecs(definitions: readonly CustomFieldDefinition[]): FieldSpec[] {
  return definitions.map((definition) => ({
    name: `${CUSTOM_PREFIX}${definition.key}`,
    label: definition.label,
    kind: definition.type,
    options: definition.options.map((option) => ({ value: option, label: option })),
    required: definition.required,
  }));
}

/** A record's value for a spec, as a form would hold it (multi-selects as lists). */
export function fieldValue(
  record: Record<string, unknown> & { custom?: Record<string, unknown> },
  spec: FieldSpec,
): unknown {
  if (spec.name.startsWith(CUSTOM_PREFIX)) {
    return record.custom?.[spec.name.slice(CUSTOM_PREFIX.length)];
  }
  return record[spec.name];
}

/** The fields of the "New" form. */
export function createSpecs(specs: readonly FieldSpec[]): FieldSpec[] {
  return specs.filter((spec) => !spec.editOnly);
}

/** The fields edited in place on a record page. */
export function inlineSpecs(specs: readonly FieldSpec[]): FieldSpec[] {
  return specs.filter((spec) => !spec.createOnly);
}

/** A field's value in a re-posted form, shaped like the record's (an address, a list). */
export function postedValue(spec: FieldSpec, values: Record<string, string>): unknown {
  switch (spec.kind) {
    case "address":
      return addressFromForm(values, spec.name);
    case "email_list":
    case "phone_list": {
      const valueKey = CHANNEL_VALUE_KEYS[spec.kind];
      return rowsFromForm(values, spec.name, valueKey).map((row) => entryOfRow(row, valueKey));
    }
    default:
      return values[spec.name];
  }
}

/** Text for an input's defaultValue. */
export function inputText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.join(", ");
  return String(value);
}

/** The owner select's options: nobody, then the active members (you first). */
export function ownerOptions(
  members: readonly { userId: string; name: string; active: boolean }[],
  me: string,
  noneLabel = "Unassigned",
): FieldOption[] {
  const active = members.filter((member) => member.active);
  const mine = active.filter((member) => member.userId === me);
  const others = active.filter((member) => member.userId !== me);
  return [
    { value: "", label: noneLabel },
    ...mine.map((member) => ({ value: member.userId, label: `${member.name} (you)` })),
    ...others.map((member) => ({ value: member.userId, label: member.name })),
  ];
}

/** The owner filter's options: me, nobody (`none`), then everyone else. */
export function ownerFilterOptions(
  members: readonly { userId: string; name: string }[],
  me: string,
): FieldOption[] {
  return [
    { value: me, label: "Me" },
    { value: "none", label: "Unassigned" },
    ...members
      .filter((member) => member.userId !== me)
      .map((member) => ({ value: member.userId, label: member.name })),
  ];
}

export function memberName(
  members: readonly { userId: string; name: string }[],
  userId: string | null,
): string | null {
  if (!userId) return null;
  return members.find((member) => member.userId === userId)?.name ?? "Former member";
}
