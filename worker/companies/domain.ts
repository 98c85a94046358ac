const DOMAIN_PATTERN =
  /^(?=.{1,253}$)([\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+[\p{L}]{2,63}$/u;

/**
 * A company's web domain as stored: lower-cased, without scheme, "www.", port, path or
 * trailing dot ("https://www.Acme.com/about" -> "acme.com"); null when it is not a domain.
 */
export function normalizeDomain(input: string): string | null {
  const host = input
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, "")
    .replace(/^[^@/]*@/, "")
    .split(/[/?#:]/, 1)[0]
    ?.replace(/\.$/, "")
    .replace(/^www\./, "");
  return host && DOMAIN_PATTERN.test(host) ? host : null;
}
