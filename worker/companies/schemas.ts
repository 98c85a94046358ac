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
import { normalizeDomain } from "./domain";

export const COMPANY_SIZES = ["1-10", "11-50", "51-200", "201-1000", "1000+"] as const;

const addressPart = z.string().trim().max(200).optional();

export const addressSchema = z
  .object({
    street: addressPart,
    city: addressPart,
    region: addressPart,
    postalCode: z.string().trim().max(20).optional(),
    country: addressPart,
  })
  .strict()
  .openapi("PostalAddress");

/** "https://www.Acme.com/about" is stored as "acme.com"; `null` or "" clears it. */
const domainSchema = z
  .string()
  .max(253)
  .nullable()
  .transform((value, context) => {
    if (!value?.trim()) return null;
    const domain = normalizeDomain(value);
    if (!domain) {
      context.addIssue({ code: "custom", message: "Enter a domain such as acme.com." });
      return z.NEVER;
    }
    return domain;
  })
  .openapi({ type: "string", example: "acme.com" });

const nameSchema = z.string().trim().min(1, "Enter a name.").max(200);

const companyFields = z.object({
  domain: domainSchema,
  industry: clearableText(120),
  size: z.enum(COMPANY_SIZES).nullable(),
  address: addressSchema,
  ownerId: ownerIdSchema,
  tags: tagsSchema,
  custom: customValuesSchema,
});

export const createCompanyBodySchema = z
  .object({ name: nameSchema, ...companyFields.partial().shape })
  .strict()
  .openapi("CreateCompanyRequest");

export const updateCompanyBodySchema = z
  .object({
    name: nameSchema.optional(),
    ...companyFields.partial().shape,
    version: versionSchema,
  })
  .strict()
  .openapi("UpdateCompanyRequest");

export type CreateCompanyBody = z.infer<typeof createCompanyBodySchema>;
export type UpdateCompanyBody = z.infer<typeof updateCompanyBodySchema>;

export const companySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    domain: z.string().nullable(),
    industry: z.string().nullable(),
    size: z.string().nullable(),
    address: z.object({
      street: z.string().optional(),
      city: z.string().optional(),
      region: z.string().optional(),
      postalCode: z.string().optional(),
      country: z.string().optional(),
    }),
    ownerId: z.string().nullable(),
    ...recordLabelFields,
    ...recordStampFields,
  })
  .openapi("Company");

export const companyDetailSchema = companySchema
  .extend({ contactCount: z.number().int(), openDealCount: z.number().int() })
  .openapi("CompanyDetail");
