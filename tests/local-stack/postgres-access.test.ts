import { chmod, mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { folderOthersCannotEnter, startLocalPostgres } from "../../scripts/lib/postgres";
import { freePort } from "../../scripts/lib/stack";

/*
 * First run as root in a folder only root can enter (`/root/switchboard`, /root being 0700 on
 * Debian): the local PostgreSQL runs as the `postgres` user, which cannot pass through. The
 * stack must stop at once and say which folder and how to fix it, not fail deep in initdb.
 */
const cleanup: string[] = [];
afterEach(async () => {
  for (const folder of cleanup.splice(0)) await rm(folder, { recursive: true, force: true });
});

async function lockedFolder(): Promise<string> {
  const folder = await mkdtemp(path.join(os.tmpdir(), "switchboard-locked-"));
  cleanup.push(folder);
  await chmod(folder, 0o700);
  return folder;
}

describe("the local PostgreSQL in a folder others cannot enter", () => {
  it("finds the first folder on the way that others cannot enter", async () => {
    const locked = await lockedFolder();
    const open = path.join(locked, "project", "data");
    await mkdir(open, { recursive: true });
    expect(folderOthersCannotEnter(open)).toBe(locked);
    await chmod(locked, 0o711);
    expect(folderOthersCannotEnter(open)).toBeNull();
  });

  it("stops at once with a message naming the folder and the fix", async () => {
    if (process.getuid?.() !== 0) {
      // Only root hands the server to another user; as anyone else the folder is simply ours.
      expect(folderOthersCannotEnter(os.tmpdir())).toBeNull();
      return;
    }
    const locked = await lockedFolder();
    const started = Date.now();
    const attempt = startLocalPostgres({
      dataDir: path.join(locked, "checkout", ".data", "postgres"),
      port: await freePort(),
      persistent: false,
    });
    await expect(attempt).rejects.toThrow(
      new RegExp(`cannot enter ${locked} \\(mode 0700\\)[\\s\\S]*chmod o\\+x ${locked}`),
    );
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
