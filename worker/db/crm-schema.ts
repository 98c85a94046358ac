import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import {
  ACTIVITY_TYPES,
  type ContactEmail,
  type ContactPhone,
  CRM_ENTITIES,
  CUSTOM_FIELD_ENTITIES,
  CUSTOM_FIELD_TYPES,
  type PostalAddress,
} from "../../shared/crm";
import { at, tenantColumn, tenantIsolation, timestamps, userColumn } from "./schema";

/*
 * The CRM: companies, contacts, leads, pipelines and deals, activities, custom fields, saved
 * views, imports and exports. Every table is tenant-scoped by org_id under row-level security
 * (FORCE and grants in a hand-written migration, like the identity tables).
 */

export const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

/** Records edited by people carry an optimistic-concurrency version and a soft-delete mark. */
const editable = {
  version: integer("version").notNull().default(1),
  deletedAt: at("deleted_at"),
  ...timestamps,
};

const ownerColumn = () => userColumn("owner_id", "set null");
const tagsColumn = () => text("tags").array().notNull().default(sql`'{}'::text[]`);
const customColumn = () =>
  jsonb("custom").$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`);

/** Full-text over a record's words, unaccented; see migrations for `sb_search_text`. */
const searchColumn = (expression: string) =>
  tsvector("search").generatedAlwaysAs(
    sql.raw(`to_tsvector('simple', sb_search_text(${expression}))`),
  );

export const lifecycleStage = pgEnum("lifecycle_stage", [
  "subscriber",
  "lead",
  "marketing_qualified",
  "sales_qualified",
  "opportunity",
  "customer",
  "evangelist",
  "other",
]);
export const leadStatus = pgEnum("lead_status", ["new", "contacted", "qualified", "unqualified"]);
export const activityType = pgEnum("activity_type", ACTIVITY_TYPES);
export const crmEntity = pgEnum("crm_entity", CRM_ENTITIES);
export const customFieldEntity = pgEnum("custom_field_entity", CUSTOM_FIELD_ENTITIES);
export const customFieldType = pgEnum("custom_field_type", CUSTOM_FIELD_TYPES);
export const jobStatus = pgEnum("job_status", ["pending", "running", "completed", "failed"]);
export const duplicateStrategy = pgEnum("duplicate_strategy", ["skip", "update", "create"]);

// The JSONB shapes are plain types the browser shares (shared/crm.ts); re-exported for the Worker.
export type { ContactEmail, ContactPhone, PostalAddress };

/** Teams group members; a manager edits records owned by people of their team. */
export const teams = pgTable(
  "teams",
  {
    id: uuid("id").primaryKey(),
    orgId: tenantColumn(),
    name: text("name").notNull(),
    ...timestamps,
  },
  (table) => [uniqueIndex("teams_org_name_key").on(table.orgId, table.name), tenantIsolation()],
).enableRLS();

export const teamMembers = pgTable(
  "team_members",
  {
    orgId: tenantColumn(),
    teamId: uuid("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    userId: userColumn("user_id", "cascade").notNull(),
  },
  (table) => [
    uniqueIndex("team_members_team_user_key").on(table.teamId, table.userId),
    index("team_members_user_idx").on(table.orgId, table.userId),
    tenantIsolation(),
  ],
).enableRLS();

export const companies = pgTable(
  "companies",
  {
    id: uuid("id").primaryKey(),
    orgId: tenantColumn(),
    name: text("name").notNull(),
    domain: text("domain"),
    industry: text("industry"),
    size: text("size"),
    address: jsonb("address").$type<PostalAddress>().notNull().default(sql`'{}'::jsonb`),
    ownerId: ownerColumn(),
    tags: tagsColumn(),
    custom: customColumn(),
    search: searchColumn(
      "coalesce(name, '') || ' ' || coalesce(domain, '') || ' ' || coalesce(industry, '')",
    ),
    ...editable,
  },
  (table) => [
    index("companies_org_created_idx").on(table.orgId, table.createdAt.desc(), table.id.desc()),
    index("companies_org_domain_idx").on(table.orgId, table.domain),
    index("companies_search_idx").using("gin", table.search),
    index("companies_name_trgm_idx").using("gin", sql`sb_search_text(${table.name}) gin_trgm_ops`),
    tenantIsolation(),
  ],
).enableRLS();

export const contacts = pgTable(
  "contacts",
  {
    id: uuid("id").primaryKey(),
    orgId: tenantColumn(),
    firstName: text("first_name").notNull(),
    lastName: text("last_name").notNull().default(""),
    emails: jsonb("emails").$type<ContactEmail[]>().notNull().default(sql`'[]'::jsonb`),
    /** Lower-cased addresses, for duplicate detection and search. */
    emailAddresses: text("email_addresses").array().notNull().default(sql`'{}'::text[]`),
    phones: jsonb("phones").$type<ContactPhone[]>().notNull().default(sql`'[]'::jsonb`),
    /** E.164 numbers: an incoming call finds its contact with one indexed query. */
    phoneNumbers: text("phone_numbers").array().notNull().default(sql`'{}'::text[]`),
    companyId: uuid("company_id").references(() => companies.id, { onDelete: "set null" }),
    title: text("title"),
    ownerId: ownerColumn(),
    lifecycleStage: lifecycleStage("lifecycle_stage").notNull().default("lead"),
    tags: tagsColumn(),
    custom: customColumn(),
    doNotContact: boolean("do_not_contact").notNull().default(false),
    search: searchColumn(
      "coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(title, '') || ' ' || sb_words(email_addresses)",
    ),
    ...editable,
  },
  (table) => [
    index("contacts_org_created_idx").on(table.orgId, table.createdAt.desc(), table.id.desc()),
    index("contacts_company_idx").on(table.companyId),
    index("contacts_owner_idx").on(table.orgId, table.ownerId),
    index("contacts_emails_idx").using("gin", table.emailAddresses),
    index("contacts_phones_idx").using("gin", table.phoneNumbers),
    index("contacts_search_idx").using("gin", table.search),
    index("contacts_name_trgm_idx").using(
      "gin",
      sql`sb_search_text(${table.firstName} || ' ' || ${table.lastName}) gin_trgm_ops`,
    ),
    // E-mail fragments and phone digits in list search (worker/crm/list-search.ts).
    index("contacts_channels_trgm_idx").using(
      "gin",
      sql`sb_words(${table.emailAddresses} || ${table.phoneNumbers}) gin_trgm_ops`,
    ),
    tenantIsolation(),
  ],
).enableRLS();

export const leads = pgTable(
  "leads",
  {
    id: uuid("id").primaryKey(),
    orgId: tenantColumn(),
    title: text("title").notNull(),
    source: text("source"),
    status: leadStatus("status").notNull().default("new"),
    score: integer("score"),
    /** The person and company the lead is about, until it converts into records. */
    firstName: text("first_name"),
    lastName: text("last_name"),
    /** Lower-cased. */
    email: text("email"),
    /** E.164 (read in the organization's default country when typed without one). */
    phone: text("phone"),
    companyName: text("company_name"),
    /** Expected value in integer minor units; carried to the deal on conversion. */
    amount: bigint("amount", { mode: "number" }),
    /** ISO 4217; null means the organization's currency. */
    currency: text("currency"),
    ownerId: ownerColumn(),
    contactId: uuid("contact_id").references(() => contacts.id, { onDelete: "set null" }),
    companyId: uuid("company_id").references(() => companies.id, { onDelete: "set null" }),
    convertedAt: at("converted_at"),
    convertedDealId: uuid("converted_deal_id"),
    tags: tagsColumn(),
    custom: customColumn(),
    search: searchColumn(
      "coalesce(title, '') || ' ' || coalesce(source, '') || ' ' || coalesce(first_name, '') || ' ' || coalesce(last_name, '') || ' ' || coalesce(email, '') || ' ' || coalesce(company_name, '')",
    ),
    ...editable,
  },
  (table) => [
    index("leads_org_created_idx").on(table.orgId, table.createdAt.desc(), table.id.desc()),
    index("leads_search_idx").using("gin", table.search),
    index("leads_title_trgm_idx").using("gin", sql`sb_search_text(${table.title}) gin_trgm_ops`),
    // E-mail fragments and phone digits in list search (worker/crm/list-search.ts).
    index("leads_channels_trgm_idx").using(
      "gin",
      sql`(coalesce(${table.email}, '') || ' ' || coalesce(${table.phone}, '')) gin_trgm_ops`,
    ),
    tenantIsolation(),
  ],
).enableRLS();

export const pipelines = pgTable(
  "pipelines",
  {
    id: uuid("id").primaryKey(),
    orgId: tenantColumn(),
    name: text("name").notNull(),
    isDefault: boolean("is_default").notNull().default(false),
    position: integer("position").notNull().default(0),
    ...timestamps,
  },
  (table) => [
    uniqueIndex("pipelines_one_default_key").on(table.orgId).where(sql`is_default`),
    tenantIsolation(),
  ],
).enableRLS();

export const pipelineStages = pgTable(
  "pipeline_stages",
  {
    id: uuid("id").primaryKey(),
    orgId: tenantColumn(),
    pipelineId: uuid("pipeline_id")
      .notNull()
      .references(() => pipelines.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    position: integer("position").notNull(),
    probability: integer("probability").notNull().default(0),
    isWon: boolean("is_won").notNull().default(false),
    isLost: boolean("is_lost").notNull().default(false),
    ...timestamps,
  },
  (table) => [
    index("pipeline_stages_pipeline_idx").on(table.pipelineId, table.position),
    tenantIsolation(),
  ],
).enableRLS();

export const deals = pgTable(
  "deals",
  {
    id: uuid("id").primaryKey(),
    orgId: tenantColumn(),
    title: text("title").notNull(),
    /** Integer minor units (cents). */
    amount: bigint("amount", { mode: "number" }).notNull().default(0),
    currency: text("currency").notNull(),
    expectedCloseDate: date("expected_close_date"),
    pipelineId: uuid("pipeline_id")
      .notNull()
      .references(() => pipelines.id),
    stageId: uuid("stage_id")
      .notNull()
      .references(() => pipelineStages.id),
    /** Fractional index: order within the stage (see worker/deals/positions.ts). */
    position: text("position").notNull(),
    ownerId: ownerColumn(),
    contactId: uuid("contact_id").references(() => contacts.id, { onDelete: "set null" }),
    companyId: uuid("company_id").references(() => companies.id, { onDelete: "set null" }),
    closedAt: at("closed_at"),
    tags: tagsColumn(),
    custom: customColumn(),
    search: searchColumn("coalesce(title, '')"),
    ...editable,
  },
  (table) => [
    index("deals_org_created_idx").on(table.orgId, table.createdAt.desc(), table.id.desc()),
    index("deals_stage_position_idx").on(table.stageId, table.position),
    index("deals_contact_idx").on(table.contactId),
    index("deals_company_idx").on(table.companyId),
    index("deals_search_idx").using("gin", table.search),
    index("deals_title_trgm_idx").using("gin", sql`sb_search_text(${table.title}) gin_trgm_ops`),
    tenantIsolation(),
  ],
).enableRLS();

/** Every stage change, for reporting (time in stage, conversion) and the timeline. */
export const dealStageHistory = pgTable(
  "deal_stage_history",
  {
    id: uuid("id").primaryKey(),
    orgId: tenantColumn(),
    dealId: uuid("deal_id")
      .notNull()
      .references(() => deals.id, { onDelete: "cascade" }),
    fromStageId: uuid("from_stage_id").references(() => pipelineStages.id, {
      onDelete: "set null",
    }),
    toStageId: uuid("to_stage_id")
      .notNull()
      .references(() => pipelineStages.id, { onDelete: "cascade" }),
    changedBy: userColumn("changed_by", "set null"),
    changedAt: at("changed_at").notNull().defaultNow(),
  },
  (table) => [
    index("deal_stage_history_deal_idx").on(table.dealId, table.changedAt.desc()),
    tenantIsolation(),
  ],
).enableRLS();

/** Notes, tasks, calls, messages and meetings, attached to any record. */
export const activities = pgTable(
  "activities",
  {
    id: uuid("id").primaryKey(),
    orgId: tenantColumn(),
    type: activityType("type").notNull(),
    subject: text("subject").notNull(),
    body: text("body"),
    occurredAt: at("occurred_at").notNull().defaultNow(),
    dueAt: at("due_at"),
    doneAt: at("done_at"),
    /** When the assignee was reminded of this task (at its due time); a new due time clears it. */
    remindedAt: at("reminded_at"),
    assigneeId: userColumn("assignee_id", "set null"),
    createdBy: userColumn("created_by", "set null"),
    contactId: uuid("contact_id").references(() => contacts.id, { onDelete: "cascade" }),
    companyId: uuid("company_id").references(() => companies.id, { onDelete: "cascade" }),
    leadId: uuid("lead_id").references(() => leads.id, { onDelete: "cascade" }),
    dealId: uuid("deal_id").references(() => deals.id, { onDelete: "cascade" }),
    metadata: jsonb("metadata")
      .$type<Record<string, unknown>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    ...editable,
  },
  (table) => [
    index("activities_contact_idx").on(table.contactId, table.occurredAt.desc(), table.id.desc()),
    index("activities_company_idx").on(table.companyId, table.occurredAt.desc(), table.id.desc()),
    index("activities_lead_idx").on(table.leadId, table.occurredAt.desc(), table.id.desc()),
    index("activities_deal_idx").on(table.dealId, table.occurredAt.desc(), table.id.desc()),
    index("activities_assignee_idx").on(table.orgId, table.assigneeId, table.doneAt),
    tenantIsolation(),
  ],
).enableRLS();

export const customFieldDefinitions = pgTable(
  "custom_field_definitions",
  {
    id: uuid("id").primaryKey(),
    orgId: tenantColumn(),
    entity: customFieldEntity("entity").notNull(),
    key: text("key").notNull(),
    label: text("label").notNull(),
    type: customFieldType("type").notNull(),
    options: text("options").array().notNull().default(sql`'{}'::text[]`),
    required: boolean("required").notNull().default(false),
    position: integer("position").notNull().default(0),
    ...timestamps,
  },
  (table) => [
    uniqueIndex("custom_field_definitions_key").on(table.orgId, table.entity, table.key),
    tenantIsolation(),
  ],
).enableRLS();

export interface ViewDefinition {
  filters: Record<string, unknown>;
  sort: string | null;
  columns: string[];
}

export const savedViews = pgTable(
  "saved_views",
  {
    id: uuid("id").primaryKey(),
    orgId: tenantColumn(),
    ownerId: userColumn("owner_id", "cascade").notNull(),
    entity: crmEntity("entity").notNull(),
    name: text("name").notNull(),
    definition: jsonb("definition").$type<ViewDefinition>().notNull(),
    shared: boolean("shared").notNull().default(false),
    ...timestamps,
  },
  (table) => [
    index("saved_views_owner_idx").on(table.orgId, table.entity, table.ownerId),
    tenantIsolation(),
  ],
).enableRLS();

export interface ImportRowError {
  row: number;
  column: string | null;
  message: string;
}

export const importJobs = pgTable(
  "import_jobs",
  {
    id: uuid("id").primaryKey(),
    orgId: tenantColumn(),
    entity: crmEntity("entity").notNull(),
    status: jobStatus("status").notNull().default("pending"),
    /** CSV column -> record field. */
    mapping: jsonb("mapping").$type<Record<string, string>>().notNull(),
    duplicates: duplicateStrategy("duplicates").notNull().default("skip"),
    csv: text("csv").notNull(),
    totalRows: integer("total_rows").notNull().default(0),
    processedRows: integer("processed_rows").notNull().default(0),
    createdRows: integer("created_rows").notNull().default(0),
    updatedRows: integer("updated_rows").notNull().default(0),
    skippedRows: integer("skipped_rows").notNull().default(0),
    failedRows: integer("failed_rows").notNull().default(0),
    errors: jsonb("errors").$type<ImportRowError[]>().notNull().default(sql`'[]'::jsonb`),
    createdBy: userColumn("created_by", "set null"),
    completedAt: at("completed_at"),
    ...timestamps,
  },
  (table) => [
    index("import_jobs_org_created_idx").on(table.orgId, table.createdAt.desc()),
    tenantIsolation(),
  ],
).enableRLS();

export const exportJobs = pgTable(
  "export_jobs",
  {
    id: uuid("id").primaryKey(),
    orgId: tenantColumn(),
    entity: crmEntity("entity").notNull(),
    status: jobStatus("status").notNull().default("pending"),
    query: jsonb("query").$type<Record<string, unknown>>().notNull(),
    rowCount: integer("row_count"),
    csv: text("csv"),
    createdBy: userColumn("created_by", "set null"),
    completedAt: at("completed_at"),
    ...timestamps,
  },
  (table) => [
    index("export_jobs_org_created_idx").on(table.orgId, table.createdAt.desc()),
    tenantIsolation(),
  ],
).enableRLS();
