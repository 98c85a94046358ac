import { type ReactNode, useEffect, useId, useRef, useState } from "react";
import type { ContactEmail, ContactPhone } from "../../shared/crm";
import {
  CHANNEL_VALUE_KEYS,
  type ChannelListKind,
  type ChannelRow,
  channelErrors,
  primaryInputName,
  rowInputName,
  rowsFromEntries,
} from "../lib/contact-channels";
import { ADDRESS_PARTS, addressInputName, asAddress } from "../lib/postal-address";
import { Button, cx, focusRing, TextField, useHydrated } from "./ui";

/*
 * Fields made of several inputs: a postal address, and a contact's lists of e-mail addresses
 * and phone numbers (add, remove, label, mark primary). Each is one fieldset posted as a
 * whole; the API's errors (`address.city`, `phones.1.raw`) show beside their own input.
 */

interface GroupInputProps {
  /** The field's name: its inputs are named `<field>.<part>`. */
  field: string;
  label: string;
  /** The record's value (or the re-posted one). */
  value: unknown;
  fieldErrors?: Record<string, string[]> | undefined;
  hint?: string | undefined;
  hideLabel?: boolean | undefined;
  autoFocus?: boolean | undefined;
  className?: string | undefined;
}

function Legend({ label, hidden }: { label: string; hidden: boolean | undefined }) {
  return (
    <legend className={hidden ? "sr-only" : "mb-1.5 text-sm font-medium text-slate-800"}>
      {label}
    </legend>
  );
}

function GroupMessage({ id, errors, hint }: { id: string; errors: string[]; hint?: string }) {
  if (errors.length > 0) {
    return (
      <p id={id} className="mt-1.5 text-xs font-medium text-red-700">
        {errors.join(" ")}
      </p>
    );
  }
  return hint ? <p className="mt-1.5 text-xs text-slate-600">{hint}</p> : null;
}

export function AddressInput({
  field,
  label,
  value,
  fieldErrors,
  hideLabel,
  autoFocus,
  className,
}: GroupInputProps) {
  const errorId = useId();
  const address = asAddress(value);
  const errors = fieldErrors?.[field] ?? [];
  return (
    <fieldset
      className={cx("@container", className)}
      aria-describedby={errors.length > 0 ? errorId : undefined}
    >
      <Legend label={label} hidden={hideLabel} />
      <div className="grid gap-3 @sm:grid-cols-2">
        {ADDRESS_PARTS.map((part, index) => {
          const name = addressInputName(field, part.key);
          return (
            <TextField
              key={part.key}
              label={part.label}
              name={name}
              defaultValue={address[part.key] ?? ""}
              errors={fieldErrors?.[name]}
              autoFocus={autoFocus && index === 0}
              className={part.key === "street" ? "@sm:col-span-2" : undefined}
            />
          );
        })}
      </div>
      <GroupMessage id={errorId} errors={errors} />
    </fieldset>
  );
}

/** An address as a postal block, one line each. */
export function AddressBlock({ lines }: { lines: string[] }) {
  return (
    <span className="block">
      {lines.map((line) => (
        <span key={line} className="block">
          {line}
        </span>
      ))}
    </span>
  );
}

const CHANNEL_INPUTS: Record<
  ChannelListKind,
  { noun: string; type: "email" | "tel"; placeholder: string; labels: string[] }
> = {
  email_list: {
    noun: "email",
    type: "email",
    placeholder: "name@company.com",
    labels: ["work", "personal"],
  },
  phone_list: {
    noun: "phone",
    type: "tel",
    placeholder: "+1 415 555 0100",
    labels: ["work", "mobile", "home"],
  },
};

type KeyedRow = ChannelRow & { key: number };

const blankRow = (primary: boolean): ChannelRow => ({ value: "", label: "", primary });

/** The rows being edited: adding, removing, typing and choosing the primary one. */
function useChannelRows(initial: ChannelRow[]) {
  const nextKey = useRef(0);
  const keyed = (row: ChannelRow): KeyedRow => ({ ...row, key: nextKey.current++ });
  const [rows, setRows] = useState(() =>
    (initial.length > 0 ? initial : [blankRow(true)]).map(keyed),
  );
  return {
    rows,
    add: () => setRows((current) => [...current, keyed(blankRow(current.length === 0))]),
    remove: (index: number) =>
      setRows((current) => {
        const rest = current.filter((_, at) => at !== index);
        const [first, ...others] = rest;
        if (!first || rest.some((row) => row.primary)) return rest;
        return [{ ...first, primary: true }, ...others];
      }),
    change: (index: number, change: Partial<ChannelRow>) =>
      setRows((current) => current.map((row, at) => (at === index ? { ...row, ...change } : row))),
    makePrimary: (index: number) =>
      setRows((current) => current.map((row, at) => ({ ...row, primary: at === index }))),
  };
}

/**
 * A contact's e-mail addresses or phone numbers, one row each. Adding and removing rows needs
 * JavaScript; without it, clearing a row removes its entry when saved.
 */
export function ChannelListInput({
  kind,
  field,
  label,
  value,
  fieldErrors,
  hint,
  hideLabel,
  autoFocus,
  className,
}: GroupInputProps & { kind: ChannelListKind }) {
  const valueKey = CHANNEL_VALUE_KEYS[kind];
  const { noun, type, placeholder, labels } = CHANNEL_INPUTS[kind];
  const { rows, add, remove, change, makePrimary } = useChannelRows(
    rowsFromEntries(value, valueKey),
  );
  const hydrated = useHydrated();
  const listId = useId();
  const fieldsetRef = useRef<HTMLFieldSetElement>(null);
  const [focusRow, setFocusRow] = useState<number | null>(null);
  useEffect(() => {
    if (focusRow === null) return;
    // The row's input, or "Add" once no row is left.
    const name = rowInputName(field, Math.min(focusRow, rows.length - 1), valueKey);
    fieldsetRef.current?.querySelector<HTMLElement>(`[name="${name}"], [data-add-row]`)?.focus();
    setFocusRow(null);
  }, [focusRow, rows.length, field, valueKey]);

  const errors = channelErrors(rows, fieldErrors, field, valueKey);
  return (
    <fieldset
      ref={fieldsetRef}
      className={className}
      aria-describedby={errors.list.length > 0 ? `${listId}-error` : undefined}
    >
      <Legend label={label} hidden={hideLabel} />
      <datalist id={listId}>
        {labels.map((option) => (
          <option key={option} value={option} />
        ))}
      </datalist>
      <ul className="space-y-3">
        {rows.map((row, index) => {
          const name = `${noun} ${index + 1}`;
          return (
            <li key={row.key} className="space-y-2">
              <TextField
                label={name.charAt(0).toUpperCase() + name.slice(1)}
                hideLabel
                type={type}
                name={rowInputName(field, index, valueKey)}
                value={row.value}
                onChange={(event) => change(index, { value: event.target.value })}
                placeholder={placeholder}
                errors={errors.rows[index]?.value}
                autoFocus={autoFocus && index === 0}
              />
              <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
                <TextField
                  label={`Label for ${name}`}
                  hideLabel
                  name={rowInputName(field, index, "label")}
                  value={row.label}
                  onChange={(event) => change(index, { label: event.target.value })}
                  placeholder="Label, e.g. work"
                  list={listId}
                  errors={errors.rows[index]?.label}
                  className="w-36"
                />
                {rows.length > 1 ? (
                  <label className="flex items-center gap-1.5 text-sm text-slate-800">
                    <input
                      type="radio"
                      name={primaryInputName(field)}
                      value={index}
                      checked={row.primary}
                      onChange={() => makePrimary(index)}
                      className={cx("size-4 accent-indigo-600", focusRing)}
                    />
                    Primary<span className="sr-only"> {name}</span>
                  </label>
                ) : null}
                {hydrated ? (
                  <Button
                    type="button"
                    size="sm"
                    variant="ghost"
                    className="ml-auto"
                    onClick={() => {
                      remove(index);
                      setFocusRow(Math.max(index - 1, 0));
                    }}
                  >
                    Remove<span className="sr-only"> {name}</span>
                  </Button>
                ) : null}
              </div>
            </li>
          );
        })}
      </ul>
      <GroupMessage id={`${listId}-error`} errors={errors.list} hint={hint} />
      {hydrated ? (
        <Button
          type="button"
          size="sm"
          variant="secondary"
          className="mt-3"
          data-add-row
          onClick={() => {
            add();
            setFocusRow(rows.length);
          }}
        >
          Add {noun}
        </Button>
      ) : null}
    </fieldset>
  );
}

interface ChannelItem {
  key: string;
  text: string;
  href: string;
  label?: string | undefined;
  primary: boolean;
  action?: ReactNode;
}

/** Addresses or numbers as links, each with its label; the primary one marked among several. */
function ChannelItems({ items }: { items: ChannelItem[] }) {
  const several = items.length > 1;
  return (
    <ul className="space-y-1.5">
      {items.map((item) => {
        const note = [item.label, several && item.primary ? "primary" : null].filter(Boolean);
        return (
          <li key={item.key} className="flex min-w-0 flex-wrap items-center gap-x-2 gap-y-1">
            {/* A long address breaks anywhere instead of running past its column. */}
            <a
              href={item.href}
              className={cx(
                "min-w-0 rounded-sm text-indigo-700 wrap-anywhere hover:text-indigo-600",
                focusRing,
              )}
            >
              {item.text}
            </a>
            {note.length > 0 ? (
              <span className="text-xs text-slate-500">{note.join(" · ")}</span>
            ) : null}
            {item.action}
          </li>
        );
      })}
    </ul>
  );
}

export function EmailList({ emails }: { emails: ContactEmail[] }) {
  return (
    <ChannelItems
      items={emails.map((entry) => ({
        key: entry.email,
        text: entry.email,
        href: `mailto:${entry.email}`,
        label: entry.label,
        primary: entry.primary,
      }))}
    />
  );
}

/** Phone numbers as tel: links; `action` adds a control beside each (a Call button). */
export function PhoneList({
  phones,
  action,
}: {
  phones: ContactPhone[];
  action?: (phone: ContactPhone) => ReactNode;
}) {
  return (
    <ChannelItems
      items={phones.map((entry) => ({
        key: `${entry.raw}:${entry.e164}`,
        text: entry.raw,
        href: `tel:${entry.e164 ?? entry.raw}`,
        label: entry.label,
        primary: entry.primary,
        action: action?.(entry),
      }))}
    />
  );
}
