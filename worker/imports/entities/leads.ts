import { and, isNull } from "drizzle-orm";
import { updateMany } from "../../crm/bulk-update";
import { leadStatus, leads } from "../../db/crm-schema";
import { newId } from "../../lib/crypto";
import {
  applyCommon,
  assignFilled,
  COMPANY_FIELD,
  createdNow,
  OWNER_FIELD,
  splitWrites,
  TAGS_FIELD,
  titleIn,
  titleKey,
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
    return scope.tx
      .select()
      .from(leads)
      .where(and(isNull(leads.deletedAt), titleIn(leads.title, keys)))
      .for("update");
  },

  async write(context, writes) {
    const { tx } = context.scope;
    const { inserts, updates } = splitWrites(writes);
    if (inserts.length > 0) await tx.insert(leads).values(inserts);
    await updateMany(tx, leads, updates, [
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
