import type { CrmEntity } from "../../../shared/crm";
import { companyImporter } from "./companies";
import { contactImporter } from "./contacts";
import { dealImporter } from "./deals";
import { leadImporter } from "./leads";
import type { EntityImporter } from "./types";

export const IMPORT_ENTITIES = ["contact", "company", "lead", "deal"] as const;

const importers: Record<CrmEntity, EntityImporter> = {
  contact: contactImporter,
  company: companyImporter,
  lead: leadImporter,
  deal: dealImporter,
};

export function importerFor(entity: CrmEntity): EntityImporter {
  return importers[entity];
}
