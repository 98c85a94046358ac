import { runMigrations } from "./lib/migrate";

/** `npm run db:migrate`: applies migrations to DATABASE_OWNER_URL (e.g. a Neon branch's owner role). */
const url = process.env.DATABASE_OWNER_URL;
if (!url) {
  console.error("Set DATABASE_OWNER_URL to the owner role's connection string.");
  process.exit(1);
}
runMigrations(url)
  .then(() => console.log("Migrations applied."))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
