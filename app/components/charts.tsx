import { type ReactNode, useId } from "react";
import { currencyDigits, formatMoney } from "../lib/money-format";
import { cx } from "./ui";

/*
 * Small hand-made SVG charts. Each one is an image for assistive technology (role="img" with a
 * one-sentence summary) followed by a visually hidden table holding the same numbers, so screen
 * reader users can read every value. Horizontal positions are percentages, so the SVG stretches
 * to its container while text keeps its size.
 */

// ---------------------------------------------------------------------------------------------
// Money (amounts are integer minor units; see app/lib/record-format.ts)

/** Short money for chart labels: 1234500 USD is "$12.3K". */
export function formatCompactMoney(minorUnits: number, currency: string): string {
  const value = minorUnits / 10 ** currencyDigits(currency);
  try {
    return new Intl.NumberFormat("en-US", {
      style: "currency",
      currency,
      notation: "compact",
      maximumFractionDigits: 1,
    }).format(value);
  } catch {
    return formatMoney(minorUnits, currency);
  }
}

/** Per-currency sums, largest first, as "$1,200.00 + €300.00" (an em dash when empty). */
export function formatTotals(
  totals: Record<string, number> | { currency: string; amount: number }[],
  options: { compact?: boolean } = {},
): string {
  const entries = Array.isArray(totals)
    ? totals.map((total) => [total.currency, total.amount] as const)
    : Object.entries(totals);
  const shown = entries
    .filter(([, amount]) => amount !== 0)
    .sort((a, b) => b[1] - a[1])
    .map(([currency, amount]) =>
      options.compact ? formatCompactMoney(amount, currency) : formatMoney(amount, currency),
    );
  return shown.length > 0 ? shown.join(" + ") : "—";
}

const integerFormat = new Intl.NumberFormat("en-US");
export const formatCount = (value: number) => integerFormat.format(value);

// ---------------------------------------------------------------------------------------------
// Headline numbers

/** A row of headline numbers ("Open deals 12"), each on its own card. */
export function StatList({
  items,
}: {
  items: { label: string; value: string; detail?: string }[];
}) {
  return (
    <dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
      {items.map((item) => (
        <div key={item.label} className="rounded-lg bg-white px-5 py-4 ring-1 ring-slate-200">
          <dt className="text-xs font-medium text-slate-600">{item.label}</dt>
          <dd className="mt-1 truncate text-xl font-semibold tracking-tight text-slate-900 tabular-nums">
            {item.value}
          </dd>
          {item.detail ? <dd className="mt-0.5 text-xs text-slate-600">{item.detail}</dd> : null}
        </div>
      ))}
    </dl>
  );
}

// ---------------------------------------------------------------------------------------------
// Charts

export interface ChartDatum {
  label: string;
  value: number;
  /** How the value reads (on the bar, in the summary): "$12k", "3 deals". */
  display: string;
  /** A second line under the label (vertical bars) or after the value (horizontal bars). */
  detail?: string;
  tone?: ChartTone;
  /**
   * Vertical bars only: the value split into stacked segments, one per `series` entry of the
   * chart (bottom first); their sum should be `value`.
   */
  parts?: number[];
}

export type ChartTone = keyof typeof barTones;

/** One stacked segment kind of a `BarChart`, named in the legend. */
export interface ChartSeries {
  label: string;
  tone: ChartTone;
}

export interface DataColumn {
  header: string;
  /** One cell per datum, in the same order as `data`. */
  cells: ReactNode[];
}

const barTones = {
  accent: "fill-indigo-500",
  success: "fill-emerald-500",
  warning: "fill-amber-400",
  muted: "fill-slate-300",
} as const;

const swatchTones: Record<ChartTone, string> = {
  accent: "bg-indigo-500",
  success: "bg-emerald-500",
  warning: "bg-amber-400",
  muted: "bg-slate-300",
};

interface ChartFrameProps {
  title: string;
  description?: ReactNode;
  /** The first column of the hidden table ("Stage", "Month", ...). */
  labelHeader: string;
  data: ChartDatum[];
  /** The hidden table's columns after the label (at least the charted value). */
  columns: DataColumn[];
  empty?: string;
  children: ReactNode;
  actions?: ReactNode;
  /** Stacked series, shown as a legend under the chart. */
  series?: ChartSeries[];
}

/** A titled chart card: the SVG, a one-line summary for screen readers and the data table. */
function ChartFrame({
  title,
  description,
  labelHeader,
  data,
  columns,
  empty,
  children,
  actions,
  series,
}: ChartFrameProps) {
  const id = useId();
  const hasData = data.some((datum) => datum.value > 0);
  return (
    <figure
      aria-labelledby={`${id}-title`}
      className="flex min-w-0 flex-col rounded-lg bg-white ring-1 ring-slate-200"
    >
      <div className="flex items-start justify-between gap-3 border-b border-slate-200 px-5 py-4">
        <div className="min-w-0">
          <figcaption id={`${id}-title`} className="text-sm font-semibold text-slate-900">
            {title}
          </figcaption>
          {description ? <p className="mt-0.5 text-xs text-slate-600">{description}</p> : null}
        </div>
        {actions}
      </div>
      <div className="px-5 py-4">
        {hasData ? children : <p className="py-8 text-center text-sm text-slate-600">{empty}</p>}
        {hasData && series ? (
          <ul
            aria-hidden="true"
            className="mt-3 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600"
          >
            {series.map((entry) => (
              <li key={entry.label} className="flex items-center gap-1.5">
                <span className={cx("size-2.5 rounded-sm", swatchTones[entry.tone])} />
                {entry.label}
              </li>
            ))}
          </ul>
        ) : null}
        {/* A table ignores its width: the wrapper keeps it from widening a narrow page. */}
        <div className="sr-only">
          <table>
            {/* Named apart from the figure: one accessible name per element on the page. */}
            <caption>{title}, in numbers</caption>
            <thead>
              <tr>
                <th scope="col">{labelHeader}</th>
                {columns.map((column) => (
                  <th key={column.header} scope="col">
                    {column.header}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.map((datum, row) => (
                <tr key={datum.label}>
                  <th scope="row">{datum.label}</th>
                  {columns.map((column) => (
                    <td key={column.header}>{column.cells[row]}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </figure>
  );
}

function summaryOf(title: string, data: ChartDatum[]) {
  return `${title}: ${data.map((datum) => `${datum.label} ${datum.display}`).join("; ")}.`;
}

const VERTICAL_HEIGHT = 200;
const VALUE_BAND = 18;
const LABEL_BAND = 34;

/**
 * Vertical bars, one per datum, with the value above each bar and the label below. With
 * `series`, each bar stacks its datum's `parts` in the series' tones.
 */
export function BarChart(props: Omit<ChartFrameProps, "children">) {
  const { data, title, series } = props;
  const max = Math.max(1, ...data.map((datum) => datum.value));
  const plot = VERTICAL_HEIGHT - VALUE_BAND - LABEL_BAND;
  const slot = 100 / Math.max(1, data.length);
  const barWidth = slot * 0.62;
  const baseline = VALUE_BAND + plot;
  const small = data.length > 8;
  return (
    <ChartFrame {...props}>
      <svg
        role="img"
        aria-label={summaryOf(title, data)}
        width="100%"
        height={VERTICAL_HEIGHT}
        className="block overflow-visible"
      >
        {[0.25, 0.5, 0.75, 1].map((fraction) => (
          <line
            key={fraction}
            x1="0"
            x2="100%"
            y1={baseline - plot * fraction}
            y2={baseline - plot * fraction}
            className="stroke-slate-100"
          />
        ))}
        {data.map((datum, index) => {
          const height = datum.value > 0 ? Math.max(2, (datum.value / max) * plot) : 0;
          const center = `${slot * index + slot / 2}%`;
          return (
            <g key={datum.label}>
              <title>{`${datum.label}: ${datum.display}${datum.detail ? ` (${datum.detail})` : ""}`}</title>
              {series && datum.parts ? (
                <StackedBar
                  parts={datum.parts}
                  series={series}
                  x={`${slot * index + (slot - barWidth) / 2}%`}
                  width={`${barWidth}%`}
                  baseline={baseline}
                  height={height}
                />
              ) : (
                <rect
                  x={`${slot * index + (slot - barWidth) / 2}%`}
                  width={`${barWidth}%`}
                  y={baseline - height}
                  height={height}
                  rx="3"
                  className={barTones[datum.tone ?? "accent"]}
                />
              )}
              {datum.value > 0 ? (
                <text
                  x={center}
                  y={baseline - height - 5}
                  textAnchor="middle"
                  className={cx(
                    "fill-slate-700 font-medium",
                    small ? "text-[10px]" : "text-[11px]",
                  )}
                >
                  {datum.display}
                </text>
              ) : null}
              <text
                x={center}
                y={baseline + 15}
                textAnchor="middle"
                className={cx("fill-slate-600", small ? "text-[10px]" : "text-[11px]")}
              >
                {truncate(datum.label, small ? 6 : 14)}
              </text>
              {datum.detail ? (
                <text
                  x={center}
                  y={baseline + 29}
                  textAnchor="middle"
                  className="fill-slate-500 text-[10px]"
                >
                  {datum.detail}
                </text>
              ) : null}
            </g>
          );
        })}
        <line x1="0" x2="100%" y1={baseline} y2={baseline} className="stroke-slate-300" />
      </svg>
    </ChartFrame>
  );
}

/** One bar of `height` split into segments proportional to `parts`, the first at the bottom. */
function StackedBar({
  parts,
  series,
  x,
  width,
  baseline,
  height,
}: {
  parts: number[];
  series: ChartSeries[];
  x: string;
  width: string;
  baseline: number;
  height: number;
}) {
  const total = parts.reduce((sum, part) => sum + Math.max(0, part), 0);
  if (total <= 0) return null;
  let top = baseline;
  return (
    <>
      {parts.map((part, index) => {
        const segment = (Math.max(0, part) / total) * height;
        top -= segment;
        return segment > 0 ? (
          <rect
            // biome-ignore lint/suspicious/noArrayIndexKey: segments are positional (one per series)
            key={index}
            x={x}
            width={width}
            y={top}
            height={segment}
            rx="1.5"
            className={barTones[series[index]?.tone ?? "accent"]}
          />
        ) : null;
      })}
    </>
  );
}

/**
 * Horizontal bars, one row per datum: the label, the bar and its value. Built from boxes, not
 * SVG text, so that nothing is cut off at any width: from `sm` the three sit on one line (the
 * values in a column of their own, so bars stay comparable); on a phone the label and value
 * share a line above a full-width bar.
 */
export function HorizontalBarChart(props: Omit<ChartFrameProps, "children">) {
  const { data, title } = props;
  const max = Math.max(1, ...data.map((datum) => datum.value));
  return (
    <ChartFrame {...props}>
      <div
        role="img"
        aria-label={summaryOf(title, data)}
        className="grid gap-y-2 text-xs sm:grid-cols-[minmax(0,30%)_minmax(0,1fr)_auto] sm:gap-x-3"
      >
        {data.map((datum) => {
          const width = datum.value > 0 ? Math.max(0.5, (datum.value / max) * 100) : 0;
          return (
            <div
              key={datum.label}
              title={`${datum.label}: ${datum.display}${datum.detail ? ` (${datum.detail})` : ""}`}
              className="grid grid-cols-[minmax(0,1fr)_auto] items-center gap-x-3 gap-y-1 sm:col-span-3 sm:grid-cols-subgrid"
            >
              <span className="truncate text-slate-700">{datum.label}</span>
              <span className="text-right font-medium whitespace-nowrap text-slate-700 sm:order-last sm:text-left">
                {datum.display}
                {datum.detail ? (
                  <span className="font-normal text-slate-500"> · {datum.detail}</span>
                ) : null}
              </span>
              <span className="col-span-2 block h-4 sm:col-span-1">
                <span
                  className={cx("block h-full rounded-[3px]", swatchTones[datum.tone ?? "accent"])}
                  style={{ width: `${width}%` }}
                />
              </span>
            </div>
          );
        })}
      </div>
    </ChartFrame>
  );
}

function truncate(text: string, max: number) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
