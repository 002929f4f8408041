import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BrowserContext } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { assertConsoleBuilt, browserUnavailable, checkPage, launchBrowser, signIn, watchedPage } from "./browser-harness.js";

// The built CLI, as `npm start` runs it (npm test builds first).
const CLI = fileURLToPath(new URL("../../dist/src/cli/main.js", import.meta.url));
const skipReason = browserUnavailable();

/**
 * Issue 16's "done when": `wizbridge start` with no config prints the console's URL and the one-time admin
 * token, and the console, signed in with that token, shows the embedded demo tenant syncing.
 */
describe.skipIf(skipReason !== undefined)("the console of `wizbridge start` (built CLI, embedded default)", () => {
  let child: ChildProcessWithoutNullStreams | undefined;
  let browser: BrowserContext | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), "wizbridge-console-start-"));

  afterAll(async () => {
    await browser?.close();
    if (child && child.exitCode === null) {
      child.kill("SIGTERM");
      await once(child, "exit");
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("prints the console URL with the admin token; signed in with it, the demo connector shows a finished run with records", async () => {
    assertConsoleBuilt();
    child = spawn(process.execPath, [CLI, "start", "--data-dir", dataDir, "--http-port", "0"], { env: { ...process.env, LOG_LEVEL: "warn" } });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
    await expect.poll(() => (child?.exitCode === null ? out : `exited: ${out}`), { timeout: 120_000, interval: 100 }).toMatch(/Press Ctrl\+C to stop/);
    const url = /Console\s+(http:\/\/127\.0\.0\.1:\d+)\/\s/.exec(out)?.[1];
    const token = /API token\s+(\S+)/.exec(out)?.[1];
    expect(url, out).toBeTruthy();
    expect(token, out).toMatch(/^wzb_/);

    browser = await launchBrowser();
    const watched = await watchedPage(browser);
    await signIn(watched, String(url), String(token));
    expect(await watched.page.getByTestId("role").textContent()).toBe("admin");
    const tile = watched.page.locator('article[data-connector="demo"]');
    // Its streams run on intervals: after each run it is Processed, then Scheduled for the next one.
    await expect.poll(async () => Number(await tile.getByTestId("records-issues").textContent().catch(() => "0")), { timeout: 180_000 }).toBeGreaterThan(0);
    await tile.locator('[data-state="processed"], [data-state="scheduled"]').waitFor({ timeout: 120_000 });
    expect(await tile.getByTestId("last-sync").textContent()).toMatch(/^\d{4}-/);
    await checkPage(watched, "start-integrations");
    await watched.page.close();
  }, 300_000);
});
