import type { FieldOption, FieldSpec } from "./record-fields";
import { COMPANY_SIZES, CURRENCIES, LEAD_STATUSES, LIFECYCLE_STAGES } from "./record-format";

/*
 * The built-in fields of each CRM record, as the "New" forms and the record pages edit them.
 * Options that depend on the organization (members, companies, stages) are passed in; the
 * server only needs names and kinds, so it may call these without options.
 */

interface Choices {
  owners?: FieldOption[];
  companies?: FieldOption[];
  contacts?: FieldOption[];
  stages?: FieldOption[];
}

const owner = (choices: Choices): FieldSpec => ({
  name: "ownerId",
  label: "Owner",
  kind: "owner",
  options: choices.owners ?? [],
  editOnly: true,
});

/** The company a record belongs to, chosen on its page. */
const linkedCompany = (choices: Choices): FieldSpec => ({
  name: "companyId",
  label: "Company",
  kind: "reference",
  options: choices.companies ?? [],
  editOnly: true,
});

/** The contact and company a lead or deal is about, chosen on its page. */
const linkedRecords = (choices: Choices): FieldSpec[] => [
  {
    name: "contactId",
    label: "Contact",
    kind: "reference",
    options: choices.contacts ?? [],
    editOnly: true,
  },
  linkedCompany(choices),
];

const tags: FieldSpec = { name: "tags", label: "Tags", kind: "tags" };

const PHONE_HINT =
  "Numbers without a country code are read in your organization's default country (Settings → Organization).";

export function contactSpecs(choices: Choices = {}): FieldSpec[] {
  return [
    { name: "firstName", label: "First name", kind: "text", required: true },
    { name: "lastName", label: "Last name", kind: "text", emptyAs: "empty" },
    // The "New" form takes one of each; the record page edits the whole lists.
    {
      name: "email",
      label: "Email",
      kind: "email",
      placeholder: "name@company.com",
      createOnly: true,
    },
    {
      name: "phone",
      label: "Phone",
      kind: "tel",
      placeholder: "+1 415 555 0100",
      hint: PHONE_HINT,
      createOnly: true,
    },
    { name: "emails", label: "Email", kind: "email_list", editOnly: true },
    { name: "phones", label: "Phone", kind: "phone_list", hint: PHONE_HINT, editOnly: true },
    { name: "title", label: "Job title", kind: "text" },
    linkedCompany(choices),
    { name: "lifecycleStage", label: "Lifecycle stage", kind: "select", options: LIFECYCLE_STAGES },
    owner(choices),
    tags,
    { name: "doNotContact", label: "Do not contact", kind: "checkbox", editOnly: true },
  ];
}

export function companySpecs(choices: Choices = {}): FieldSpec[] {
  return [
    { name: "name", label: "Name", kind: "text", required: true },
    { name: "domain", label: "Domain", kind: "text", placeholder: "acme.com" },
    { name: "industry", label: "Industry", kind: "text" },
    { name: "size", label: "Size", kind: "select", options: COMPANY_SIZES },
    { name: "address", label: "Address", kind: "address" },
    owner(choices),
    tags,
  ];
}

export function leadSpecs(choices: Choices = {}): FieldSpec[] {
  return [
    { name: "title", label: "Title", kind: "text", required: true },
    { name: "firstName", label: "First name", kind: "text" },
    { name: "lastName", label: "Last name", kind: "text" },
    { name: "email", label: "Email", kind: "email", placeholder: "name@company.com" },
    {
      name: "phone",
      label: "Phone",
      kind: "tel",
      placeholder: "+1 415 555 0100",
      hint: PHONE_HINT,
    },
    { name: "companyName", label: "Company name", kind: "text" },
    { name: "amount", label: "Expected amount", kind: "money", emptyAs: "null" },
    {
      name: "currency",
      label: "Currency",
      kind: "select",
      options: currencyOptions,
      hint: "Blank: the organization's currency.",
    },
    { name: "source", label: "Source", kind: "text", placeholder: "e.g. Website, Referral" },
    { name: "status", label: "Status", kind: "select", options: LEAD_STATUSES, required: true },
    { name: "score", label: "Score (0–100)", kind: "number" },
    ...linkedRecords(choices),
    owner(choices),
    tags,
  ];
}

export const currencyOptions: FieldOption[] = CURRENCIES.map((code) => ({
  value: code,
  label: code,
}));

export function dealSpecs(choices: Choices = {}): FieldSpec[] {
  return [
    { name: "title", label: "Title", kind: "text", required: true },
    { name: "amount", label: "Amount", kind: "money" },
    {
      name: "currency",
      label: "Currency",
      kind: "select",
      options: currencyOptions,
      required: true,
    },
    {
      name: "stageId",
      label: "Stage",
      kind: "select",
      options: choices.stages ?? [],
      required: true,
    },
    { name: "expectedCloseDate", label: "Expected close", kind: "date" },
    ...linkedRecords(choices),
    owner(choices),
    tags,
  ];
}
