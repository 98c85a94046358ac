import { isUuid } from "../lib/crypto";

/*
 * Secrets that name their organization: `<prefix>_<org id without dashes>_<43 random chars>`.
 * The organization part lets the server scope the database lookup (row-level security)
 * before it knows whether the secret is valid. API keys use `sb`, bridge tokens `sbb`.
 */

const SECRET_PART = "[A-Za-z0-9_-]{43}";

export function orgScopedSecret(prefix: string, orgId: string, secret: string): string {
  return `${prefix}_${orgId.replaceAll("-", "")}_${secret}`;
}

export function orgOfScopedSecret(prefix: string, token: string): string | null {
  const match = new RegExp(`^${prefix}_([0-9a-f]{32})_${SECRET_PART}$`).exec(token);
  const hex = match?.[1];
  if (!hex) return null;
  const orgId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return isUuid(orgId) ? orgId : null;
}
