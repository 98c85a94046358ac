import { useId } from "react";
import { TICKET_PRIORITIES } from "../../../shared/desk";
import type { SlaPolicyView } from "../../../worker/sla/schemas";
import { controlClass, cx, focusRing } from "../../components/ui";
import type { FormFailure } from "../../lib/forms";
import { PRIORITY_LABELS } from "../app.tickets/ticket-format";
import { formatDuration } from "./durations";

/* The inputs of one SLA policy: its three targets (hours and minutes) and how they count. */

export const TARGETS = [
  { suffix: "first", field: "firstResponseMinutes", label: "First response" },
  { suffix: "next", field: "nextResponseMinutes", label: "Next response" },
  { suffix: "resolution", field: "resolutionMinutes", label: "Resolution" },
] as const;

export type PolicyTargets = Pick<
  SlaPolicyView,
  "firstResponseMinutes" | "nextResponseMinutes" | "resolutionMinutes" | "businessHours"
>;

/** "First response 1h · Resolution 8h", or "No targets". */
export function targetsSummary(policy: PolicyTargets): string {
  const parts = TARGETS.flatMap(({ field, label }) =>
    policy[field] === null ? [] : [`${label} ${formatDuration(policy[field])}`],
  );
  return parts.length > 0 ? parts.join(" · ") : "No targets";
}

export function DurationInput({
  name,
  label,
  defaultValue,
  errors,
  readOnly,
  labelClassName,
}: {
  name: string;
  label: string;
  defaultValue: string;
  errors: string[] | undefined;
  readOnly: boolean;
  labelClassName?: string;
}) {
  const id = useId();
  const invalid = Boolean(errors?.length);
  return (
    <div className="min-w-0">
      <label
        htmlFor={id}
        className={cx("mb-1 block text-xs font-medium text-slate-700", labelClassName)}
      >
        {label}
      </label>
      <input
        id={id}
        name={name}
        defaultValue={defaultValue}
        readOnly={readOnly}
        placeholder="none"
        autoComplete="off"
        spellCheck={false}
        aria-invalid={invalid || undefined}
        aria-describedby={invalid ? `${id}-error` : undefined}
        className={controlClass(invalid, "sm")}
      />
      {invalid ? (
        <p id={`${id}-error`} className="mt-1 text-xs font-medium text-red-700">
          {errors?.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

/** The targets' and business-hours inputs named `<prefix>.first` ... `<prefix>.businessHours`. */
export function PolicyInputs({
  prefix,
  policy,
  failure,
  readOnly,
  compactLabels = false,
}: {
  prefix: string;
  policy: PolicyTargets | undefined;
  failure: FormFailure | undefined;
  readOnly: boolean;
  /** Labels shown only on phones (a header row names the columns on wider screens). */
  compactLabels?: boolean;
}) {
  const checkboxId = useId();
  const value = (suffix: string, minutes: number | null | undefined) =>
    failure?.values[`${prefix}.${suffix}`] ?? formatDuration(minutes ?? null);
  const businessHours = failure
    ? failure.values[`${prefix}.businessHours`] === "on"
    : (policy?.businessHours ?? true);
  return (
    <>
      {TARGETS.map(({ suffix, field, label }) => (
        <DurationInput
          key={suffix}
          name={`${prefix}.${suffix}`}
          label={label}
          labelClassName={compactLabels ? "sm:sr-only" : undefined}
          defaultValue={value(suffix, policy?.[field])}
          errors={failure?.fieldErrors[`${prefix}.${suffix}`]}
          readOnly={readOnly}
        />
      ))}
      <div
        className={cx(
          "col-span-3 flex items-center gap-2 sm:col-span-1",
          compactLabels ? "sm:pt-0" : "sm:pt-5",
        )}
      >
        <input
          id={checkboxId}
          type="checkbox"
          name={`${prefix}.businessHours`}
          defaultChecked={businessHours}
          disabled={readOnly}
          className={cx("size-4 rounded border-slate-300 accent-indigo-600", focusRing)}
        />
        <label htmlFor={checkboxId} className="text-xs text-slate-700">
          Business hours
        </label>
      </div>
    </>
  );
}

export const PRIORITY_OPTIONS = TICKET_PRIORITIES.map((value) => ({
  value,
  label: PRIORITY_LABELS[value],
}));
