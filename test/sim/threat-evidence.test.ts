import { afterEach, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "../../src/sim/index.js";
import { SimSession } from "../support/sim-session.js";
import { tempDir } from "../sync/sync-fixtures.js";
import { differences, RECORDED_ISSUES, writeRecordedTenant } from "./replayed-records.js";

type Node = Record<string, unknown>;

// The threat-evidence selection of XSOAR's Wiz integration (CloudEventGroupCloudEventResponse), trimmed to
// the fields schema/wiz.graphql added for it: subjectResource's container and Kubernetes entities,
// statusDetails, trigger and the runtime details (sensor, host, context, process containers).
const CLOUD_EVENT = /* GraphQL */ `
  fragment Evidence on CloudEvent {
    id
    status
    statusDetails { errorReason providerErrorMessage providerErrorCode }
    subjectResource {
      id
      openToAllInternet
      containerService { id name type providerUniqueId }
      kubernetesClusterGraphEntity { id name type providerUniqueId }
      kubernetesNamespaceGraphEntity { id name providerUniqueId }
      kubernetesController { id name type providerUniqueId }
      kubernetesControllerGraphEntity { id name type providerUniqueId }
    }
    matchedRules { rule { builtInId name id } }
    extraDetails {
      ... on CloudEventRuntimeDetails {
        type
        context { ... on CloudEventRuntimeTypeProcessStartContext { commandLine } ... on CloudEventRuntimeTypeNetworkConnectContext { remoteIP remotePort } }
        sensor { id name type status sensorVersion workload { id name sensorName } cluster { id name type } }
        host { id externalId type hostname kernelVersion }
        hostGraphEntity { id name type }
        processTree {
          id command wizResponse enforcementResult { action errorMessage } containerGraphEntity { id name type }
          container { id name image { id externalId } pod { id name ips namespace } kubernetesController { id name externalId type } kubernetesCluster { id name externalId } serviceAccount ecsContainerDetails { ecsTask { id externalId } } }
        }
      }
    }
    trigger {
      ... on CloudEventSensorRulesMatch { sensorEngineRules { rule { id name MITRETactics MITRETechniques } version } fileReputationHashMatch { sha256 malwareClassification { family } } }
      ... on CloudEventAdmissionReview { cloudConfigurationRuleMatches { cloudConfigurationRule { id } cicdScanPolicies { id name params { __typename } } } }
    }
  }
`;

describe("threat evidence: the CloudEvent fields public clients select", () => {
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it("a generated tenant fills them: runtime events carry sensor, host, process context and the matched sensor rule", async () => {
    sim = await startSimulator({ seed: 5, size: "tiny", rateLimit: { requestsPerSecond: 0 } });
    const data = await new SimSession(sim).data<{ detections: { nodes: Array<{ origins: string[]; triggeringEvents: { nodes: Node[] } }> } }>(
      `query { detections(first: 100, filterBy: {type: {equals: [GENERATED_THREAT, MATCH_ONLY]}, origin: {equals: [WIZ_SENSOR]}}) { nodes { origins triggeringEvents(first: 5) { nodes { ...Evidence } } } } } ${CLOUD_EVENT}`,
    );
    const events = data.detections.nodes.flatMap((d) => d.triggeringEvents.nodes);
    expect(events.length).toBeGreaterThan(0);
    const runtime = events.find((e) => (e.extraDetails as Node | null)?.sensor);
    const details = runtime?.extraDetails as Node;
    expect(details).toMatchObject({ type: "PROCESS_START", context: { commandLine: expect.any(String) }, sensor: { id: expect.any(String), status: "CONNECTED" }, host: { id: expect.any(String), hostname: expect.any(String) } });
    expect(runtime?.trigger).toMatchObject({ sensorEngineRules: [{ rule: { name: expect.any(String), MITRETechniques: expect.arrayContaining([expect.stringMatching(/^T\d{4}/)]) }, version: "1" }], fileReputationHashMatch: null });
    expect(runtime?.statusDetails).toBeNull();
    expect(typeof (runtime?.subjectResource as Node).openToAllInternet).toBe("boolean");
    // A container's process carries its pod and controller, and the subject resource names the same controller.
    const inPod = events.find((e) => ((e.extraDetails as Node | null)?.processTree as Node[] | undefined)?.some((p) => (p.container as Node | null)?.pod));
    expect(inPod).toBeDefined();
    const container = ((inPod?.extraDetails as Node).processTree as Node[])[0]?.container as Node;
    expect(container.pod).toMatchObject({ name: expect.any(String), namespace: expect.any(String) });
    expect((inPod?.subjectResource as Node).kubernetesController).toMatchObject({ id: (container.kubernetesController as Node).id, type: "DEPLOYMENT" });
  });

  it("a replayed issue's recorded cloud events come back as recorded, union members typed by their fields", async () => {
    const dir = tempDir("wizbridge-evidence-");
    const event = {
      id: "4b3a2c1d-0e9f-4a8b-9c7d-6e5f4a3b2c1d",
      status: "Failure",
      statusDetails: { errorReason: "AccessDenied", providerErrorMessage: "User is not authorized to perform: s3:GetObject", providerErrorCode: "403" },
      subjectResource: {
        id: "0c9b8a7d-6e5f-4d3c-8b2a-1f0e9d8c7b6a",
        openToAllInternet: true,
        containerService: null,
        kubernetesClusterGraphEntity: { id: "5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a", name: "prod-eks", type: "KUBERNETES_CLUSTER", providerUniqueId: "arn:aws:eks:us-east-1:998877665544:cluster/prod-eks" },
        kubernetesNamespaceGraphEntity: { id: "6e5d4c3b-2a1f-4e0d-9c8b-7a6f5e4d3c2b", name: "payments", providerUniqueId: "payments" },
        kubernetesController: { id: "7f6e5d4c-3b2a-4f1e-8d9c-8b7a6f5e4d3c", name: "payments-api", type: "DEPLOYMENT", providerUniqueId: null },
        kubernetesControllerGraphEntity: null,
      },
      matchedRules: [{ rule: { builtInId: "wiz-sensor-12", name: "Reverse shell", id: "8a7f6e5d-4c3b-4a2f-9e1d-9c8b7a6f5e4d" } }],
      extraDetails: {
        type: "NETWORK_CONNECT",
        context: { remoteIP: "198.51.100.23", remotePort: 4444 },
        sensor: { id: "sensor-1", name: "wiz-sensor-ip-10-0-1-15", type: "KUBERNETES", status: "CONNECTED", sensorVersion: "1.0.6012", workload: null, cluster: { id: "5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a", name: "prod-eks", type: "EKS" } },
        host: { id: "host-1", externalId: "i-0a1b2c3d4e5f60718", type: "VIRTUAL_MACHINE", hostname: "ip-10-0-1-15", kernelVersion: "6.1.0-1025-aws" },
        hostGraphEntity: null,
        processTree: [{ id: "4242", command: "bash -i", wizResponse: null, enforcementResult: null, containerGraphEntity: null, container: null }],
      },
      trigger: { sensorEngineRules: [{ rule: { id: "rule-1", name: "Reverse shell", MITRETactics: ["TA0002"], MITRETechniques: ["T1059.004"] }, version: "3" }], fileReputationHashMatch: null },
    };
    const issue = {
      ...(RECORDED_ISSUES[0] as Node),
      id: "9b8a7f6e-5d4c-4b3a-8f2e-0d9c8b7a6f5e",
      type: "THREAT_DETECTION",
      threatDetectionDetails: { cloudEventGroups: { nodes: [{ id: "group-1", name: "Reverse shell", cloudEvents: [event] }] } },
    };
    writeRecordedTenant(dir, { issues: [issue] as never });
    sim = await startSimulator({ tenantDir: dir, rateLimit: { requestsPerSecond: 0 } });
    const data = await new SimSession(sim).data<{ issue: { threatDetectionDetails: { cloudEventGroups: { nodes: Array<{ cloudEvents: Node[] }> } } } }>(
      `query { issue(id: "${issue.id}") { threatDetectionDetails { cloudEventGroups(first: 10) { nodes { cloudEvents { ...Evidence } } } } } } ${CLOUD_EVENT}`,
    );
    const served = data.issue.threatDetectionDetails.cloudEventGroups.nodes[0]?.cloudEvents[0];
    expect(differences(served, event)).toEqual([]);
    expect((served?.extraDetails as Node).context).toEqual({ remoteIP: "198.51.100.23", remotePort: 4444 });
    // Fields the recording did not select answer null or [] rather than failing the issue.
    expect((served?.extraDetails as Node).processTree).toEqual([expect.objectContaining({ container: null })]);
    expect((served?.subjectResource as Node).kubernetesController).toMatchObject({ name: "payments-api" });
  });
});
