import type { FieldErrors } from "../lib/errors";
import { ApiError } from "../lib/errors";
import type { TenantScope } from "../lib/scope";
import { findLiveRecord } from "./record-tables";

export interface RecordLinks {
  contactId?: string | null | undefined;
  companyId?: string | null | undefined;
  dealId?: string | null | undefined;
}

/**
 * A record may link only to live contacts, companies and deals of the caller's organization: anything
 * else (missing, soft-deleted, another organization's) is a 422 on `contactId` / `companyId` /
 * `dealId`.
 */
export async function assertLinkedRecords(scope: TenantScope, links: RecordLinks) {
  const errors: FieldErrors = {};
  if (links.contactId && !(await findLiveRecord(scope, "contact", links.contactId))) {
    errors.contactId = ["No such contact."];
  }
  if (links.companyId && !(await findLiveRecord(scope, "company", links.companyId))) {
    errors.companyId = ["No such company."];
  }
  if (links.dealId && !(await findLiveRecord(scope, "deal", links.dealId))) {
    errors.dealId = ["No such deal."];
  }
  if (Object.keys(errors).length > 0) throw ApiError.validation(errors);
}
