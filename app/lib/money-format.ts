/*
 * Money from minor units, apart from the rest of record-format.ts (which re-exports it), so
 * the dashboard's charts do not download the CRM's option lists and date formats.
 */

/** Digits after the decimal point in this currency (2 for USD, 0 for JPY). */
export function currencyDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat("en-US", { style: "currency", currency }).resolvedOptions()
        .maximumFractionDigits ?? 2
    );
  } catch {
    return 2;
  }
}

/** 123450 USD minor units reads "$1,234.50". */
export function formatMoney(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  const value = minor / 10 ** digits;
  try {
    return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(value);
  } catch {
    return `${value.toFixed(digits)} ${currency}`;
  }
}
