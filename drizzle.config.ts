import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: [
    "./worker/db/schema.ts",
    "./worker/db/crm-schema.ts",
    "./worker/db/telephony-schema.ts",
    "./worker/db/inbox-schema.ts",
    "./worker/db/email-schema.ts",
    "./worker/db/desk-schema.ts",
    "./worker/db/notification-schema.ts",
    "./worker/db/kb-schema.ts",
  ],
  out: "./migrations",
  casing: "snake_case",
});
