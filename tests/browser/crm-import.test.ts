import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { browserStackForThisFile, createAccountAndSignIn } from "./harness";

/*
 * The CSV import wizard end to end: upload 2,000 contacts (two with a broken e-mail address),
 * see the suggested mapping, get the validation report, start the import and watch the
 * progress bar fill from the live `import.progress` events up to the final counts.
 */

const ROWS = 2000;
const BROKEN_ROWS = new Set([17, 1500]);

const { newPage, pageErrors, baseUrl, tempDir } = browserStackForThisFile();

/** A contacts CSV with headers the mapping step should recognise. */
function contactsCsv(run: string): string {
  const lines = ["First Name,Last Name,E-mail,Phone,Job Title"];
  for (let row = 0; row < ROWS; row += 1) {
    const email = BROKEN_ROWS.has(row) ? "not-an-email" : `person${row}-${run}@example.com`;
    const phone = `+1 415 555 ${String(row).padStart(4, "0")}`;
    lines.push(`Person${row},Tester,${email},${phone},Engineer`);
  }
  return `${lines.join("\n")}\n`;
}

describe("CSV import wizard", () => {
  it("imports 2,000 contacts with a live progress bar and a report of the failed rows", async () => {
    const base = baseUrl();
    const run = Date.now().toString(36);
    const csvPath = path.join(tempDir(), "contacts.csv");
    await writeFile(csvPath, contactsCsv(run));

    const page = await newPage();
    await page.goto(`${base}/signup`);
    await page.getByLabel("Your name").fill("Ivy Importer");
    await page.getByLabel("Work email").fill(`ivy-${run}@example.com`);
    await page.getByLabel("Password").fill("correct horse battery staple");
    await page.getByLabel("Organization name").fill("Import Co");
    await createAccountAndSignIn(page, "correct horse battery staple");
    await page.waitForURL(`${base}/app`);

    // Step 1: choose what to import and upload the file.
    await page.goto(`${base}/app/import`);
    await page.getByLabel("Import as").selectOption("contact");
    await page.getByLabel("CSV file").setInputFiles(csvPath);
    await page.getByRole("button", { name: "Upload and preview" }).click();

    // Step 2: the columns were matched to fields; keep the defaults, skip duplicates.
    await page.getByRole("heading", { name: "Map columns to contact fields" }).waitFor();
    expect(await page.getByLabel("Field for column “E-mail”").inputValue()).toBe("email");
    expect(await page.getByLabel("Field for column “First Name”").inputValue()).toBe("firstName");
    await page.getByLabel("Field for column “Job Title”").selectOption("");
    await page.getByRole("radio", { name: /Skip them/ }).check();
    await page.getByRole("button", { name: "Check the file" }).click();

    // Step 3: the validation report lists the two broken rows (header = row 1).
    await page.getByRole("heading", { name: "Check before importing" }).waitFor();
    await page.getByText("1,998 of 2,000 rows are ready to import as contacts.").waitFor();
    const problems = page.getByRole("table", { name: "Problems found in the file" });
    await problems.getByRole("row", { name: /^19 E-mail/ }).waitFor();
    await problems.getByRole("row", { name: /^1502 E-mail/ }).waitFor();
    await page.getByRole("button", { name: "Import 1,998 valid rows" }).click();

    // Step 4: the progress page fills up live.
    await page.waitForURL(/\/app\/import\/[0-9a-f-]{36}$/);
    const bar = page.getByRole("progressbar", { name: "Import progress" });
    await bar.waitFor();
    const seen = new Set<string>();
    await expect
      .poll(
        async () => {
          const value = (await bar.getAttribute("aria-valuenow")) ?? "";
          seen.add(value);
          return value;
        },
        { timeout: 60_000, interval: 100 },
      )
      .toBe("100");
    expect(await bar.getAttribute("aria-valuetext")).toBe("2,000 of 2,000 rows (100%)");

    const status = page.getByTestId("import-status");
    await status.filter({ hasText: "Import finished." }).waitFor();
    expect(await status.textContent()).toBe(
      "Import finished. 1,998 created, 0 updated, 0 skipped, 2 failed.",
    );
    const totals = page.getByTestId("import-totals");
    expect(await totals.getByText("1,998").count()).toBe(1);
    const failed = page.getByRole("table", { name: "Rows that were not imported" });
    await failed.getByRole("row", { name: /^19 E-mail/ }).waitFor();

    // The job agrees, and the contacts are there.
    const jobId = page.url().split("/").at(-1) ?? "";
    const job = await page.evaluate(async (id) => {
      const response = await fetch(`/api/v1/imports/${id}`);
      return ((await response.json()) as { data: unknown }).data;
    }, jobId);
    expect(job).toMatchObject({ status: "completed", createdRows: 1998, failedRows: 2 });
    const found = await page.evaluate(async (email) => {
      const response = await fetch(`/api/v1/contacts?q=${encodeURIComponent(email)}`);
      return ((await response.json()) as { data: unknown[] }).data.length;
    }, `person1999-${run}@example.com`);
    expect(found).toBe(1);

    // Progress was shown on the way, not only at the end (chunks of 1,000 rows).
    expect(seen.size).toBeGreaterThan(1);
    expect(pageErrors).toEqual([]);
  });
});
