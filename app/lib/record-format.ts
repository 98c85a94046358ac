/*
 * How CRM values read on screen: option labels, money from minor units, dates. Shared by the
 * server (loaders, actions) and the browser, so it uses fixed locales and time zones where a
 * difference would break hydration.
 */

import { currencyDigits } from "./money-format";

export { currencyDigits, formatMoney } from "./money-format";

export const LIFECYCLE_STAGES = [
  { value: "subscriber", label: "Subscriber" },
  { value: "lead", label: "Lead" },
  { value: "marketing_qualified", label: "Marketing qualified" },
  { value: "sales_qualified", label: "Sales qualified" },
  { value: "opportunity", label: "Opportunity" },
  { value: "customer", label: "Customer" },
  { value: "evangelist", label: "Evangelist" },
  { value: "other", label: "Other" },
] as const;

export const LEAD_STATUSES = [
  { value: "new", label: "New" },
  { value: "contacted", label: "Contacted" },
  { value: "qualified", label: "Qualified" },
  { value: "unqualified", label: "Unqualified" },
] as const;

export const COMPANY_SIZES = [
  { value: "1-10", label: "1–10" },
  { value: "11-50", label: "11–50" },
  { value: "51-200", label: "51–200" },
  { value: "201-1000", label: "201–1,000" },
  { value: "1000+", label: "1,000+" },
] as const;

export const CURRENCIES = ["USD", "EUR", "GBP", "CAD", "AUD", "CHF", "JPY", "INR", "BRL", "MXN"];

export function labelOf(
  options: readonly { value: string; label: string }[],
  value: string | null | undefined,
) {
  if (!value) return "";
  return options.find((option) => option.value === value)?.label ?? value;
}

/** The amount as typed into a form: 123450 USD is "1234.50". */
export function moneyInputValue(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  return (minor / 10 ** digits).toFixed(digits);
}

/**
 * Minor units from what a person typed ("1,234.5", "1234", "$99.99"), or null when it is not
 * an amount in this currency (negative, too many decimals, not a number).
 */
export function parseMoney(text: string, currency: string): number | null {
  const cleaned = text.replace(/[\s,]/g, "").replace(/^[^\d.]+/, "");
  if (!/^\d+(\.\d+)?$/.test(cleaned)) return null;
  const digits = currencyDigits(currency);
  const [whole = "0", fraction = ""] = cleaned.split(".");
  if (fraction.length > digits) return null;
  const minor = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
  return Number.isSafeInteger(minor) ? minor : null;
}

const dateFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" });
const dateTimeFormat = new Intl.DateTimeFormat("en-US", {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: "UTC",
});

/** A calendar date ("2026-11-30") or an instant's UTC day, e.g. "Nov 30, 2026". */
export function formatDay(value: string | null | undefined): string {
  if (!value) return "";
  const date = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  return Number.isNaN(date.getTime()) ? value : dateFormat.format(date);
}

/** An instant in UTC (what the server renders before the browser shows local time). */
export function formatInstantUtc(iso: string): string {
  return `${dateTimeFormat.format(new Date(iso))} UTC`;
}

export function formatInstantLocal(iso: string): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(
    new Date(iso),
  );
}

export function fullName(person: { firstName: string; lastName: string }) {
  return `${person.firstName} ${person.lastName}`.trim();
}
