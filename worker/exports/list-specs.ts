import { companyListSpec } from "../companies/service";
import { contactListSpec } from "../contacts/service";
import type { ListSpec } from "../crm/list-query";
import type { CrmEntity } from "../crm/record-tables";
import { dealListSpec } from "../deals/list";
import { leadListSpec } from "../leads/service";

/** An export filters exactly like the entity's list endpoint. */
export const exportListSpecs: Record<CrmEntity, ListSpec> = {
  contact: contactListSpec,
  company: companyListSpec,
  lead: leadListSpec,
  deal: dealListSpec,
};
