import { Form } from "@remix-run/react";
import { useId } from "react";
import { Button, controlClass, cx, focusRing, Section, SelectField } from "../../components/ui";
import { type FormFailure, failureFor } from "../../lib/forms";
import { formatDay } from "../../lib/record-format";
import { useSubmitting } from "../../lib/use-pending";
import type { LoaderData } from "./route";
import type { ActionSuccess } from "./sla.server";

/*
 * The business calendar that targets counted in business hours use: its time zone, the
 * working hours of each weekday (up to four periods, or closed) and the holidays.
 */

type ActionData = ActionSuccess | FormFailure | undefined;
type Period = { start: string; end: string };

/** Monday first on screen; the calendar stores Sunday first (index 0). */
const DAYS = [
  [1, "Monday"],
  [2, "Tuesday"],
  [3, "Wednesday"],
  [4, "Thursday"],
  [5, "Friday"],
  [6, "Saturday"],
  [0, "Sunday"],
] as const;
const PERIODS_PER_DAY = 4;

export function CalendarSection({
  data,
  actionData,
  readOnly,
}: {
  data: LoaderData;
  actionData: ActionData;
  readOnly: boolean;
}) {
  const failure = failureFor(actionData, "save-calendar");
  const saving = useSubmitting("save-calendar");
  return (
    <Section
      id="business-hours"
      title="Business hours"
      description="Targets counted in business hours only run during these hours, in this time zone, and never on holidays."
    >
      <Form
        key={`${data.calendar.timeZone}:${JSON.stringify(data.calendar.week)}`}
        method="post"
        className="space-y-4 px-5 py-4"
        noValidate
        preventScrollReset
      >
        <input type="hidden" name="intent" value="save-calendar" />
        <SelectField
          label="Time zone"
          name="timeZone"
          options={data.timeZones}
          defaultValue={failure?.values.timeZone ?? data.calendar.timeZone}
          errors={failure?.fieldErrors.timeZone}
          disabled={readOnly}
          className="max-w-sm"
        />
        <fieldset>
          <legend className="mb-1.5 text-sm font-medium text-slate-800">Working hours</legend>
          {readOnly ? null : (
            <p className="-mt-1 mb-2 text-xs text-slate-600">
              Untick a day to close it. Times are 24-hour (09:00 to 17:30).
            </p>
          )}
          <div className="divide-y divide-slate-100 rounded-md ring-1 ring-slate-200">
            {DAYS.map(([day, name]) => (
              <DayRow
                key={day}
                day={day}
                name={name}
                periods={data.calendar.week[day] ?? []}
                failure={failure}
                readOnly={readOnly}
              />
            ))}
          </div>
        </fieldset>
        {readOnly ? null : <Button pending={saving}>Save business hours</Button>}
      </Form>
      <Holidays data={data} actionData={actionData} readOnly={readOnly} />
    </Section>
  );
}

/** The day's periods as the form shows them: the posted ones after a failure, else the saved. */
function shownPeriods(day: number, saved: Period[], failure: FormFailure | undefined) {
  if (!failure) return { open: saved.length > 0, periods: saved };
  const periods: Period[] = [];
  for (let n = 0; n < PERIODS_PER_DAY; n++) {
    const start = failure.values[`day.${day}.${n}.start`] ?? "";
    const end = failure.values[`day.${day}.${n}.end`] ?? "";
    if (start || end || n === 0) periods.push({ start, end });
  }
  return { open: failure.values[`day.${day}.open`] === "on", periods };
}

function DayRow({
  day,
  name,
  periods: saved,
  failure,
  readOnly,
}: {
  day: number;
  name: string;
  periods: Period[];
  failure: FormFailure | undefined;
  readOnly: boolean;
}) {
  const openId = useId();
  const { open, periods } = shownPeriods(day, saved, failure);
  const rows = periods.length > 0 ? periods : [{ start: "09:00", end: "17:00" }];
  const errors = Object.entries(failure?.fieldErrors ?? {})
    .filter(([field]) => field.startsWith(`day.${day}.`))
    .flatMap(([, messages]) => messages);
  return (
    <div
      className="group flex flex-wrap items-start gap-x-4 gap-y-2 px-3 py-2.5"
      data-testid={`day-${day}`}
    >
      <div className="flex w-32 shrink-0 items-center gap-2 pt-1.5">
        <input
          id={openId}
          type="checkbox"
          name={`day.${day}.open`}
          data-day-open
          defaultChecked={open}
          disabled={readOnly}
          className={cx("size-4 rounded border-slate-300 accent-indigo-600", focusRing)}
        />
        <label htmlFor={openId} className="text-sm text-slate-900">
          {name}
        </label>
      </div>
      {/* A closed day's hours hide until it is ticked open again (CSS only). */}
      <p className="hidden pt-1.5 text-sm text-slate-500 group-has-[[data-day-open]:not(:checked)]:block">
        Closed
      </p>
      <div className="min-w-0 space-y-2 group-has-[[data-day-open]:not(:checked)]:hidden">
        {rows.map((period, n) => (
          <PeriodInputs
            // biome-ignore lint/suspicious/noArrayIndexKey: the period's place is its name
            key={n}
            day={day}
            n={n}
            dayName={name}
            period={period}
            failure={failure}
            readOnly={readOnly}
          />
        ))}
        {!readOnly && rows.length < PERIODS_PER_DAY ? (
          <details>
            <summary className="cursor-pointer text-xs font-medium text-indigo-700">
              Add a period<span className="sr-only"> on {name}</span>
            </summary>
            <div className="mt-2">
              <PeriodInputs
                day={day}
                n={rows.length}
                dayName={name}
                period={{ start: "", end: "" }}
                failure={failure}
                readOnly={readOnly}
              />
            </div>
          </details>
        ) : null}
        {errors.length > 0 ? (
          <p className="text-xs font-medium text-red-700" data-testid={`day-${day}-error`}>
            {errors.join(" ")}
          </p>
        ) : null}
      </div>
    </div>
  );
}

function PeriodInputs({
  day,
  n,
  dayName,
  period,
  failure,
  readOnly,
}: {
  day: number;
  n: number;
  dayName: string;
  period: Period;
  failure: FormFailure | undefined;
  readOnly: boolean;
}) {
  const name = `day.${day}.${n}`;
  const invalid = (part: string) => Boolean(failure?.fieldErrors[`${name}.${part}`]);
  const input = (part: "start" | "end", label: string) => (
    <input
      name={`${name}.${part}`}
      defaultValue={period[part]}
      readOnly={readOnly}
      inputMode="numeric"
      placeholder={part === "start" ? "09:00" : "17:00"}
      maxLength={5}
      aria-label={`${dayName} ${label}${n > 0 ? ` (period ${n + 1})` : ""}`}
      aria-invalid={invalid(part) || undefined}
      className={cx(controlClass(invalid(part), "sm"), "px-2 text-center tabular-nums")}
    />
  );
  return (
    <div className="grid grid-cols-[5rem_auto_5rem] items-center gap-2 text-sm text-slate-600">
      {input("start", "from")}
      <span aria-hidden="true">to</span>
      {input("end", "until")}
    </div>
  );
}

function Holidays({
  data,
  actionData,
  readOnly,
}: {
  data: LoaderData;
  actionData: ActionData;
  readOnly: boolean;
}) {
  const failure = failureFor(actionData, "add-holiday");
  const adding = useSubmitting("add-holiday");
  const fieldId = useId();
  const added = actionData?.ok && actionData.intent === "add-holiday";
  const { holidays } = data.calendar;
  return (
    <div className="space-y-3 border-t border-slate-200 px-5 py-4">
      <h3 className="text-sm font-semibold text-slate-900">Holidays</h3>
      {holidays.length === 0 ? (
        <p className="text-sm text-slate-600">No holidays.</p>
      ) : (
        <ul className="flex flex-wrap gap-2" data-testid="holidays">
          {holidays.map((holiday) => (
            <li
              key={holiday}
              className="flex items-center gap-1 rounded-md bg-slate-100 py-0.5 pr-0.5 pl-2 text-sm text-slate-800"
            >
              <time dateTime={holiday}>{formatDay(holiday)}</time>
              {readOnly ? null : <RemoveHoliday holiday={holiday} />}
            </li>
          ))}
        </ul>
      )}
      {readOnly ? null : (
        <Form
          key={added ? `added-${holidays.length}` : "holiday"}
          method="post"
          className="flex flex-wrap items-end gap-2"
          noValidate
          preventScrollReset
        >
          <input type="hidden" name="intent" value="add-holiday" />
          <div>
            <label htmlFor={fieldId} className="mb-1 block text-xs font-medium text-slate-700">
              Add a holiday
            </label>
            <input
              id={fieldId}
              type="date"
              name="holiday"
              defaultValue={failure?.values.holiday}
              aria-invalid={Boolean(failure) || undefined}
              aria-describedby={failure ? `${fieldId}-error` : undefined}
              className={controlClass(Boolean(failure), "sm")}
            />
          </div>
          <Button size="sm" variant="secondary" pending={adding}>
            Add
          </Button>
          {failure ? (
            <p id={`${fieldId}-error`} className="w-full text-xs font-medium text-red-700">
              {failure.fieldErrors.holiday?.join(" ") ?? failure.message}
            </p>
          ) : null}
        </Form>
      )}
    </div>
  );
}

function RemoveHoliday({ holiday }: { holiday: string }) {
  const removing = useSubmitting("remove-holiday", { name: "holiday", value: holiday });
  return (
    <Form method="post" preventScrollReset>
      <input type="hidden" name="intent" value="remove-holiday" />
      <input type="hidden" name="holiday" value={holiday} />
      <button
        type="submit"
        disabled={removing}
        className={cx(
          "rounded px-1.5 text-slate-500 hover:bg-slate-200 hover:text-slate-900",
          focusRing,
        )}
      >
        <span aria-hidden="true">×</span>
        <span className="sr-only">Remove the holiday {holiday}</span>
      </button>
    </Form>
  );
}
