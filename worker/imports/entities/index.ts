import type { CustomEntity } from "../../custom-fields/validate";
import { companyImporter } from "./companies";
import { contactImporter } from "./contacts";
import { dealImporter } from "./deals";
import { leadImporter } from "./leads";
import type { EntityImporter } from "./types";

export const IMPORT_ENTITIES = ["contact", "company", "lead", "deal"] as const;

const importers: Record<CustomEntity, EntityImporter> = {
  contact: contactImporter,
  company: companyImporter,
  lead: leadImporter,
  deal: dealImporter,
};

export function importerFor(entity: CustomEntity): EntityImporter {
  return importers[entity];
}
