import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "../../src/sim/index.js";
import type { WizRecord } from "../../src/sim/tenant/types.js";
import { SimSession } from "../support/sim-session.js";

const REQUEST_UPLOAD = /* GraphQL */ `
  query RequestSecurityScanUpload($filename: String!) {
    requestSecurityScanUpload(filename: $filename) { upload { id url systemActivityId } }
  }
`;

const SYSTEM_ACTIVITY = /* GraphQL */ `
  query SystemActivity($id: ID!) {
    systemActivity(id: $id) {
      id status statusInfo
      result {
        ... on SystemActivityEnrichmentIntegrationResult {
          dataSources { incoming handled } findings { incoming handled } events { incoming handled } tags { incoming handled }
          unresolvedAssets { count ids }
        }
      }
      context { ... on SystemActivityEnrichmentIntegrationContext { fileUploadId } }
    }
  }
`;

const THREATS_ON = /* GraphQL */ `
  query ThreatsOn($filterBy: IssueFilters) {
    issues: issuesV2(first: 50, filterBy: $filterBy) { nodes { id type status severity sourceRule { name } entitySnapshot { providerId } } }
  }
`;

interface Slot {
  id: string;
  url: string;
  systemActivityId: string;
}

describe("upload flow over HTTP: requestSecurityScanUpload -> PUT -> systemActivity -> THREAT_DETECTION issue", () => {
  let sim: Simulator;
  let session: SimSession;
  let resource: WizRecord;
  let providerId: string;

  beforeAll(async () => {
    sim = await startSimulator({ seed: 21, size: "tiny", rateLimit: { requestsPerSecond: 0 }, upload: { processingDelayMs: 30_000 } });
    session = new SimSession(sim);
    resource = sim.tenant.cloudResources.get(4);
    providerId = String((resource.graphEntity as WizRecord).providerUniqueId);
  });
  afterAll(async () => sim.close());

  const documentWith = (events: Array<{ id: string; name: string }>, extraAssets: WizRecord[] = []) => ({
    integrationId: "55c176cc-d155-43a2-98ed-aa56873a1ca1",
    dataSources: [
      {
        id: "wizbridge-runtime-test",
        analysisDate: new Date(sim.clock.now()).toISOString(),
        assets: [
          {
            assetIdentifier: { cloudPlatform: "AWS", providerId },
            events: events.map((e) => ({
              ...e,
              timestamp: new Date(sim.clock.now()).toISOString(),
              severity: "HIGH",
              externalFindingLink: "https://falco.example/alerts/1",
              mitreTacticIds: ["TA0002"],
              mitreTechniqueIds: ["T1059"],
              description: "Shell spawned in a container",
            })),
          },
          ...extraAssets,
        ],
      },
    ],
  });

  async function upload(document: unknown): Promise<Slot> {
    const data = await session.data<{ requestSecurityScanUpload: { upload: Slot } }>(REQUEST_UPLOAD, { filename: "wizbridge-runtime.json" });
    const slot = data.requestSecurityScanUpload.upload;
    // The PUT goes to the presigned URL without the Wiz bearer token, as to S3.
    const put = await fetch(slot.url, { method: "PUT", headers: { "content-type": "application/json" }, body: typeof document === "string" ? document : JSON.stringify(document) });
    expect(put.status).toBe(200);
    return slot;
  }

  async function activity(id: string) {
    return session.data<{ systemActivity: WizRecord }>(SYSTEM_ACTIVITY, { id });
  }

  it("hands out a slot shaped like Wiz's (numeric id, expiring presigned URL, systemActivityId)", async () => {
    const data = await session.data<{ requestSecurityScanUpload: { upload: Slot } }>(REQUEST_UPLOAD, { filename: "scan.json" });
    expect(data.requestSecurityScanUpload.upload.id).toMatch(/^\d+$/);
    expect(data.requestSecurityScanUpload.upload.url).toMatch(new RegExp(`^${sim.url}/upload/\\d+\\?.*X-Amz-Expires=86400`));
    expect(data.requestSecurityScanUpload.upload.systemActivityId).toMatch(/^[0-9a-f-]{36}$/);
    const bad = await session.query(REQUEST_UPLOAD, { filename: "scan.txt" });
    expect(bad.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("ingests an event on a matched resource as a THREAT_DETECTION issue, skipping an unknown asset", async () => {
    const unknownAsset = { assetIdentifier: { cloudPlatform: "AWS", providerId: "arn:aws:ec2:us-east-1:000000000000:instance/i-doesnotexist" }, events: [] };
    const slot = await upload(documentWith([{ id: "alert-1", name: "Terminal shell in container" }], [unknownAsset]));
    expect((await activity(slot.systemActivityId)).systemActivity.status).toBe("IN_PROGRESS");
    await sim.clock.advance(31_000);
    const done = (await activity(slot.systemActivityId)).systemActivity;
    expect(done.status).not.toBe("IN_PROGRESS");
    expect(done.result).toMatchObject({ events: { incoming: 1, handled: 1 }, unresolvedAssets: { count: 1 } });
    expect(done.context).toMatchObject({ fileUploadId: slot.id });
    const threats = await session.data<{ issues: { nodes: WizRecord[] } }>(THREATS_ON, { filterBy: { type: ["THREAT_DETECTION"], relatedEntity: { id: resource.id }, status: ["OPEN"] } });
    const raised = threats.issues.nodes.find((n) => (n.sourceRule as WizRecord | null)?.name === "Terminal shell in container");
    expect(raised).toMatchObject({ type: "THREAT_DETECTION", status: "OPEN", severity: "HIGH", entitySnapshot: { providerId } });
  });

  it("a newer upload of the same data source without the event resolves its issue", async () => {
    const slot = await upload(documentWith([]));
    await sim.clock.advance(31_000);
    expect((await activity(slot.systemActivityId)).systemActivity.status).not.toBe("IN_PROGRESS");
    const threats = await session.data<{ issues: { nodes: WizRecord[] } }>(THREATS_ON, { filterBy: { type: ["THREAT_DETECTION"], relatedEntity: { id: resource.id } } });
    const raised = threats.issues.nodes.find((n) => (n.sourceRule as WizRecord | null)?.name === "Terminal shell in container");
    expect(raised?.status).toBe("RESOLVED");
  });

  it("marks an invalid document FAILURE with a reason, and refuses an expired URL", async () => {
    const slot = await upload("{ not json");
    await sim.clock.advance(31_000);
    const failed = (await activity(slot.systemActivityId)).systemActivity;
    expect(failed.status).toBe("FAILURE");
    expect(String(failed.statusInfo)).not.toBe("");
    const fresh = await session.data<{ requestSecurityScanUpload: { upload: Slot } }>(REQUEST_UPLOAD, { filename: "late.json" });
    await sim.clock.advance(86_401_000);
    const late = await fetch(fresh.requestSecurityScanUpload.upload.url, { method: "PUT", body: "{}" });
    expect(late.status).toBe(403);
    expect(await late.text()).toContain("Request has expired");
    session.forgetToken(); // a day has passed: the access token expired with it
  });

  it("answers Resource not found for an unknown systemActivity", async () => {
    const result = await session.query(SYSTEM_ACTIVITY, { id: "3f1c2d4e-0000-4000-8000-000000000000" });
    expect(result.body.errors?.[0]).toMatchObject({ message: "Resource not found", extensions: { code: "NOT_FOUND" } });
  });
});
