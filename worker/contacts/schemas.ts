import { z } from "@hono/zod-openapi";
import {
  clearableText,
  customValuesSchema,
  ownerIdSchema,
  recordLabelFields,
  recordStampFields,
  tagsSchema,
  versionSchema,
} from "../crm/field-schemas";
import { lifecycleStage } from "../db/crm-schema";
import { countryCodeSchema } from "./phones";

export const lifecycleStageSchema = z.enum(lifecycleStage.enumValues);

const emailAddressSchema = z
  .string()
  .trim()
  .toLowerCase()
  .email("Enter an e-mail address.")
  .max(254);
const labelSchema = z.string().trim().max(40);
const phoneTextSchema = z.string().trim().min(1, "Enter a phone number.").max(40);

const emailEntrySchema = z
  .object({
    email: emailAddressSchema,
    primary: z.boolean().optional(),
    label: labelSchema.optional(),
  })
  .strict();

const phoneEntrySchema = z
  .object({
    raw: phoneTextSchema,
    /** Accepted so a client can send back what it read; always recomputed from `raw`. */
    e164: z.string().nullable().optional(),
    primary: z.boolean().optional(),
    label: labelSchema.optional(),
  })
  .strict();

/** Emails and phones, either as one primary value (`email`, `phone`) or as full lists. */
const channelFields = {
  email: emailAddressSchema.optional(),
  emails: z.array(emailEntrySchema).max(20).optional(),
  phone: phoneTextSchema.optional(),
  phones: z.array(phoneEntrySchema).max(20).optional(),
  defaultCountry: countryCodeSchema
    .optional()
    .openapi({ description: "Country for numbers typed without a country code (default US)." }),
};

const contactFields = z.object({
  lastName: z.string().trim().max(120),
  companyId: z.string().uuid().nullable(),
  title: clearableText(200),
  ownerId: ownerIdSchema,
  lifecycleStage: lifecycleStageSchema,
  tags: tagsSchema,
  custom: customValuesSchema,
  doNotContact: z.boolean(),
});

const firstNameSchema = z.string().trim().min(1, "Enter a first name.").max(120);

export const createContactBodySchema = z
  .object({
    firstName: firstNameSchema,
    ...channelFields,
    ...contactFields.partial().shape,
  })
  .strict()
  .openapi("CreateContactRequest");

export const updateContactBodySchema = z
  .object({
    firstName: firstNameSchema.optional(),
    ...channelFields,
    ...contactFields.partial().shape,
    version: versionSchema,
  })
  .strict()
  .openapi("UpdateContactRequest");

export type CreateContactBody = z.infer<typeof createContactBodySchema>;
export type UpdateContactBody = z.infer<typeof updateContactBodySchema>;

export const lookupQuerySchema = z
  .object({
    phone: phoneTextSchema.optional(),
    email: emailAddressSchema.optional(),
    defaultCountry: countryCodeSchema.optional(),
  })
  .strict()
  .refine((query) => (query.phone === undefined) !== (query.email === undefined), {
    message: "Send either phone or email.",
  });

const companySummarySchema = z
  .object({ id: z.string(), name: z.string(), domain: z.string().nullable() })
  .openapi("ContactCompanySummary");

export const contactSchema = z
  .object({
    id: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    emails: z.array(
      z.object({ email: z.string(), primary: z.boolean(), label: z.string().optional() }),
    ),
    phones: z.array(
      z.object({
        raw: z.string(),
        e164: z.string().nullable(),
        primary: z.boolean(),
        label: z.string().optional(),
      }),
    ),
    companyId: z.string().nullable(),
    company: companySummarySchema.nullable(),
    title: z.string().nullable(),
    ownerId: z.string().nullable(),
    lifecycleStage: lifecycleStageSchema,
    ...recordLabelFields,
    doNotContact: z.boolean(),
    ...recordStampFields,
  })
  .openapi("Contact");
