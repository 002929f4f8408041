import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Simulator } from "../../src/sim/index.js";
import type { Store } from "../../src/store/store-database.js";
import { WorkflowHandledRepository } from "../../src/store/workflow-handled.repository.js";
import type { WizClient } from "../../src/wiz/index.js";
import { actionConfigSchema } from "../../src/workflows/actions/action-config.js";
import { createResponseAction, type ResponseAction } from "../../src/workflows/actions/response-action.js";
import { threatResponseWorkflow } from "../../src/workflows/threat-response.workflow.js";
import { runWorkflow, WorkflowInputError, type WorkflowRunResult } from "../../src/workflows/workflow-runner.js";
import { SimSession } from "../support/sim-session.js";
import { openTempStore, simClient, simContext, startReceiver, startWorkflowSimulator, tempDir } from "./workflow-harness.js";

interface SimDetection {
  id: string;
  severity: string;
  issue: { id: string } | null;
  cloudAccounts: Array<{ cloudProvider: string | null }>;
}

interface IssueState {
  id: string;
  status: string;
  updatedAt: string;
  notes: Array<{ text: string }>;
}

// 30 days on the simulator's clock: the tiny tenant's detections of that window, at two severities.
const PARAMETERS = { minutes: 30 * 24 * 60, severities: ["CRITICAL", "HIGH"], routes: { AWS: "isolate", GCP: "broken", default: "soar" } };

describe("threat-response against the simulator: routed actions, issues set IN_PROGRESS, never twice", () => {
  let sim: Simulator;
  let session: SimSession;
  let client: WizClient;
  let dir: ReturnType<typeof tempDir>;
  let soar: Awaited<ReturnType<typeof startReceiver>>;
  let actions: Map<string, ResponseAction>;
  let invocations: string;
  let detections: SimDetection[];

  beforeAll(async () => {
    sim = await startWorkflowSimulator();
    session = new SimSession(sim);
    client = simClient(sim);
    dir = tempDir("wizbridge-threat-response-");
    soar = await startReceiver(() => ({ status: 202, body: "queued" }));
    invocations = join(dir.dir, "isolate.jsonl");
    const script = join(dir.dir, "isolate.mjs");
    // The response command: reads the detection JSON on stdin and records it with the env it was given.
    writeFileSync(
      script,
      `import { appendFileSync } from "node:fs";\nlet input = "";\nprocess.stdin.on("data", (c) => (input += c));\nprocess.stdin.on("end", () => { appendFileSync(${JSON.stringify(invocations)}, JSON.stringify({ detection: JSON.parse(input), env: { id: process.env.WIZBRIDGE_DETECTION_ID, platform: process.env.WIZBRIDGE_CLOUD_PLATFORM, secret: process.env.WIZ_CLIENT_SECRET ?? null } }) + "\\n"); console.log("isolated"); });\n`,
    );
    actions = new Map([
      ["isolate", createResponseAction("isolate", actionConfigSchema.parse({ type: "command", command: [process.execPath, script] }))],
      ["broken", createResponseAction("broken", actionConfigSchema.parse({ type: "command", command: [process.execPath, "-e", "process.stderr.write('no route to the VPC'); process.exit(3)"] }))],
      ["soar", createResponseAction("soar", actionConfigSchema.parse({ type: "webhook", url: `${soar.url}/playbooks/contain`, headers: { Authorization: "Bearer soar-token-123456" } }))],
    ]);
    const found = await session.data<{ detections: { nodes: SimDetection[] } }>(
      `{ detections(filterBy: {createdAt: {inLast: {amount: ${PARAMETERS.minutes}, unit: DurationFilterValueUnitMinutes}}, severity: {equals: [CRITICAL, HIGH]}}, first: 1000) { nodes { id severity issue { id } cloudAccounts { cloudProvider } } } }`,
    );
    detections = found.detections.nodes;
  });
  afterAll(async () => {
    await client.close();
    await soar.close();
    await sim.close();
    dir.cleanup();
  });
  beforeEach(() => {
    sim.requests.clear();
  });

  const platformOf = (d: SimDetection): string => d.cloudAccounts.find((a) => a.cloudProvider)?.cloudProvider ?? "unknown";
  const issueIds = (): string[] => [...new Set(detections.flatMap((d) => (d.issue ? [d.issue.id] : [])))];
  const issueStates = async (): Promise<IssueState[]> =>
    (await session.data<{ issuesV2: { nodes: IssueState[] } }>("query($ids: [String!]) { issuesV2(filterBy: {id: $ids}, first: 500) { nodes { id status updatedAt notes { text } } } }", { ids: issueIds() })).issuesV2.nodes.sort(
      (a, b) => a.id.localeCompare(b.id),
    );
  const recorded = (): Array<{ detection: { id: string; wizbridge: { route: string } }; env: { id: string; platform: string; secret: string | null } }> =>
    existsSync(invocations) ? readFileSync(invocations, "utf8").trim().split("\n").map((line) => JSON.parse(line)) : [];
  const mutations = () => sim.requests.list({ rootField: "updateIssue" }).length + sim.requests.list({ rootField: "createIssueNote" }).length;
  const respond = (store: Store, dryRun: boolean): Promise<WorkflowRunResult> =>
    runWorkflow(threatResponseWorkflow, { parameters: PARAMETERS, notify: [], format: "json" }, simContext(client, sim, { store, dryRun, allowMutations: !dryRun, actions }), new Map());

  it("the window has detections on each route (the test would prove nothing otherwise)", () => {
    expect(detections.filter((d) => platformOf(d) === "AWS").length).toBeGreaterThan(0);
    expect(detections.filter((d) => platformOf(d) === "GCP").length).toBeGreaterThan(0);
    expect(detections.filter((d) => !["AWS", "GCP"].includes(platformOf(d))).length).toBeGreaterThan(0);
  });

  it("--dry-run shows what would happen and changes nothing: no action, no Wiz mutation, no ledger row", async () => {
    const before = await issueStates();
    const store = await openTempStore(dir.dir);
    try {
      const result = await respond(store, true);
      const data = result.report.data as { detections: Array<{ id: string; outcome: { kind: string; action?: string; issueUpdate?: { issueId: string; patch: { status: string } } } }> };
      expect(data.detections.map((d) => d.id).sort()).toEqual(detections.map((d) => d.id).sort());
      expect(data.detections.every((d) => d.outcome.kind === "would-act")).toBe(true);
      const aws = detections.find((d) => platformOf(d) === "AWS" && d.issue);
      expect(data.detections.find((d) => d.id === aws?.id)?.outcome).toMatchObject({ action: "isolate", issueUpdate: { issueId: aws?.issue?.id, patch: { status: "IN_PROGRESS" } } });
      expect(result.report.summary[1]).toBe(`Dry run: ${detections.length} would be acted on, 0 already handled, 0 without a route; nothing was run or changed.`);
      expect(await new WorkflowHandledRepository(store.db).list("threat-response")).toEqual([]);
    } finally {
      await store.close();
    }
    expect(recorded()).toEqual([]);
    expect(soar.requests).toEqual([]);
    expect(mutations()).toBe(0);
    expect(await issueStates()).toEqual(before);
  });

  it("routes each detection by platform, sets its issue IN_PROGRESS with a note; two processes racing act once per detection", async () => {
    // Two store connections on one file, as `wizbridge start` and a manual run would be.
    const [first, second] = [await openTempStore(dir.dir), await openTempStore(dir.dir)];
    let results: WorkflowRunResult[];
    try {
      results = await Promise.all([respond(first, false), respond(second, false)]);
    } finally {
      await first.close();
      await second.close();
    }
    const aws = detections.filter((d) => platformOf(d) === "AWS");
    const gcp = detections.filter((d) => platformOf(d) === "GCP");
    const others = detections.filter((d) => !["AWS", "GCP"].includes(platformOf(d)));
    // The command got each AWS detection once, on stdin, with its facts in WIZBRIDGE_* and none of wizbridge's secrets.
    const calls = recorded();
    expect(calls.map((c) => c.detection.id).sort()).toEqual(aws.map((d) => d.id).sort());
    expect(calls.every((c) => c.env.id === c.detection.id && c.env.platform === "AWS" && c.env.secret === null && c.detection.wizbridge.route === "AWS")).toBe(true);
    // The SOAR webhook got every other platform's detection once, with its bearer token.
    const posted = soar.requests.map((r) => JSON.parse(r.body) as { detection: { id: string }; route: string });
    expect(posted.map((p) => p.detection.id).sort()).toEqual(others.map((d) => d.id).sort());
    expect(soar.requests.every((r) => r.headers.authorization === "Bearer soar-token-123456")).toBe(true);
    // Each run says what it did; together they cover every detection exactly once.
    const outcomes = results.flatMap((r) => (r.report.data as { detections: Array<{ id: string; outcome: { kind: string } }> }).detections);
    // The slower run finds the faster one's claims, in the ledger or at its own claim.
    const acting = outcomes.filter((o) => o.outcome.kind !== "claimed-elsewhere" && o.outcome.kind !== "already-handled");
    expect(acting.map((o) => o.id).sort()).toEqual(detections.map((d) => d.id).sort());
    expect(outcomes.filter((o) => o.outcome.kind === "failed").map((o) => o.id).sort()).toEqual(gcp.map((d) => d.id).sort());
    // Issues of detections whose action succeeded are IN_PROGRESS with wizbridge's note naming the detection.
    const states = new Map((await issueStates()).map((s) => [s.id, s]));
    for (const detection of [...aws, ...others].filter((d) => d.issue)) {
      const issue = states.get(detection.issue?.id ?? "");
      expect(issue?.status).toBe("IN_PROGRESS");
      expect(issue?.notes.some((n) => n.text.startsWith("wizbridge threat-response: detection") && n.text.length <= 1500)).toBe(true);
    }
    // One update per detection acted on, each with its own note naming the detection; none for a failed action.
    const updates = sim.requests.list({ rootField: "updateIssue" }).map((r) => r.variables as { issueId: string; patch: { status: string; note: string } });
    const acted = [...aws, ...others].filter((d) => d.issue);
    expect(updates).toHaveLength(acted.length);
    for (const detection of acted) {
      expect(updates.filter((u) => u.issueId === detection.issue?.id && u.patch.status === "IN_PROGRESS" && u.patch.note.includes(`detection ${detection.id} `))).toHaveLength(1);
    }
    // A failed action leaves its issue alone and is recorded with the command's own words.
    const store = await openTempStore(dir.dir);
    try {
      const ledger = await new WorkflowHandledRepository(store.db).find("threat-response", gcp.map((d) => d.id));
      expect([...ledger.values()].every((row) => row.state === "failed" && String(row.detail.error).includes("exited with 3; stderr: no route to the VPC"))).toBe(true);
    } finally {
      await store.close();
    }
  });

  it("after a restart (the store reopened) nothing is acted on twice and Wiz is not touched", async () => {
    const callsBefore = recorded().length;
    const postsBefore = soar.requests.length;
    const store = await openTempStore(dir.dir);
    try {
      const result = await respond(store, false);
      const data = result.report.data as { detections: Array<{ outcome: { kind: string } }> };
      expect(data.detections).toHaveLength(detections.length);
      expect(data.detections.every((d) => d.outcome.kind === "already-handled")).toBe(true);
      expect(result.report.summary[1]).toBe(`0 acted on, 0 failed, ${detections.length} already handled, 0 without a route; 0 issues set IN_PROGRESS.`);
    } finally {
      await store.close();
    }
    expect(recorded()).toHaveLength(callsBefore);
    expect(soar.requests).toHaveLength(postsBefore);
    expect(mutations()).toBe(0);
  });

  it("a route naming an action that does not exist stops the run before any Wiz call", async () => {
    const store = await openTempStore(dir.dir);
    try {
      const error = await runWorkflow(
        threatResponseWorkflow,
        { parameters: { ...PARAMETERS, routes: { AWS: "isolat" } }, notify: [], format: "json" },
        simContext(client, sim, { store, allowMutations: true, actions }),
        new Map(),
      ).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(error?.message).toBe('threat-response: route AWS -> "isolat" names no action under workflows.actions (defined: isolate, broken, soar); add it to the config file or fix the route.');
      expect(sim.requests.list({ rootField: "detections" })).toEqual([]);
      const refused = await runWorkflow(threatResponseWorkflow, { parameters: { ...PARAMETERS, minutes: 0 }, notify: [], format: "json" }, simContext(client, sim, { store, actions }), new Map()).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(WorkflowInputError);
    } finally {
      await store.close();
    }
  });
});
