import { leadStatus, leads } from "../../db/crm-schema";
import { newId } from "../../lib/crypto";
import {
  applyCommon,
  assignFilled,
  COMPANY_FIELD,
  createdNow,
  lockLive,
  OWNER_FIELD,
  TAGS_FIELD,
  titleIn,
  titleKey,
  writeBatch,
} from "./shared";
import type { EntityImporter, ImportRecord } from "./types";

type LeadValues = typeof leads.$inferInsert & { id: string };

function apply(target: LeadValues, record: ImportRecord) {
  assignFilled(target, record.values, ["title", "source", "status", "score"]);
  applyCommon(target, record);
}

/** Leads are the same lead when their titles match (ignoring case). */
export const leadImporter: EntityImporter<LeadValues> = {
  entity: "lead",
  required: [["title"]],
  linksCompany: true,
  fields: {
    title: {
      label: "Title",
      kind: "text",
      max: 200,
      aliases: ["title", "lead", "lead title", "lead name", "name", "subject"],
    },
    source: {
      label: "Source",
      kind: "text",
      max: 100,
      aliases: ["source", "lead source", "channel"],
    },
    status: {
      label: "Status",
      kind: "enum",
      options: leadStatus.enumValues,
      aliases: ["status", "lead status"],
    },
    score: {
      label: "Score (0-100)",
      kind: "integer",
      min: 0,
      max: 100,
      aliases: ["score", "lead score", "rating"],
    },
    company: COMPANY_FIELD,
    tags: TAGS_FIELD,
    owner: OWNER_FIELD,
  },

  newRecord: (context) => ({
    id: newId(),
    orgId: context.scope.actor.orgId,
    title: "",
    tags: [],
    custom: {},
    ownerId: context.defaultOwnerId,
    ...createdNow(),
  }),

  apply,

  duplicateKeys: (values) => titleKey(values.title),

  async findExisting(scope, keys) {
    return lockLive(scope, leads, titleIn(leads.title, keys));
  },

  async write(context, writes) {
    await writeBatch(context.scope.tx, leads, writes, [
      "title",
      "source",
      "status",
      "score",
      "companyId",
      "ownerId",
      "tags",
      "custom",
    ]);
  },
};
