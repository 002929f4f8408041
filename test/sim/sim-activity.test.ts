import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "../../src/sim/index.js";
import type { WizRecord } from "../../src/sim/tenant/types.js";
import { SimSession } from "../support/sim-session.js";

const CHANGED = /* GraphQL */ `
  query Changed($first: Int, $after: String, $filterBy: IssueFilters) {
    issues: issuesV2(first: $first, after: $after, filterBy: $filterBy) { nodes { id status updatedAt createdAt } pageInfo { hasNextPage endCursor } }
  }
`;

describe("tenant activity and outbound webhooks", () => {
  let sim: Simulator;
  let session: SimSession;
  const received: Array<{ headers: IncomingMessage["headers"]; body: WizRecord }> = [];
  const receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      received.push({ headers: req.headers, body: JSON.parse(body) as WizRecord });
      res.writeHead(200).end();
    });
  });

  beforeAll(async () => {
    receiver.listen(0, "127.0.0.1");
    await new Promise((r) => receiver.once("listening", r));
    const port = (receiver.address() as AddressInfo).port;
    sim = await startSimulator({
      seed: 31,
      size: "tiny",
      rateLimit: { requestsPerSecond: 0 },
      activityPerHour: 40,
      webhooks: [{ url: `http://127.0.0.1:${port}/wiz`, events: ["issue.created", "issue.updated", "issue.resolved", "detection.created"], authHeader: { name: "Authorization", value: "Bearer hook-secret" } }],
    });
    session = new SimSession(sim);
  });
  afterAll(async () => {
    await sim.close();
    receiver.close();
  });

  it("creates, updates and resolves records as simulated time passes, visible to an incremental reader", async () => {
    const before = sim.clock.now();
    const sizeBefore = sim.tenant.issues.size();
    const cursor = new Date(before).toISOString();
    const none = await session.all<WizRecord>(CHANGED, { first: 100, filterBy: { updatedAt: { after: cursor } } }, "issues");
    expect(none).toEqual([]);
    await sim.clock.advance(3 * 3_600_000);
    const changed = await session.all<WizRecord>(CHANGED, { first: 100, filterBy: { updatedAt: { after: cursor } } }, "issues");
    expect(changed.length).toBeGreaterThan(10);
    for (const issue of changed) {
      expect(Date.parse(String(issue.updatedAt))).toBeGreaterThan(before);
      expect(Date.parse(String(issue.updatedAt))).toBeLessThanOrEqual(sim.clock.now());
    }
    expect(sim.tenant.issues.size()).toBeGreaterThan(sizeBefore);
    const created = changed.filter((i) => Date.parse(String(i.createdAt)) > before);
    expect(created.length).toBeGreaterThan(0);
  });

  it("sends automation-rule webhooks with the configured auth header", async () => {
    await sim.webhooks.flush();
    expect(received.length).toBeGreaterThan(0);
    expect(received.every((r) => r.headers.authorization === "Bearer hook-secret")).toBe(true);
    const issueEvents = received.filter((r) => (r.body.trigger as WizRecord | undefined)?.source === "ISSUES");
    expect(issueEvents.length).toBeGreaterThan(0);
    expect(issueEvents[0]?.body).toMatchObject({ issue: { id: expect.any(String), status: expect.any(String) } });
    // The secret header value never shows in what the simulator reports about deliveries.
    expect(JSON.stringify(sim.webhooks.deliveries())).not.toContain("hook-secret");
  });
});
