import { existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { expect } from "vitest";

/** Debian's Chromium; never a downloaded browser. */
export const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];
const REPO = fileURLToPath(new URL("../../", import.meta.url));
export const CONSOLE_BUILD = join(REPO, "dist", "console");
export const ARTIFACTS = join(REPO, "test-artifacts", "console");

/**
 * Why the browser tests cannot run here, or undefined when they can. Without Chromium they are skipped with
 * the reason printed, except in CI (CI=true), where a missing browser is a failure.
 */
export function browserUnavailable(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  const reason = `${CHROMIUM} is missing (install it with \`apt-get install -y chromium\`; the tests never download a browser)`;
  if (process.env.CI) throw new Error(`The console's browser tests cannot run: ${reason}. CI must have it.`);
  console.log(`Skipping the console's browser tests: ${reason}.`);
  return reason;
}

/** Fails with what to do when the console was not built (npm test builds it; a lone vitest run does not). */
export function assertConsoleBuilt(): void {
  if (!existsSync(join(CONSOLE_BUILD, "index.html"))) {
    throw new Error(`The console is not built: ${CONSOLE_BUILD}/index.html is missing. Run \`npm run build\` (or \`npx vite build --config ui/vite.config.ts\`) before the browser tests.`);
  }
}

/** Chromium with a fresh profile directory, removed with the process's temp files. */
export async function launchBrowser(): Promise<BrowserContext> {
  const profile = mkdtempSync(join(tmpdir(), "wizbridge-chromium-"));
  return chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1366, height: 900 } });
}

/** A page whose console errors and uncaught exceptions are collected: every test ends by asserting there were none. */
export interface WatchedPage {
  page: Page;
  errors: string[];
}

export async function watchedPage(context: BrowserContext): Promise<WatchedPage> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console error: ${message.text()} (${message.location().url})`);
  });
  page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));
  page.setDefaultTimeout(30_000);
  return { page, errors };
}

/** Opens the console and signs in with a token; the navigation appears once GET /api/whoami accepted it. */
export async function signIn(watched: WatchedPage, baseUrl: string, token: string, path = "/"): Promise<void> {
  const { page } = watched;
  await page.goto(`${baseUrl}${path}`);
  await page.getByLabel("API token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("navigation", { name: "Console" }).waitFor();
}

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[] }>;
}

/**
 * axe-core run in the page: no serious or critical accessibility violation. It is evaluated through the
 * DevTools protocol rather than added as a <script> tag, which the console's CSP (script-src 'self') refuses.
 */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  await page.evaluate(AXE_SOURCE);
  // A string, run in the page: this file is compiled for Node (no DOM types).
  const violations = (await page.evaluate(`(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => JSON.stringify(n.target)) }));
  })()`)) as Array<Omit<AxeViolation, "nodes"> & { nodes: string[] }>;
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious, `${what}: accessibility violations\n${JSON.stringify(serious, null, 2)}`).toEqual([]);
}

/** A full-page screenshot kept as a test artefact (test-artifacts/console/, gitignored). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Screenshot, accessibility check and "no console errors", the three checks every page of the tests ends with. */
export async function checkPage(watched: WatchedPage, name: string): Promise<void> {
  await screenshot(watched.page, name);
  await expectAccessible(watched.page, name);
  expect(watched.errors, `${name}: console errors`).toEqual([]);
}
