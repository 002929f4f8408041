import type { BrowserContext } from "playwright-core";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMainJobServer, type MainJobServer } from "../../src/server/main-job-server.js";
import type { Simulator } from "../../src/sim/index.js";
import { ApiTokenRepository } from "../../src/store/api-token.repository.js";
import { RunRepository } from "../../src/store/run.repository.js";
import { openSyncSession, type SyncSession } from "../../src/sync/sync-session.js";
import { INGEST_TOKEN, runtimeFixture, startRuntimeSimulator } from "../support/runtime-harness.js";
import { silentLogger, simConfig, tempDir } from "../sync/sync-fixtures.js";
import { assertConsoleBuilt, browserUnavailable, checkPage, launchBrowser, signIn, watchedPage } from "./browser-harness.js";

const skipReason = browserUnavailable();

/**
 * The web console in Debian's Chromium against a real main job (simulator tenant, SQLite store, the HTTP
 * server on 127.0.0.1:0 serving the built console and the API): each flow of issue 16 driven as a user would.
 */
describe.skipIf(skipReason !== undefined)("the web console in a browser", () => {
  let sim: Simulator;
  let session: SyncSession;
  let server: MainJobServer;
  let browser: BrowserContext;
  let stop: AbortController;
  let running: Promise<void>;
  let base: string;
  const token: Record<"viewer" | "operator" | "admin", string> = { viewer: "", operator: "", admin: "" };
  let alert: Promise<string> | undefined;

  /** A Falco alert about a pod of the tenant, posted once; Wiz raises a THREAT_DETECTION issue for it. */
  const postedAlert = (): Promise<string> =>
    (alert ??= (async () => {
      const response = await fetch(`${base}/ingest/falco`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${INGEST_TOKEN}` },
        body: JSON.stringify(runtimeFixture("falco-json-output-read-sensitive-file-k8s.json")),
      });
      expect(response.status).toBe(202);
      const [id] = ((await response.json()) as { ids: string[] }).ids;
      if (!id) throw new Error("the ingest answer named no alert id");
      return id;
    })());

  beforeAll(async () => {
    assertConsoleBuilt();
    sim = await startRuntimeSimulator();
    const dir = tempDir("wizbridge-console-");
    const config = simConfig(sim, dir, { streams: { issues: { schedule: "once" }, cloudResources: { schedule: "once" } } }, { runtime: { sources: { falco: { auth: { type: "bearer", token: INGEST_TOKEN } } }, batchWindowMs: 100 } });
    session = await openSyncSession(config, silentLogger);
    server = await startMainJobServer({ config, session, logger: silentLogger, host: "127.0.0.1", port: 0 });
    base = server.http.url;
    const tokens = new ApiTokenRepository(session.store.db);
    for (const role of ["viewer", "operator", "admin"] as const) token[role] = (await tokens.create(`console ${role}`, role)).secret;
    stop = new AbortController();
    running = session.engine.runScheduled(stop.signal);
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    stop?.abort();
    await running;
    await server?.close();
    await session?.close();
    await sim?.close();
  });

  it("sign-in: a wrong token is refused with the server's explanation; a viewer sees no operator or admin buttons", async () => {
    const watched = await watchedPage(browser);
    const { page } = watched;
    await page.goto(base);
    await page.getByLabel("API token").fill("wzb_not_a_real_token");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").filter({ hasText: "not valid" }).waitFor();
    await checkPage({ ...watched, errors: watched.errors.filter((e) => !e.includes("401")) }, "login");

    await page.getByLabel("API token").fill(token.viewer);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Integrations", level: 1 }).waitFor();
    expect(await page.getByTestId("role").textContent()).toBe("viewer");
    await page.locator('article[data-connector="sim"]').waitFor();
    expect(await page.getByRole("button", { name: "Sync now" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Test" }).count()).toBe(0);
    expect(await page.getByRole("link", { name: "Connect a Wiz tenant" }).count()).toBe(0);
    await page.close();
  });

  it("integrations: the config connector's tile reaches Processed with counts per stream; Sync now runs it again", async () => {
    const watched = await watchedPage(browser);
    const { page } = watched;
    await signIn(watched, base, token.operator);
    const tile = page.locator('article[data-connector="sim"]');
    await tile.locator('[data-state="processed"]').waitFor({ timeout: 90_000 });
    await expect.poll(async () => Number(await tile.getByTestId("records-cloudResources").textContent()), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await tile.getByText("Processed").count()).toBeGreaterThan(0);
    expect(await tile.getByTestId("last-sync").textContent()).toMatch(/^\d{4}-/);
    await checkPage(watched, "integrations");

    const runs = new RunRepository(session.store.db);
    const before = (await runs.list("sim", 100)).length;
    await tile.getByRole("button", { name: "Sync now" }).click();
    await page.getByRole("status").filter({ hasText: "Queued" }).waitFor();
    await expect.poll(async () => (await runs.list("sim", 100)).filter((r) => r.trigger === "manual" && r.status === "succeeded").length, { timeout: 90_000 }).toBeGreaterThan(0);
    expect((await runs.list("sim", 100)).length).toBeGreaterThan(before);
    expect(watched.errors).toEqual([]);
    await page.close();
  });

  it("connect: a wrong secret fails the authentication check with its fix; the right one connects, syncs, and Disconnect deletes the credentials", async () => {
    const storedSecrets = async (owner: string) => Number((await sql<{ n: number }>`select count(*) as n from credentials where owner = ${owner}`.execute(session.store.db)).rows[0]?.n ?? 0);
    const watched = await watchedPage(browser);
    const { page } = watched;
    await signIn(watched, base, token.admin, "/connect");
    await page.getByRole("heading", { name: "Connect a Wiz tenant", level: 1 }).waitFor();
    await page.getByLabel("Connector name").fill("web");
    await page.getByLabel("Endpoint URL").check();
    await page.getByLabel("API endpoint").fill(sim.graphqlUrl);
    await page.getByText("Advanced: token service, audience, non-Wiz hosts").click();
    await page.getByLabel("Token URL").fill(sim.tokenUrl);
    await page.getByLabel("Audience").fill(sim.audience);
    await page.getByLabel(/Allow hosts outside/).check();
    await page.getByLabel("Client ID").fill(sim.clientId);
    await page.getByLabel("Client secret").fill("not-the-right-secret");
    await page.getByLabel("issues", { exact: true }).uncheck();
    await page.getByLabel("cloudResources", { exact: true }).check();
    await page.getByLabel("cloudResources schedule").fill("once");
    // Filters are checked as they are typed.
    await page.getByLabel("cloudResources filters").fill('{"type": ');
    await page.getByText(/not valid JSON/).waitFor();
    await page.getByLabel("cloudResources filters").fill("");
    expect(await page.getByText(/not valid JSON/).count()).toBe(0);
    await page.getByRole("checkbox", { name: /^events/ }).check();

    await page.getByRole("button", { name: "Test connection" }).click();
    const authentication = page.locator('tr[data-check="authentication"]');
    await authentication.waitFor({ timeout: 60_000 });
    expect(await authentication.getAttribute("data-status")).toBe("fail");
    expect(await authentication.textContent()).toContain("Fix:");
    await page.getByRole("status").filter({ hasText: "Not connected" }).waitFor();
    await checkPage(watched, "connect-wrong-secret");

    await page.getByLabel("Client secret").fill(sim.clientSecret);
    await page.getByRole("button", { name: "Test connection" }).click();
    await page.getByRole("status").filter({ hasText: "Successfully connected" }).waitFor({ timeout: 60_000 });
    expect(await page.locator('tr[data-check="authentication"]').getAttribute("data-status")).toBe("pass");
    await checkPage(watched, "connect");

    await page.getByRole("button", { name: "Connect", exact: true }).click();
    await page.getByRole("heading", { name: "Integrations", level: 1 }).waitFor();
    const tile = page.locator('article[data-connector="web"]');
    await tile.locator('[data-state="processed"]').waitFor({ timeout: 90_000 });
    await expect.poll(async () => Number(await tile.getByTestId("records-cloudResources").textContent()), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await storedSecrets("connector:web")).toBeGreaterThan(0);
    const stored = await (await fetch(`${base}/api/connectors/web`, { headers: { authorization: `Bearer ${token.admin}` } })).text();
    expect(stored).not.toContain(sim.clientSecret);

    const runs = new RunRepository(session.store.db);
    await tile.getByRole("button", { name: "Sync now" }).click();
    await tile.getByRole("status").filter({ hasText: "Queued" }).waitFor();
    await expect.poll(async () => (await runs.list("web", 50)).filter((r) => r.trigger === "manual" && r.status === "succeeded").length, { timeout: 90_000 }).toBeGreaterThan(0);
    await checkPage(watched, "integrations-connected");

    await tile.getByRole("button", { name: "Disconnect" }).click();
    await tile.getByRole("button", { name: "Yes, disconnect" }).click();
    const notice = page.getByTestId("page-notice");
    await notice.waitFor();
    expect(await notice.textContent()).toMatch(/Disconnected web: \d+ stored credential\(s\) deleted.*revoke it in the Wiz portal/);
    await tile.waitFor({ state: "detached" });
    expect(await storedSecrets("connector:web")).toBe(0);
    expect((await fetch(`${base}/api/connectors/web`, { headers: { authorization: `Bearer ${token.admin}` } })).status).toBe(404);
    expect(watched.errors).toEqual([]);
    await page.close();
  });

  it("connector detail: run history, chart, open issues by severity from Wiz, cursors, dead letters", async () => {
    const watched = await watchedPage(browser);
    const { page } = watched;
    await signIn(watched, base, token.operator, "/connectors/sim");
    await page.getByRole("heading", { name: /Connector sim/, level: 1 }).waitFor();
    await page.getByRole("heading", { name: "Run history" }).waitFor();
    await expect.poll(async () => Number(await page.getByTestId("severity-critical").textContent().catch(() => "NaN")), { timeout: 30_000 }).toBeGreaterThanOrEqual(0);
    await page.locator(".recharts-surface").first().waitFor();
    expect(await page.getByRole("button", { name: "Full resync of issues" }).count()).toBe(1);
    await checkPage(watched, "connector-detail");
    await page.close();
  });

  it("sinks: each sink with its connectors' backlog and health", async () => {
    const watched = await watchedPage(browser);
    const { page } = watched;
    await signIn(watched, base, token.viewer, "/sinks");
    await page.locator('article[data-sink="events"]').getByRole("cell", { name: "sim" }).waitFor();
    await checkPage(watched, "sinks");
    await page.close();
  });

  it("runtime: an alert posted to /ingest/falco is followed on the Runtime page down to linked", async () => {
    const id = await postedAlert();
    const watched = await watchedPage(browser);
    const { page } = watched;
    await signIn(watched, base, token.viewer, "/runtime");
    await page.getByRole("link", { name: id }).click();
    await page.getByRole("heading", { name: "Runtime alert", level: 1 }).waitFor();
    await expect.poll(async () => page.getByTestId("alert-state").textContent(), { timeout: 90_000 }).toBe("linked");
    await page.getByText(/note /).first().waitFor();
    await checkPage(watched, "runtime-alert");
    await page.getByRole("link", { name: "Back to the runtime alerts" }).click();
    await page.locator(`tr[data-alert="${id}"][data-state="linked"]`).waitFor();
    await checkPage(watched, "runtime");
    await page.close();
  });

  it("maps: clone a built-in map, edit the copy, and watch the live preview change; save it", async () => {
    const watched = await watchedPage(browser);
    const { page } = watched;
    await signIn(watched, base, token.admin, "/maps");
    await page.locator('tr[data-map="vm-vulnerability"]').waitFor();
    await checkPage(watched, "maps");
    const row = page.locator('tr[data-map="vm-vulnerability"]');
    await row.getByLabel("New name for the copy of vm-vulnerability").fill("console-vm-map");
    await row.getByRole("button", { name: "Clone vm-vulnerability" }).click();
    await page.getByRole("heading", { name: "Map console-vm-map", level: 1 }).waitFor();
    const output = page.getByTestId("preview-output-0");
    await expect.poll(async () => output.textContent(), { timeout: 30_000 }).toContain("asset_name");
    expect(await output.textContent()).not.toContain("console-preview-marker");

    const editor = page.getByLabel("Map definition (JSON)");
    const map = JSON.parse(await editor.inputValue()) as { fields: Record<string, unknown> };
    map.fields.console_marker = { const: "console-preview-marker" };
    await editor.fill(JSON.stringify(map, null, 2));
    await expect.poll(async () => output.textContent(), { timeout: 30_000 }).toContain("console-preview-marker");

    // A mistake shows the validator's message instead of an output; fixing it brings the preview back.
    map.fields.console_marker = { from: "no.such.path.anywhere" };
    await editor.fill(JSON.stringify(map, null, 2));
    await page.getByRole("alert").filter({ hasText: "console_marker" }).waitFor({ timeout: 30_000 });
    map.fields.console_marker = { const: "console-preview-marker" };
    await editor.fill(JSON.stringify(map, null, 2));
    await expect.poll(async () => output.textContent(), { timeout: 30_000 }).toContain("console-preview-marker");
    await page.getByRole("button", { name: "Save map" }).click();
    await page.getByRole("status").filter({ hasText: "Saved console-vm-map" }).waitFor();
    const saved = await fetch(`${base}/api/maps/console-vm-map`, { headers: { authorization: `Bearer ${token.viewer}` } });
    expect(((await saved.json()) as { map: { fields: Record<string, unknown> } }).map.fields.console_marker).toEqual({ const: "console-preview-marker" });
    await checkPage({ ...watched, errors: watched.errors.filter((e) => !e.includes("400")) }, "map-editor");
    expect(watched.errors.filter((e) => !e.includes("status of 400"))).toEqual([]);
    await page.close();
  });

  it("operations: an admin runs issue.update from a form generated from its schema; a viewer has no button for it", async () => {
    const operation = async (role: keyof typeof token, body: unknown) => {
      const answer = await fetch(`${base}/api/operations`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token[role]}` }, body: JSON.stringify(body) });
      expect(answer.status, await answer.clone().text()).toBe(200);
      return ((await answer.json()) as { result: { nodes?: Array<{ id: string; status: string }> } & Record<string, unknown> }).result;
    };
    // The runtime tenant's issues are the ones its alerts raise: make sure one exists.
    const alertId = await postedAlert();
    await expect.poll(async () => ((await (await fetch(`${base}/api/runtime/alerts/${alertId}`, { headers: { authorization: `Bearer ${token.viewer}` } })).json()) as { state: string }).state, { timeout: 90_000 }).toBe("linked");
    const issue = (await operation("viewer", { resource: "issue", operation: "list", parameters: { first: 5, filterBy: { status: ["OPEN"] } } })).nodes?.[0];
    if (!issue) throw new Error("the simulator tenant has no open issue to update");
    const watched = await watchedPage(browser);
    const { page } = watched;
    await signIn(watched, base, token.admin, "/operations");
    await page.getByLabel("Resource").selectOption("issue");
    await page.getByLabel("Operation").selectOption("update");
    await page.getByLabel(/^(issueId|id) \(required\)$/).fill(issue.id);
    await page.getByLabel("status", { exact: true }).selectOption("IN_PROGRESS");
    await page.getByLabel("note", { exact: true }).fill("set from the wizbridge console test");
    await page.getByRole("button", { name: "Run issue.update" }).click();
    await page.getByRole("status").filter({ hasText: "issue.update ran" }).waitFor();
    await page.getByRole("region", { name: "Operation result as a table" }).getByText("IN_PROGRESS").first().waitFor();
    const after = await operation("viewer", { resource: "issue", operation: "list", parameters: { first: 5, filterBy: { status: ["IN_PROGRESS"] } } });
    expect(after.nodes?.map((n) => n.id)).toContain(issue.id);
    await checkPage(watched, "operations");
    await page.close();

    const viewer = await watchedPage(browser);
    await signIn(viewer, base, token.viewer, "/operations");
    await viewer.page.getByLabel("Resource").selectOption("issue");
    await viewer.page.getByLabel("Operation").selectOption("update");
    await viewer.page.getByText("needs an admin token").waitFor();
    expect(await viewer.page.getByRole("button", { name: "Run issue.update" }).count()).toBe(0);
    // A read-only operation stays runnable for the viewer.
    await viewer.page.getByLabel("Operation").selectOption("severityCounts");
    await viewer.page.getByRole("button", { name: "Run issue.severityCounts" }).click();
    await viewer.page.getByRole("status").filter({ hasText: "issue.severityCounts ran" }).waitFor();
    await checkPage(viewer, "operations-viewer");
    await viewer.page.close();
  });
});
