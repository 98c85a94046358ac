import { inArray } from "drizzle-orm";
import { COMPANY_SIZES } from "../../companies/schemas";
import { companies, type PostalAddress } from "../../db/crm-schema";
import { newId } from "../../lib/crypto";
import {
  applyCommon,
  assignFilled,
  createdNow,
  keyValues,
  lockLive,
  OWNER_FIELD,
  TAGS_FIELD,
  writeBatch,
} from "./shared";
import type { EntityImporter, ImportRecord } from "./types";

type CompanyValues = typeof companies.$inferInsert & { id: string };

const ADDRESS_PARTS = ["street", "city", "region", "postalCode", "country"] as const;

function apply(target: CompanyValues, record: ImportRecord) {
  assignFilled(target, record.values, ["name", "domain", "industry", "size"]);
  const address: PostalAddress = { ...target.address };
  assignFilled(address, record.values, [...ADDRESS_PARTS]);
  target.address = address;
  applyCommon(target, record);
}

/** Companies are the same company when they share a web domain. */
export const companyImporter: EntityImporter<CompanyValues> = {
  entity: "company",
  required: [["name"]],
  linksCompany: false,
  fields: {
    name: {
      label: "Name",
      kind: "text",
      max: 200,
      aliases: ["name", "company", "company name", "organization", "organisation", "account name"],
    },
    domain: {
      label: "Domain",
      kind: "domain",
      aliases: ["domain", "website", "web site", "url", "site", "company domain"],
    },
    industry: {
      label: "Industry",
      kind: "text",
      max: 120,
      aliases: ["industry", "sector", "vertical"],
    },
    size: {
      label: "Size",
      kind: "enum",
      options: COMPANY_SIZES,
      aliases: ["size", "company size", "employees", "headcount"],
    },
    street: {
      label: "Street",
      kind: "text",
      max: 200,
      aliases: ["street", "address", "street address"],
    },
    city: { label: "City", kind: "text", max: 200, aliases: ["city", "town"] },
    region: {
      label: "Region / state",
      kind: "text",
      max: 200,
      aliases: ["region", "state", "province"],
    },
    postalCode: {
      label: "Postal code",
      kind: "text",
      max: 20,
      aliases: ["postal code", "postcode", "zip", "zip code"],
    },
    country: { label: "Country", kind: "text", max: 200, aliases: ["country"] },
    tags: TAGS_FIELD,
    owner: OWNER_FIELD,
  },

  newRecord: (context) => ({
    id: newId(),
    orgId: context.scope.actor.orgId,
    name: "",
    address: {},
    tags: [],
    custom: {},
    ownerId: context.defaultOwnerId,
    ...createdNow(),
  }),

  apply,

  duplicateKeys: (values) => (values.domain ? [`domain:${values.domain}`] : []),

  async findExisting(scope, keys) {
    const domains = keyValues(keys, "domain:");
    if (domains.length === 0) return [];
    return lockLive(scope, companies, inArray(companies.domain, domains));
  },

  async write(context, writes) {
    await writeBatch(context.scope.tx, companies, writes, [
      "name",
      "domain",
      "industry",
      "size",
      "address",
      "ownerId",
      "tags",
      "custom",
    ]);
  },
};
