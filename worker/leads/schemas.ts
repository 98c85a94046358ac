import { z } from "@hono/zod-openapi";
import {
  clearableText,
  editBodySchema,
  linkedRecordFields,
  recordLabelFields,
  recordStampFields,
  versionSchema,
} from "../crm/field-schemas";
import { amountSchema, currencySchema } from "../deals/schemas";

export const LEAD_STATUSES = ["new", "contacted", "qualified", "unqualified"] as const;

const titleSchema = z.string().trim().min(1, "Give the lead a title.").max(200);
const leadEmailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .nullable()
  .transform((value) => value || null)
  .refine((value) => value === null || z.string().email().safeParse(value).success, {
    message: "Enter an e-mail address.",
  });
/** As typed; stored in E.164, read in the organization's default country without a code. */
const leadPhoneSchema = clearableText(40);

/** The person and company a lead is about, and what it may be worth. */
const personFields = {
  firstName: clearableText(100).optional(),
  lastName: clearableText(100).optional(),
  email: leadEmailSchema.optional(),
  phone: leadPhoneSchema.optional(),
  companyName: clearableText(200).optional(),
  amount: amountSchema.nullable().optional(),
  currency: currencySchema.nullable().optional(),
};
const scoreSchema = z.number().int().min(0).max(100).nullable();
const idSchema = z.string().uuid();

export const createLeadBodySchema = z
  .object({
    title: titleSchema,
    source: clearableText(100).optional(),
    status: z.enum(LEAD_STATUSES).optional(),
    score: scoreSchema.optional(),
    ...personFields,
    ...linkedRecordFields,
  })
  .strict()
  .openapi("CreateLeadRequest");

export const updateLeadBodySchema = editBodySchema({
  title: titleSchema.optional(),
  source: clearableText(100).optional(),
  status: z.enum(LEAD_STATUSES).optional(),
  score: scoreSchema.optional(),
  ...personFields,
  ...linkedRecordFields,
}).openapi("UpdateLeadRequest");

const newContactSchema = z
  .object({
    firstName: z.string().trim().min(1, "Give a first name.").max(100),
    lastName: z.string().trim().max(100).default(""),
    email: z.string().max(254).optional(),
    phone: z.string().max(40).optional(),
  })
  .strict();

const newCompanySchema = z
  .object({
    name: z.string().trim().min(1, "Give the company a name.").max(200),
    domain: z.string().max(253).optional(),
  })
  .strict();

const newDealSchema = z
  .object({
    title: z.string().trim().min(1).max(200).optional(),
    amount: amountSchema.optional(),
    currency: currencySchema.optional(),
    pipelineId: idSchema.optional(),
    stageId: idSchema.optional(),
  })
  .strict();

/**
 * Converting a lead: a new `contact` or an existing `contactId`, else the lead's own contact,
 * else one made from the person the lead names (`contact: null`: none); likewise `company` /
 * `companyId` (from the lead's company name), and the deal to open (defaults: the lead's title,
 * amount and currency, else 0 in the organization's currency, the default pipeline's first
 * stage).
 */
export const convertLeadBodySchema = z
  .object({
    contact: newContactSchema.nullable().optional(),
    contactId: idSchema.optional(),
    company: newCompanySchema.nullable().optional(),
    companyId: idSchema.optional(),
    deal: newDealSchema.optional(),
    version: versionSchema,
  })
  .strict()
  .refine((body) => !(body.contact && body.contactId), {
    message: "Send either a new contact or a contactId, not both.",
    path: ["contactId"],
  })
  .refine((body) => !(body.company && body.companyId), {
    message: "Send either a new company or a companyId, not both.",
    path: ["companyId"],
  })
  .openapi("ConvertLeadRequest");

export const leadSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    source: z.string().nullable(),
    status: z.enum(LEAD_STATUSES),
    score: z.number().int().nullable(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable().openapi({ description: "E.164" }),
    companyName: z.string().nullable(),
    amount: z.number().int().nullable().openapi({ description: "Integer minor units" }),
    currency: z.string().nullable().openapi({ description: "null: the organization's" }),
    ownerId: z.string().nullable(),
    contactId: z.string().nullable(),
    companyId: z.string().nullable(),
    convertedAt: z.string().nullable(),
    convertedDealId: z.string().nullable(),
    ...recordLabelFields,
    ...recordStampFields,
  })
  .openapi("Lead");

export type CreateLeadBody = z.infer<typeof createLeadBodySchema>;
export type UpdateLeadBody = z.infer<typeof updateLeadBodySchema>;
export type ConvertLeadBody = z.infer<typeof convertLeadBodySchema>;
export type NewContact = z.infer<typeof newContactSchema>;
export type NewCompany = z.infer<typeof newCompanySchema>;
