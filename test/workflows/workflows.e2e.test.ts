import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Simulator } from "../../src/sim/index.js";
import type { Store } from "../../src/store/store-database.js";
import { WorkflowHandledRepository } from "../../src/store/workflow-handled.repository.js";
import type { WizClient } from "../../src/wiz/index.js";
import { assetSweepWorkflow } from "../../src/workflows/asset-sweep.workflow.js";
import { evidenceWorkflow } from "../../src/workflows/evidence.workflow.js";
import { forensicsWorkflow } from "../../src/workflows/forensics.workflow.js";
import { createNotifier } from "../../src/workflows/notify/create-notifier.js";
import type { Notifier } from "../../src/workflows/notify/notification.js";
import { notifierConfigSchema } from "../../src/workflows/notify/notifier-config.js";
import { projectReportWorkflow } from "../../src/workflows/project-report.workflow.js";
import { ResourceNotFoundError } from "../../src/workflows/resolve-resource-id.js";
import { triageDigestWorkflow } from "../../src/workflows/triage-digest.workflow.js";
import type { WorkflowDefinition } from "../../src/workflows/workflow-definition.js";
import { runWorkflow } from "../../src/workflows/workflow-runner.js";
import { SimSession } from "../support/sim-session.js";
import { makeTestPki, openTempStore, simClient, simContext, startReceiver, startSmtpServer, startWorkflowSimulator, tempDir } from "./workflow-harness.js";

type Counts = { criticalSeverityCount: number; highSeverityCount: number; mediumSeverityCount: number; lowSeverityCount: number; informationalSeverityCount: number; totalCount: number };
const COUNT_FIELDS = "totalCount criticalSeverityCount highSeverityCount mediumSeverityCount lowSeverityCount informationalSeverityCount";

describe("workflows end to end against the simulator", () => {
  let sim: Simulator;
  let session: SimSession;
  let client: WizClient;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let chat: Notifier;

  beforeAll(async () => {
    sim = await startWorkflowSimulator();
    session = new SimSession(sim);
    client = simClient(sim);
    receiver = await startReceiver();
    chat = createNotifier("chat", notifierConfigSchema.parse({ type: "slack", url: `${receiver.url}/services/T/B/x` }));
  });
  afterAll(async () => {
    await client.close();
    await receiver.close();
    await sim.close();
  });
  beforeEach(() => {
    sim.requests.clear();
  });

  /** The variables the workflow sent for a root field (the test's own checks go through SimSession, not the SDK). */
  const sent = (rootField: string) => sim.requests.list({ rootField }).filter((r) => r.userAgent?.startsWith("wizbridge/")).map((r) => r.variables);
  const run = (definition: WorkflowDefinition, parameters: unknown, options: Parameters<typeof simContext>[2] = {}, notify: string[] = []) =>
    runWorkflow(definition, { parameters, notify, format: "markdown" }, simContext(client, sim, options), new Map([["chat", chat]]));

  it("triage-digest: the tenant's severity counts, every critical issue with its portal link, posted to chat", async () => {
    const expected = await session.data<{ issuesV2: Counts }>(`{ issuesV2(filterBy: {status: [OPEN, IN_PROGRESS]}) { ${COUNT_FIELDS} } }`);
    const critical = await session.all<{ id: string }>(
      "query($after: String) { issuesV2(filterBy: {status: [OPEN, IN_PROGRESS], severity: [CRITICAL]}, first: 500, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }",
      {},
      "issuesV2",
    );
    expect(critical.length).toBeGreaterThan(0);
    const before = receiver.requests.length;

    const result = await run(triageDigestWorkflow, { limit: 500 }, {}, ["chat"]);

    expect(result.report.severityCounts).toEqual({
      CRITICAL: expected.issuesV2.criticalSeverityCount,
      HIGH: expected.issuesV2.highSeverityCount,
      MEDIUM: expected.issuesV2.mediumSeverityCount,
      LOW: expected.issuesV2.lowSeverityCount,
      INFORMATIONAL: expected.issuesV2.informationalSeverityCount,
    });
    const listed = (result.report.data as { issues: Array<{ id: string; portalUrl: string }> }).issues;
    expect(listed.map((i) => i.id).sort()).toEqual(critical.map((i) => i.id).sort());
    expect(listed[0]?.portalUrl).toBe(`https://app.wiz.io/issues#~(issue~'${listed[0]?.id})`);
    // Documented envelope shapes reach Wiz as its own variables.
    expect(sent("issuesV2")).toEqual([
      { filterBy: { status: ["OPEN", "IN_PROGRESS"] } },
      { filterBy: { status: ["OPEN", "IN_PROGRESS"], severity: ["CRITICAL"] }, first: 500, orderBy: { field: "CREATED_AT", direction: "DESC" } },
    ]);
    expect(result.deliveries).toEqual([{ notifier: "chat", title: result.report.title, ok: true }]);
    const slack = JSON.parse(receiver.requests[before]?.body ?? "{}") as { text: string };
    expect(slack.text).toContain(`${critical.length} critical issue`);
    expect(result.rendered).toContain(`[`);
  });

  it("asset-sweep: ARN -> listIDs -> the resource's issues and vulnerability findings, as the tenant has them", async () => {
    const findings = await session.data<{ vulnerabilityFindings: { nodes: Array<{ vulnerableAsset: { id: string; providerUniqueId: string | null } | null }> } }>(
      "{ vulnerabilityFindings(filterBy: {status: [OPEN]}, first: 500) { nodes { vulnerableAsset { ... on VulnerableAssetBase { id providerUniqueId } } } } }",
    );
    const perAsset = new Map<string, { id: string; providerId: string; count: number }>();
    for (const node of findings.vulnerabilityFindings.nodes) {
      const asset = node.vulnerableAsset;
      if (!asset?.providerUniqueId) continue;
      const entry = perAsset.get(asset.id) ?? { id: asset.id, providerId: asset.providerUniqueId, count: 0 };
      entry.count += 1;
      perAsset.set(asset.id, entry);
    }
    const target = [...perAsset.values()].sort((a, b) => b.count - a.count)[0];
    if (!target) throw new Error("the tenant has no asset with findings");
    const issues = await session.all<{ id: string }>(
      "query($id: [String!], $after: String) { issuesV2(filterBy: {relatedEntity: {id: $id}, status: [OPEN, IN_PROGRESS]}, first: 500, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }",
      { id: [target.id] },
      "issuesV2",
    );
    const assetFindings = await session.all<{ id: string }>(
      "query($id: [String!], $after: String) { vulnerabilityFindings(filterBy: {assetId: $id, status: [OPEN]}, first: 500, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }",
      { id: [target.id] },
      "vulnerabilityFindings",
    );

    const result = await run(assetSweepWorkflow, { providerId: target.providerId });

    const data = result.report.data as { resourceId: string; issues: Array<{ id: string }>; vulnerabilityFindings: Array<{ id: string }> };
    expect(data.resourceId).toBe(target.id);
    expect(data.issues.map((i) => i.id).sort()).toEqual(issues.map((i) => i.id).sort());
    expect(data.vulnerabilityFindings.map((f) => f.id).sort()).toEqual(assetFindings.map((f) => f.id).sort());
    expect(sent("cloudResources")).toEqual([{ filterBy: { providerUniqueId: [target.providerId] }, first: 10 }]);
    expect(sent("vulnerabilityFindings")[0]).toMatchObject({ filterBy: { assetId: [target.id], status: ["OPEN"] }, first: 500 });
    expect(result.report.summary[0]).toBe(`${target.providerId} is Wiz resource ${target.id}.`);
  });

  it("asset-sweep of an unknown provider id stops before reading anything else, saying how to find the id", async () => {
    const error = await run(assetSweepWorkflow, { providerId: "arn:aws:ec2:us-east-1:000000000000:instance/i-nothere" }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(ResourceNotFoundError);
    expect(error?.message).toContain("No Wiz cloud resource has the provider id arn:aws:ec2:us-east-1:000000000000:instance/i-nothere");
    expect(sent("issuesV2")).toEqual([]);
  });

  it("evidence: get, getEvidence, the parsed evidence query run with projectId * gives the affected entities", async () => {
    const candidates = await session.data<{ issuesV2: { nodes: Array<{ id: string; evidenceQuery: Record<string, unknown> | null }> } }>(
      "{ issuesV2(filterBy: {status: [OPEN]}, first: 50) { nodes { id evidenceQuery } } }",
    );
    const issue = candidates.issuesV2.nodes.find((n) => n.evidenceQuery);
    if (!issue) throw new Error("no issue with an evidence query");
    const graph = await session.all<{ entities: Array<{ id: string } | null> }>(
      "query($query: GraphEntityQueryInput, $after: String) { graphSearch(query: $query, projectId: \"*\", first: 500, after: $after) { nodes { entities { id } } pageInfo { hasNextPage endCursor } } }",
      { query: issue.evidenceQuery },
      "graphSearch",
    );
    const expected = [...new Set(graph.flatMap((row) => row.entities.flatMap((e) => (e ? [e.id] : []))))].sort();

    const result = await run(evidenceWorkflow, { issueId: issue.id });

    const data = result.report.data as { entities: Array<{ id: string }>; evidenceQuery: unknown };
    expect(data.evidenceQuery).toEqual(issue.evidenceQuery);
    expect(data.entities.map((e) => e.id).sort()).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
    expect(sent("graphSearch")[0]).toMatchObject({ query: issue.evidenceQuery, projectId: "*", first: 500 });
  });

  describe("project-report, with each project's digest mailed to its owners", () => {
    let pki: ReturnType<typeof makeTestPki>;
    let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
    const account = { user: "reports", pass: "smtp-pass-for-reports" };

    beforeAll(async () => {
      pki = makeTestPki();
      smtp = await startSmtpServer(pki, account);
    });
    afterAll(async () => {
      await smtp.close();
      pki.cleanup();
    });

    it("counts per non-archived project equal the tenant's, the overall report goes to the list, each digest to the owners", async () => {
      const projects = await session.data<{ projects: { nodes: Array<{ id: string; name: string; archived: boolean; projectOwners: Array<{ email: string | null }> }> } }>(
        "{ projects(first: 500) { nodes { id name archived projectOwners { email } } } }",
      );
      const live = projects.projects.nodes.filter((p) => !p.archived);
      const mail = createNotifier(
        "mail",
        notifierConfigSchema.parse({ type: "smtp", host: "127.0.0.1", port: smtp.port, auth: account, from: "wizbridge@example.com", to: ["mssp@example.com"], caFile: pki.caFile }),
      );
      try {
        const result = await runWorkflow(projectReportWorkflow, { parameters: {}, notify: ["mail", "chat"], format: "html" }, simContext(client, sim), new Map([["mail", mail], ["chat", chat]]));
        const data = result.report.data as { projects: Array<{ id: string; totals: Record<string, number>; recipients: string[] }> };
        expect(data.projects.map((p) => p.id).sort()).toEqual(live.map((p) => p.id).sort());
        for (const project of data.projects) {
          const counts = await session.data<{ issuesV2: Counts }>(`query($p: [String!]) { issuesV2(filterBy: {project: $p, status: [OPEN, IN_PROGRESS]}) { ${COUNT_FIELDS} } }`, { p: [project.id] });
          expect(project.totals).toEqual({
            CRITICAL: counts.issuesV2.criticalSeverityCount,
            HIGH: counts.issuesV2.highSeverityCount,
            MEDIUM: counts.issuesV2.mediumSeverityCount,
            LOW: counts.issuesV2.lowSeverityCount,
            INFORMATIONAL: counts.issuesV2.informationalSeverityCount,
          });
          const owners = live.find((p) => p.id === project.id)?.projectOwners.flatMap((o) => (o.email ? [o.email] : [])) ?? [];
          expect(project.recipients.sort()).toEqual([...new Set(owners)].sort());
        }
        // getTeam looked each project up by its name, as OPERATIONS.md documents.
        expect(sent("projects").filter((v) => (v?.filterBy as { search?: string } | undefined)?.search !== undefined).map((v) => (v?.filterBy as { search: string }).search).sort()).toEqual(live.map((p) => p.name).sort());
        const withOwners = data.projects.filter((p) => p.recipients.length > 0);
        expect(withOwners.length).toBeGreaterThan(0);
        expect(smtp.mails.map((m) => m.to)).toEqual([["mssp@example.com"], ...withOwners.map((p) => p.recipients)]);
        expect(smtp.mails.every((m) => m.secure)).toBe(true);
        // Chat got the overall digest only, never the per-owner mails.
        expect(result.deliveries.filter((d) => d.notifier === "chat")).toHaveLength(1);
        expect(result.deliveries.every((d) => d.ok)).toBe(true);
        expect(result.rendered).toContain("<svg");
      } finally {
        await mail.close();
      }
    });
  });

  describe("forensics", () => {
    let dir: ReturnType<typeof tempDir>;
    let store: Store;

    beforeAll(async () => {
      dir = tempDir("wizbridge-forensics-");
      store = await openTempStore(dir.dir);
    });
    afterAll(async () => {
      await store.close();
      dir.cleanup();
    });

    const vm = async (): Promise<{ id: string; providerUniqueId: string }> => {
      const found = await session.data<{ cloudResources: { nodes: Array<{ id: string; graphEntity: { providerUniqueId: string } }> } }>(
        "{ cloudResources(filterBy: {type: [VIRTUAL_MACHINE]}, first: 1) { nodes { id graphEntity { providerUniqueId } } } }",
      );
      const node = found.cloudResources.nodes[0];
      if (!node) throw new Error("no VM in the tenant");
      return { id: node.id, providerUniqueId: node.graphEntity.providerUniqueId };
    };

    it("a dry run resolves the id and requests nothing", async () => {
      const target = await vm();
      const result = await run(forensicsWorkflow, { providerId: target.providerUniqueId }, { dryRun: true, store, allowMutations: false }, ["chat"]);
      expect(result.report.summary[0]).toBe(`${target.providerUniqueId} is Wiz resource ${target.id}.`);
      expect(sent("copyResourceForensicsToExternalAccount")).toEqual([]);
      expect(await new WorkflowHandledRepository(store.db).list("forensics")).toEqual([]);
      expect(result.deliveries).toEqual([]);
    });

    it("listIDs -> copyToExternalAccount with the Wiz id -> systemActivityGroupId recorded in the store and sent to the responders", async () => {
      const target = await vm();
      const before = receiver.requests.length;
      const result = await run(forensicsWorkflow, { providerId: target.providerUniqueId }, { store, allowMutations: true }, ["chat"]);
      expect(sent("copyResourceForensicsToExternalAccount")).toEqual([{ input: { id: target.id } }]);
      const data = result.report.data as { systemActivityGroupId: string | null; resourceId: string };
      expect(data.resourceId).toBe(target.id);
      expect(data.systemActivityGroupId).toEqual(expect.any(String));
      const ledger = await new WorkflowHandledRepository(store.db).list("forensics");
      expect(ledger).toHaveLength(1);
      expect(ledger[0]).toMatchObject({ state: "done", detail: { providerId: target.providerUniqueId, resourceId: target.id, systemActivityGroupId: data.systemActivityGroupId } });
      const slack = JSON.parse(receiver.requests[before]?.body ?? "{}") as { blocks: Array<{ text?: { text: string } }> };
      expect(JSON.stringify(slack.blocks)).toContain(`systemActivityGroupId ${data.systemActivityGroupId}`);
    });
  });
});
