import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSimClock } from "../clock.js";
import { generateTenant } from "../tenant/generate-tenant.js";
import type { WizRecord } from "../tenant/types.js";
import { createWebhookEmitter, type WebhookEmitterDeps, type WebhookTarget } from "./webhook-emitter.js";

const FIXTURE = fileURLToPath(new URL("../../../test/fixtures/runtime/wiz-defend-detection-webhook-payload-reference.json", import.meta.url));
const SECRET = "s3cr3t-token-value-9f8e7d";

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: WizRecord;
}

/** A webhook receiver on 127.0.0.1 that answers with scripted statuses (then 200) and records requests. */
async function startReceiver(statuses: number[] = []): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const script = [...statuses];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ path: req.url ?? "", headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as WizRecord });
      res.statusCode = script.shift() ?? 200;
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, received, server };
}

function issueRecord(overrides: WizRecord = {}): WizRecord {
  return {
    id: "8f3e2d1c-4b5a-4c6d-9e7f-1a2b3c4d5e6f",
    type: "THREAT_DETECTION",
    status: "OPEN",
    severity: "HIGH",
    createdAt: "2026-01-01T00:00:00.000000Z",
    updatedAt: "2026-01-01T00:05:00.000000Z",
    dueAt: null,
    resolvedAt: null,
    resolutionReason: null,
    url: "https://app.wiz.io/issues#~(issue~'8f3e2d1c-4b5a-4c6d-9e7f-1a2b3c4d5e6f)",
    projects: [{ id: "p1", name: "Production", slug: "production", businessUnit: "Platform", riskProfile: { businessImpact: "HBI" } }],
    sourceRule: { __typename: "CloudEventRule", id: "cer-1", name: "Crypto mining process", description: "Mining detected", severity: "HIGH" },
    entitySnapshot: {
      id: "e1",
      type: "BUCKET",
      nativeType: "s3#bucket",
      name: "prod-customer-uploads",
      status: "Active",
      cloudPlatform: "AWS",
      cloudProviderURL: "https://s3.console.aws.amazon.com/s3/buckets/prod-customer-uploads",
      providerId: "arn:aws:s3:::prod-customer-uploads",
      region: "ap-south-1",
      subscriptionExternalId: "123456789012",
      subscriptionName: "prod-account",
      tags: { env: "prod" },
    },
    ...overrides,
  };
}

/** A detection in the GraphQL `detections` node shape, filled enough to populate every webhook field. */
function detectionRecord(): WizRecord {
  const resource = {
    id: "res-1",
    externalId: "test-container",
    providerUniqueId: "provider-resource-uid-456",
    name: "test-container",
    type: "CONTAINER",
    nativeType: "ecs#containerinstance",
    region: "us-east-1",
    status: "Running",
    cloudPlatform: "AWS",
    cloudProviderURL: "https://console.aws.amazon.com/ecs",
    cloudAccount: { id: "acc-1", cloudProvider: "AWS", externalId: "134653897021", name: "prod" },
    kubernetesCluster: { id: "cluster-5678", name: "prod-cluster" },
    kubernetesNamespace: { id: "ns-abc", name: "production" },
    kubernetesNode: { id: "node-1234", name: "eks-node-1" },
  };
  return {
    id: "det-1",
    type: "GENERATED_THREAT",
    origins: ["WIZ_SENSOR"],
    severity: "MEDIUM",
    description: "Timestomping",
    createdAt: "2026-01-01T00:00:01.000000Z",
    updatedAt: "2026-01-01T00:00:01.000000Z",
    startedAt: "2026-01-01T00:00:00.000000Z",
    endedAt: "2026-01-01T00:00:00.500000Z",
    issue: { id: "iss-1", url: "https://app.wiz.io/issues#~(issue~'iss-1)" },
    ruleMatch: {
      rule: {
        id: "rule-1",
        name: "Timestomping technique was detected",
        description: "Process executed touch with a timestamp flag",
        origins: ["WIZ_SENSOR"],
        securitySubCategories: [{ id: "s1", title: "TA0005 Defense Evasion" }, { id: "s2", title: "T1070.006 Timestomp" }],
      },
    },
    cloudOrganizations: [{ id: "org-1", cloudProvider: "AWS", externalId: "o-1234567890", name: "AcmeCloudOrg" }],
    primaryActor: { id: "actor-1", name: "test-actor", type: "SERVICE_ACCOUNT", nativeType: "sa", email: "a@example.com", externalId: "ext-actor" },
    resources: [resource],
    primaryResource: { id: "res-1", type: "CONTAINER", name: "test-container", externalId: "test-container", region: "us-east-1" },
    triggeringEvents: {
      totalCountV2: 1,
      nodes: [
        {
          id: "ev-1",
          externalId: "ev-ext-1",
          origin: "WIZ_SENSOR",
          name: "Timestomping technique was detected",
          description: "bash ran touch",
          cloudProviderUrl: "https://console.aws.amazon.com/cloudtrail",
          cloudPlatform: "AWS",
          timestamp: "2026-01-01T00:00:00.000000Z",
          source: "WizSensorAlert##RuleEngine",
          category: "Detection",
          status: "Success",
          actorIP: "81.2.69.192",
          actor: { id: "actor-1", externalId: "x", providerUniqueId: "p", name: "Test Actor", type: "Process", nativeType: "ecs#task", actingAs: { id: "r", name: "Role", type: "IAMRole", nativeType: "aws#iamrole" } },
          actorIPMeta: {
            country: "United States",
            autonomousSystemNumber: 8075,
            autonomousSystemOrganization: "MICROSOFT",
            reputation: "Benign",
            reputationDescription: "No malicious activity detected",
            reputationSource: "Recorded Future",
            relatedAttackGroupNames: [],
            isForeign: true,
          },
          resources: [{ id: "res-1" }],
          extraDetails: {
            __typename: "CloudEventRuntimeDetails",
            processTree: [
              {
                command: "touch -r /usr/bin /tmp/uga",
                path: "/usr/bin/touch",
                hash: "a0d0",
                size: 109616,
                executionTime: "2026-01-01T00:00:00.000000Z",
                runtimeProgramId: "1560",
                userId: "0",
                userName: "root",
                container: { id: "c1", externalId: "test-container", name: "test-container", image: { id: "img-1", externalId: "sha256:dcad" } },
              },
            ],
          },
        },
      ],
    },
  };
}

/** Every key path of a JSON value; arrays contribute the paths of their first element. */
function shape(value: unknown, prefix = ""): string[] {
  if (Array.isArray(value)) return value.length > 0 ? shape(value[0], `${prefix}[]`) : [`${prefix}[]`];
  if (value !== null && typeof value === "object") {
    return Object.entries(value as WizRecord).flatMap(([k, v]) => [`${prefix}.${k}`, ...shape(v, `${prefix}.${k}`)]);
  }
  return [];
}

describe("createWebhookEmitter", () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const servers: Server[] = [];
  const clock = createSimClock();
  const noSleep = async (): Promise<void> => {};

  beforeEach(async () => {
    receiver = await startReceiver();
    servers.push(receiver.server);
  });
  afterEach(async () => {
    for (const s of servers.splice(0)) await new Promise<void>((resolve) => s.close(() => resolve()));
  });

  const emitter = (targets: WebhookTarget[], extra: Partial<WebhookEmitterDeps> = {}) =>
    createWebhookEmitter({ targets, clock, options: { sleep: noSleep }, ...extra });

  it("POSTs an issue.created payload in Wiz's template shape with the auth header", async () => {
    const hooks = emitter([{ url: receiver.url, events: ["issue.created"], authHeader: { name: "Authorization", value: `Bearer ${SECRET}` } }]);
    hooks.issueEvent("issue.created", issueRecord());
    await hooks.flush();
    expect(receiver.received).toHaveLength(1);
    const got = receiver.received[0];
    expect(got?.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(got?.headers["content-type"]).toBe("application/json");
    const body = got?.body ?? {};
    expect(Object.keys(body)).toEqual(["trigger", "issue", "resource", "control"]);
    expect(body.trigger).toMatchObject({ source: "ISSUES", type: "Created" });
    expect(typeof (body.trigger as WizRecord).ruleId).toBe("string");
    expect(body.issue).toMatchObject({
      id: "8f3e2d1c-4b5a-4c6d-9e7f-1a2b3c4d5e6f",
      status: "OPEN",
      severity: "HIGH",
      created: "2026-01-01T00:00:00.000000Z",
      dueDate: "",
      projects: [{ id: "p1", name: "Production", businessUnit: "Platform", riskProfile: { businessImpact: "HBI" } }],
    });
    expect(body.resource).toMatchObject({
      id: "arn:aws:s3:::prod-customer-uploads",
      providerId: "arn:aws:s3:::prod-customer-uploads",
      name: "prod-customer-uploads",
      type: "BUCKET",
      cloudPlatform: "AWS",
      subscriptionId: "123456789012",
      subscriptionName: "prod-account",
      region: "ap-south-1",
      status: "Active",
      tags: { env: "prod" },
    });
    expect(body.control).toMatchObject({ id: "cer-1", name: "Crypto mining process", description: "Mining detected", severity: "HIGH" });
    expect(hooks.deliveries()).toMatchObject([{ event: "issue.created", status: "delivered", httpStatus: 200, attempts: 1, error: null }]);
  });

  it("sends updates with updatedFields and resolutions with type Resolved, only to subscribed targets, in order", async () => {
    const other = await startReceiver();
    servers.push(other.server);
    const hooks = emitter([
      { url: receiver.url, events: ["issue.created", "issue.updated", "issue.resolved"], authHeader: { name: "X-Wiz-Secret", value: SECRET } },
      { url: other.url, events: ["issue.resolved"] },
    ]);
    hooks.issueEvent("issue.created", issueRecord());
    hooks.issueEvent("issue.updated", issueRecord({ status: "IN_PROGRESS" }), { updatedFields: ["status"] });
    hooks.issueEvent("issue.resolved", issueRecord({ status: "RESOLVED", resolvedAt: "2026-01-02T00:00:00.000000Z", resolutionReason: "OBJECT_DELETED" }));
    await hooks.flush();
    expect(receiver.received.map((r) => (r.body.trigger as WizRecord).type)).toEqual(["Created", "Updated", "Resolved"]);
    expect(receiver.received[0]?.headers["x-wiz-secret"]).toBe(SECRET);
    expect((receiver.received[1]?.body.trigger as WizRecord).updatedFields).toEqual(["status"]);
    expect(receiver.received[2]?.body.issue).toMatchObject({ status: "RESOLVED", resolvedAt: "2026-01-02T00:00:00.000000Z", resolutionReason: "OBJECT_DELETED" });
    expect(other.received).toHaveLength(1);
    expect(other.received[0]?.headers["x-wiz-secret"]).toBeUndefined();
  });

  it("retries on 503 and succeeds on the third attempt", async () => {
    const flaky = await startReceiver([503, 503]);
    servers.push(flaky.server);
    const waits: number[] = [];
    const hooks = createWebhookEmitter({
      targets: [{ url: flaky.url, events: ["issue.created"] }],
      clock,
      options: { backoffMs: 100, sleep: async (ms) => void waits.push(ms) },
    });
    hooks.issueEvent("issue.created", issueRecord());
    await hooks.flush();
    expect(flaky.received).toHaveLength(3);
    expect(waits).toEqual([100, 200]);
    expect(hooks.deliveries()).toMatchObject([{ status: "delivered", attempts: 3, httpStatus: 200, error: null }]);
  });

  it("gives up after the bounded attempts, does not retry a 4xx, and never throws", async () => {
    const down = await startReceiver([503, 503, 503, 503]);
    const rejecting = await startReceiver([400]);
    servers.push(down.server, rejecting.server);
    const warnings: Array<{ obj: object; msg: string }> = [];
    const hooks = emitter(
      [
        { url: down.url, events: ["issue.created"] },
        { url: rejecting.url, events: ["issue.created"] },
      ],
      { logger: { warn: (obj, msg) => void warnings.push({ obj, msg }) } },
    );
    expect(() => hooks.issueEvent("issue.created", issueRecord())).not.toThrow();
    await hooks.flush();
    expect(down.received).toHaveLength(3);
    expect(rejecting.received).toHaveLength(1);
    const byUrl = new Map(hooks.deliveries().map((d) => [d.targetUrl, d]));
    expect(byUrl.get(down.url)).toMatchObject({ status: "failed", attempts: 3, httpStatus: 503, error: "HTTP 503" });
    expect(byUrl.get(rejecting.url)).toMatchObject({ status: "failed", attempts: 1, httpStatus: 400 });
    expect(warnings).toHaveLength(2);
  });

  it("records network errors without the auth header value anywhere in deliveries() or logs", async () => {
    const closed = await startReceiver();
    await new Promise<void>((resolve) => closed.server.close(() => resolve()));
    const logged: string[] = [];
    const hooks = emitter(
      [
        { url: closed.url, events: ["issue.created"], authHeader: { name: "Authorization", value: `Bearer ${SECRET}` } },
        { url: receiver.url.replace("http://", "http://user:pw-" + SECRET + "@"), events: ["issue.created"], authHeader: { name: "X-Token", value: SECRET } },
      ],
      { logger: { warn: (obj, msg) => void logged.push(JSON.stringify(obj) + msg) } },
    );
    hooks.issueEvent("issue.created", issueRecord());
    await hooks.flush();
    const deliveries = hooks.deliveries();
    expect(deliveries[0]).toMatchObject({ status: "failed", attempts: 3, httpStatus: null });
    expect(deliveries[0]?.error).toMatch(/fetch failed|ECONNREFUSED/);
    expect(deliveries[1]).toMatchObject({ status: "delivered" });
    // user:password in a target URL travels as Basic auth, never in the recorded URL.
    expect(receiver.received[0]?.headers.authorization).toMatch(/^Basic /);
    expect(deliveries[1]?.targetUrl).toBe(receiver.url);
    expect(JSON.stringify(deliveries)).not.toContain(SECRET);
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.join("\n")).not.toContain(SECRET);
  });

  it("sends Defend detections in exactly the shape of Wiz's detection webhook", async () => {
    const reference = JSON.parse(readFileSync(FIXTURE, "utf8")) as WizRecord;
    const hooks = emitter([{ url: receiver.url, events: ["detection.created"] }]);
    hooks.detectionEvent(detectionRecord());
    hooks.issueEvent("issue.created", issueRecord()); // not subscribed: must not arrive
    await hooks.flush();
    expect(receiver.received).toHaveLength(1);
    const body = receiver.received[0]?.body ?? {};
    expect(shape(body).sort()).toEqual(shape(reference).sort());
    expect(Object.keys(body)).toEqual(Object.keys(reference));
    expect(body).toMatchObject({
      trigger: { source: "DETECTIONS", type: "Created" },
      id: "det-1",
      source: "DETECTIONS",
      threatId: "iss-1",
      threatURL: "https://app.wiz.io/issues#~(issue~'iss-1)",
      title: "Timestomping technique was detected",
      severity: "MEDIUM",
      tdrId: "rule-1",
      tdrSource: "WIZ_SENSOR",
      mitreTactics: ["TA0005"],
      mitreTechniques: ["T1070.006"],
      timeframe: { start: "2026-01-01T00:00:00.000000Z", end: "2026-01-01T00:00:00.500000Z" },
      triggeringEventsCount: 1,
      primaryResource: { providerUniqueId: "provider-resource-uid-456", kubernetesClusterName: "prod-cluster", cloudAccount: { cloudPlatform: "AWS" } },
      triggeringEvent: { eventTime: "2026-01-01T00:00:00.000000Z", actorIPMeta: { relatedAttackGroupNames: "None" }, runtimeDetails: { processTree: [{ username: "root", id: "1560" }] } },
    });
  });

  it("keeps only the newest delivery records", async () => {
    const hooks = createWebhookEmitter({ targets: [{ url: receiver.url, events: ["issue.updated"] }], clock, options: { maxRecords: 2, sleep: noSleep } });
    for (let i = 0; i < 4; i++) hooks.issueEvent("issue.updated", issueRecord({ id: `issue-${i}` }));
    await hooks.flush();
    expect(receiver.received).toHaveLength(4);
    expect(hooks.deliveries().map((d) => d.subjectId)).toEqual(["issue-2", "issue-3"]);
  });

  it("builds payloads from the generated tenant's issue and detection records", async () => {
    const tenant = generateTenant({ seed: 1, size: "tiny", now: clock.now() });
    const reference = JSON.parse(readFileSync(FIXTURE, "utf8")) as WizRecord;
    const hooks = emitter([{ url: receiver.url, events: ["issue.updated", "detection.created"] }]);
    const issue = tenant.issues.get(0);
    hooks.issueEvent("issue.updated", issue);
    const detection = tenant.detections.get(0);
    hooks.detectionEvent(detection);
    await hooks.flush();
    const [issueBody, detectionBody] = receiver.received.map((r) => r.body);
    const snapshot = issue.entitySnapshot as WizRecord;
    expect(issueBody?.issue).toMatchObject({ id: issue.id, status: issue.status, severity: issue.severity, created: issue.createdAt });
    expect(issueBody?.resource).toMatchObject({ id: snapshot.providerId, name: snapshot.name, cloudPlatform: snapshot.cloudPlatform });
    expect((issueBody?.control as WizRecord).name).toBe((issue.sourceRule as WizRecord).name);
    expect(Object.keys(detectionBody ?? {})).toEqual(Object.keys(reference));
    expect(Object.keys((detectionBody?.primaryResource as WizRecord | null) ?? {})).toEqual(Object.keys(reference.primaryResource as WizRecord));
    expect(Object.keys((detectionBody?.triggeringEvent as WizRecord | null) ?? {})).toEqual(Object.keys(reference.triggeringEvent as WizRecord));
    expect(detectionBody).toMatchObject({ id: detection.id, threatId: (detection.issue as WizRecord).id, severity: detection.severity });
    expect((detectionBody?.mitreTactics as string[]).length + (detectionBody?.mitreTechniques as string[]).length).toBeGreaterThan(0);
  });
});
