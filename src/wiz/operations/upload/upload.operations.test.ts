import { Agent, type Dispatcher } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Simulator } from "../../../sim/index.js";
import type { WizRecord } from "../../../sim/tenant/types.js";
import { simClient, startTestSimulator } from "../../sim-client.test-fixtures.js";
import { WizClient } from "../../wiz-client.js";
import { WizInputError, WizNotFoundError } from "../../wiz-errors.js";

let sim: Simulator;
let client: WizClient;
let agent: Agent;
/** Headers of every request the upload dispatcher sent, to prove the PUT carries no Wiz token. */
const sentHeaders: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  sim = await startTestSimulator({ upload: { processingDelayMs: 30_000 } });
  agent = new Agent();
  const recording = agent.compose((dispatch) => (options: Dispatcher.DispatchOptions, handler) => {
    sentHeaders.push({ ...(options.headers as Record<string, unknown>) });
    return dispatch(options, handler);
  });
  client = new WizClient(simClient(sim), { dispatcher: recording });
});
afterAll(async () => {
  await client.close();
  await client.core.close();
  await agent.close();
  await sim.close();
});

function enrichmentDocument(resource: WizRecord, eventName: string) {
  const now = new Date(sim.clock.now()).toISOString();
  return {
    integrationId: "55c176cc-d155-43a2-98ed-aa56873a1ca1",
    dataSources: [
      {
        id: "wizbridge-sdk-test",
        analysisDate: now,
        assets: [
          {
            assetIdentifier: { cloudPlatform: resource.cloudPlatform, providerId: (resource.graphEntity as WizRecord).providerUniqueId },
            events: [
              {
                id: "alert-1",
                name: eventName,
                timestamp: now,
                severity: "HIGH",
                externalFindingLink: "https://falco.example/alerts/1",
                mitreTacticIds: ["TA0002"],
                mitreTechniqueIds: ["T1059"],
                description: "Shell spawned in a container",
              },
            ],
          },
        ],
      },
    ],
  };
}

describe("upload operations against the simulator", () => {
  it("round trip: requestUpload, uploadDocument, getSystemActivity, then threat list finds the raised issue", async () => {
    const resource = sim.tenant.cloudResources.get(4);
    const slot = await client.upload.requestUpload({ filename: "wizbridge-runtime.json" });
    const request = sim.requests.list({ rootField: "requestSecurityScanUpload" }).at(-1);
    expect(request).toMatchObject({ operationName: "RequestSecurityScanUpload", variables: { filename: "wizbridge-runtime.json" } });
    expect(slot.id).toMatch(/^\d+$/);
    expect(slot.url).toContain("X-Amz-Signature=");

    const receipt = await client.upload.uploadDocument({ url: slot.url, document: enrichmentDocument(resource, "Terminal shell in container (wizbridge)") });
    expect(receipt.status).toBe(200);
    expect(receipt.bytes).toBeGreaterThan(0);
    const put = sim.requests.list().filter((e) => e.method === "PUT").at(-1);
    expect(put).toMatchObject({ path: `/upload/${slot.id}`, status: 200, contentType: "application/json" });
    expect(sentHeaders.at(-1)).toHaveProperty("content-type", "application/json");
    expect(sentHeaders.at(-1)).not.toHaveProperty("authorization");

    await sim.clock.advance(31_000);
    const activity = await client.upload.getSystemActivity({ id: slot.systemActivityId });
    expect(sim.requests.list({ rootField: "systemActivity" }).at(-1)?.variables).toEqual({ id: slot.systemActivityId });
    expect(["SUCCESS", "SKIPPED"]).toContain(activity?.status);
    expect(activity?.result?.events).toEqual({ incoming: 1, handled: 1 });
    expect(activity?.context).toEqual({ fileUploadId: slot.id });

    const threats = await client.threat.list({ filterBy: { relatedEntity: { id: [String(resource.id)] }, status: ["OPEN"] } });
    const raised = threats.nodes.find((n) => n.sourceRule?.name === "Terminal shell in container (wizbridge)");
    expect(raised).toMatchObject({ type: "THREAT_DETECTION", status: "OPEN", severity: "HIGH", entitySnapshot: { id: resource.id } });
  });

  it("getSystemActivity is NOT_FOUND before the document arrives", async () => {
    const slot = await client.upload.requestUpload({ filename: "early.json" });
    await expect(client.upload.getSystemActivity({ id: slot.systemActivityId })).rejects.toBeInstanceOf(WizNotFoundError);
  });

  it("uploadDocument refuses a document without data sources before sending", async () => {
    const before = sim.requests.list().length;
    const error = await client.upload
      .uploadDocument({ url: `${sim.url}/upload/1?X-Amz-Signature=abc`, document: { integrationId: "55c176cc-d155-43a2-98ed-aa56873a1ca1", dataSources: [] } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WizInputError);
    expect((error as WizInputError).path).toBe("document.dataSources");
    expect(sim.requests.list()).toHaveLength(before);
  });

  it("an expired URL is refused with advice to request a new slot, and the signature never appears in the error", async () => {
    const slot = await client.upload.requestUpload({ filename: "late.json" });
    await sim.clock.advance(86_401_000);
    const error = await client.upload.uploadDocument({ url: slot.url, document: enrichmentDocument(sim.tenant.cloudResources.get(4), "late") }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WizInputError);
    expect((error as WizInputError).code).toBe("UPLOAD_URL_EXPIRED");
    expect((error as WizInputError).message).toMatch(/requestUpload/);
    const signature = new URL(slot.url).searchParams.get("X-Amz-Signature") ?? "";
    expect(signature).not.toBe("");
    expect(JSON.stringify(error)).not.toContain(signature);
    expect((error as WizInputError).message).not.toContain(signature);
  });
});
