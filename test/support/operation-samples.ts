import { expect } from "vitest";
import type { RequestLogEntry } from "../../src/sim/http/request-log.js";
import type { Simulator } from "../../src/sim/index.js";
import type { WizRecord } from "../../src/sim/tenant/types.js";
import type { RegisteredOperation } from "../../src/wiz/operations/registry.js";
import type { UploadSlot } from "../../src/wiz/operations/upload/request-upload.operation.js";
import type { OperationInput, OperationOutput } from "../../src/wiz/wiz-client.js";

/**
 * One sample call per registry operation, for the every-operation e2e test: a valid input built from the
 * simulator's tenant, the GraphQL requests it must send, and a check of the answer against the tenant.
 */

export const SURFACES = ["sdk", "cli", "mcp"] as const;
export type Surface = (typeof SURFACES)[number];

type IdOf<O> = O extends { resource: infer R extends string; name: infer N extends string } ? `${R}.${N}` : never;
/** `resource.name` of every registered operation. */
export type OperationId = IdOf<RegisteredOperation>;
type OperationById<K extends OperationId> = Extract<RegisteredOperation, { resource: K extends `${infer R}.${string}` ? R : never; name: K extends `${string}.${infer N}` ? N : never }>;

export interface SampleContext {
  sim: Simulator;
  surface: Surface;
  /** Runs another operation on the same surface (setup such as requestUpload before uploadDocument). */
  call(resource: string, name: string, input: Record<string, unknown>): Promise<unknown>;
  /** A tenant issue matching `where` that no other case took, so each mutation changes its own record. */
  claimIssue(where: (issue: WizRecord) => boolean): WizRecord;
  /** A tenant cloud resource matching `where` that no other case took. */
  claimResource(where: (resource: WizRecord) => boolean): WizRecord;
}

/** A GraphQL request the call must send: which document and which root field. */
export interface ExpectedRequest {
  operationName: string;
  rootField: string;
}

export interface PreparedCall<K extends OperationId> {
  input: OperationInput<OperationById<K>>;
  /** The exact variables of each request in `requests`, in order. */
  variables: Array<Record<string, unknown>>;
  /** Checks the answer (parsed JSON on the CLI and MCP) against the tenant; `log` holds every request the call caused. */
  check(output: OperationOutput<OperationById<K>>, log: readonly RequestLogEntry[]): void;
}

export interface OperationSample<K extends OperationId> {
  /** The GraphQL requests the operation sends, in order (none for the S3 PUT of uploadDocument). */
  requests: readonly ExpectedRequest[];
  prepare(context: SampleContext): PreparedCall<K> | Promise<PreparedCall<K>>;
}

/** The sample table seen without per-operation types, as the test iterates it. */
export interface LooseSample {
  requests: readonly ExpectedRequest[];
  prepare(context: SampleContext): Promise<{ input: unknown; variables: Array<Record<string, unknown>>; check(output: unknown, log: readonly RequestLogEntry[]): void }>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const INTEGRATION_ID = "55c176cc-d155-43a2-98ed-aa56873a1ca1";

interface TenantCollection {
  size(): number;
  get(index: number): WizRecord;
  indexOf(id: string): number | undefined;
}

function all(collection: TenantCollection): WizRecord[] {
  return Array.from({ length: collection.size() }, (_, i) => collection.get(i));
}

function nth(records: readonly WizRecord[], index: number, what: string): WizRecord {
  const found = records[index];
  if (!found) throw new Error(`the tiny tenant has no ${what} #${index}`);
  return found;
}

/** The current state of a record, read again from the tenant. */
function current(collection: TenantCollection, id: unknown): WizRecord {
  const index = collection.indexOf(String(id));
  if (index === undefined) throw new Error(`no tenant record ${String(id)}`);
  return collection.get(index);
}

const field = (record: WizRecord, key: string): WizRecord => record[key] as WizRecord;
const providerIdOf = (resource: WizRecord): string => String(field(resource, "graphEntity").providerUniqueId);
const isActive = (issue: WizRecord): boolean => issue.status === "OPEN" || issue.status === "IN_PROGRESS";
const threats = (sim: Simulator): WizRecord[] => all(sim.tenant.issues).filter((i) => i.type === "THREAT_DETECTION");

/** A V1 enrichment document with one event on a tenant resource (as test/sim/sim-upload.test.ts sends). */
function enrichmentDocument(sim: Simulator, surface: Surface) {
  const resource = sim.tenant.cloudResources.get(4);
  const now = new Date(sim.clock.now()).toISOString();
  return {
    integrationId: INTEGRATION_ID,
    dataSources: [
      {
        id: `wizbridge-every-operation-${surface}`,
        analysisDate: now,
        assets: [
          {
            assetIdentifier: { cloudPlatform: String(resource.cloudPlatform), providerId: providerIdOf(resource) },
            events: [
              {
                id: `alert-${surface}`,
                name: `Terminal shell in container (${surface})`,
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

function isUploadSlot(value: unknown): value is UploadSlot {
  const slot = value as Partial<UploadSlot> | null;
  return typeof slot?.id === "string" && typeof slot.url === "string" && typeof slot.systemActivityId === "string";
}

async function requestSlot(context: SampleContext, filename: string): Promise<UploadSlot> {
  const slot = await context.call("upload", "requestUpload", { filename });
  if (!isUploadSlot(slot)) throw new Error(`requestUpload answered ${JSON.stringify(slot)}`);
  return slot;
}

const ISSUE_FILTER_SEVERITIES = ["HIGH", "CRITICAL"] as const;

/** Every registry operation, keyed by `resource.name`; a new operation fails to compile until it has a sample here. */
export const OPERATION_SAMPLES: { readonly [K in OperationId]: OperationSample<K> } = {
  "issue.list": {
    requests: [{ operationName: "ListIssues", rootField: "issuesV2" }],
    prepare: ({ sim }) => {
      const input = { filterBy: { status: ["OPEN" as const], severity: [...ISSUE_FILTER_SEVERITIES] }, first: 5 };
      return {
        input,
        variables: [input],
        check: (page) => {
          const expected = all(sim.tenant.issues).filter((i) => i.status === "OPEN" && (ISSUE_FILTER_SEVERITIES as readonly unknown[]).includes(i.severity));
          expect(expected.length).toBeGreaterThan(5);
          expect(page.totalCount).toBe(expected.length);
          expect(page.pageInfo.hasNextPage).toBe(true);
          expect(page.nodes.map((n) => n.id)).toEqual(expected.slice(0, 5).map((i) => i.id));
          const record = nth(expected, 0, "open high issue");
          expect(page.nodes[0]).toMatchObject({ id: record.id, type: record.type, status: "OPEN", severity: record.severity, url: record.url });
        },
      };
    },
  },

  "issue.get": {
    requests: [{ operationName: "GetIssue", rootField: "issuesV2" }],
    prepare: ({ sim }) => {
      const record = nth(all(sim.tenant.issues).filter((i) => i.type === "CLOUD_CONFIGURATION"), 0, "cloud configuration issue");
      return {
        input: { filterBy: { id: String(record.id) } },
        variables: [{ filterBy: { id: record.id } }],
        check: (issue) => {
          const now = current(sim.tenant.issues, record.id);
          expect(issue).toMatchObject({ id: record.id, type: now.type, status: now.status, severity: now.severity, evidenceQuery: now.evidenceQuery, environments: now.environments });
          expect(issue.entitySnapshot?.id).toBe(field(now, "entitySnapshot").id);
        },
      };
    },
  },

  "issue.getEvidence": {
    requests: [{ operationName: "GetIssueEvidence", rootField: "issuesV2" }],
    prepare: ({ sim }) => {
      const record = nth(all(sim.tenant.issues).filter((i) => i.type === "CLOUD_CONFIGURATION"), 1, "cloud configuration issue");
      return {
        input: { filterBy: { id: String(record.id) } },
        variables: [{ filterBy: { id: record.id } }],
        check: (evidence) => {
          expect(evidence).toEqual({ id: record.id, type: "CLOUD_CONFIGURATION", evidenceQuery: record.evidenceQuery, threatDetectionDetails: null });
        },
      };
    },
  },

  "issue.update": {
    requests: [{ operationName: "UpdateIssue", rootField: "updateIssue" }],
    prepare: ({ sim, surface, claimIssue }) => {
      const record = claimIssue((i) => i.status === "OPEN" && i.type !== "THREAT_DETECTION");
      const patch = { status: "IN_PROGRESS" as const, dueAt: "2030-02-01T00:00:00.000Z", note: `triaged through the ${surface}` };
      return {
        input: { issueId: String(record.id), patch },
        variables: [{ issueId: record.id, patch }],
        check: (updated) => {
          expect(updated).toMatchObject({ id: record.id, status: "IN_PROGRESS" });
          expect(updated.dueAt).toMatch(/^2030-02-01T00:00:00/);
          expect(updated.notes.map((n) => n.text)).toContain(patch.note);
          const now = current(sim.tenant.issues, record.id);
          expect(now).toMatchObject({ status: "IN_PROGRESS", dueAt: updated.dueAt });
          expect((now.notes as WizRecord[]).map((n) => n.text)).toContain(patch.note);
        },
      };
    },
  },

  "issue.clearDueAt": {
    requests: [{ operationName: "ClearIssueDueAt", rootField: "updateIssue" }],
    prepare: ({ sim, claimIssue }) => {
      const record = claimIssue((i) => typeof i.dueAt === "string");
      return {
        input: { issueId: String(record.id) },
        variables: [{ issueId: record.id, override: { dueAt: null } }],
        check: (cleared) => {
          expect(cleared).toMatchObject({ id: record.id, dueAt: null, status: record.status });
          expect(current(sim.tenant.issues, record.id).dueAt).toBeNull();
        },
      };
    },
  },

  "issue.createNote": {
    requests: [{ operationName: "CreateIssueNote", rootField: "createIssueNote" }],
    prepare: ({ sim, surface, claimIssue }) => {
      const record = claimIssue(() => true);
      const text = `seen in the SOC (${surface})`;
      return {
        input: { input: { issueId: String(record.id), text } },
        variables: [{ input: { issueId: record.id, text } }],
        check: (note) => {
          expect(note).toMatchObject({ text, serviceAccount: { id: sim.clientId } });
          const notes = current(sim.tenant.issues, record.id).notes as WizRecord[];
          expect(notes.find((n) => n.id === note.id)).toMatchObject({ text });
          expect(notes).toHaveLength((record.notes as WizRecord[]).length + 1);
        },
      };
    },
  },

  "issue.deleteNote": {
    requests: [{ operationName: "DeleteIssueNote", rootField: "deleteIssueNote" }],
    prepare: async ({ sim, surface, call, claimIssue }) => {
      const record = claimIssue(() => true);
      const created = (await call("issue", "createNote", { input: { issueId: String(record.id), text: `to delete (${surface})` } })) as { id: string };
      expect((current(sim.tenant.issues, record.id).notes as WizRecord[]).map((n) => n.id)).toContain(created.id);
      return {
        input: { input: { id: created.id } },
        variables: [{ input: { id: created.id } }],
        check: (deleted) => {
          expect(deleted).toEqual({ id: created.id, deleted: true });
          const notes = current(sim.tenant.issues, record.id).notes as WizRecord[];
          expect(notes.map((n) => n.id)).not.toContain(created.id);
          expect(notes).toHaveLength((record.notes as WizRecord[]).length);
        },
      };
    },
  },

  "issue.groupedCount": {
    requests: [{ operationName: "CountIssuesGrouped", rootField: "issuesGroupedByValue" }],
    prepare: ({ sim }) => ({
      input: { groupBy: "SEVERITY", filterBy: { status: ["OPEN"] } },
      variables: [{ groupBy: "SEVERITY", filterBy: { status: ["OPEN"] }, first: 100 }],
      check: (result) => {
        const open = all(sim.tenant.issues).filter((i) => i.status === "OPEN");
        const counts = new Map<string, number>();
        for (const issue of open) counts.set(String(issue.severity), (counts.get(String(issue.severity)) ?? 0) + 1);
        expect(counts.size).toBeGreaterThan(1);
        expect(result.totalCount).toBe(counts.size);
        expect(new Map(result.groups.map((g) => [g.value, g.count]))).toEqual(counts);
      },
    }),
  },

  "issue.severityCounts": {
    requests: [{ operationName: "IssueSeverityCounts", rootField: "issuesV2" }],
    prepare: ({ sim }) => {
      const project = String(sim.tenant.projects.get(0).id);
      return {
        input: { filterBy: { project: [project] } },
        variables: [{ filterBy: { status: ["OPEN", "IN_PROGRESS"], project: [project] } }],
        check: (counts) => {
          const active = all(sim.tenant.issues).filter((i) => isActive(i) && (i.projects as WizRecord[]).some((p) => p.id === project));
          const count = (severity: string) => active.filter((i) => i.severity === severity).length;
          expect(active.length).toBeGreaterThan(0);
          expect(counts).toEqual({
            totalCount: active.length,
            criticalSeverityCount: count("CRITICAL"),
            highSeverityCount: count("HIGH"),
            mediumSeverityCount: count("MEDIUM"),
            lowSeverityCount: count("LOW"),
            informationalSeverityCount: count("INFORMATIONAL"),
          });
        },
      };
    },
  },

  "cloudResource.list": {
    requests: [{ operationName: "ListCloudResources", rootField: "cloudResources" }],
    prepare: ({ sim }) => ({
      input: { filterBy: { type: ["VIRTUAL_MACHINE"] }, first: 500 },
      variables: [{ filterBy: { type: ["VIRTUAL_MACHINE"] }, first: 500 }],
      check: (page) => {
        const expected = all(sim.tenant.cloudResources).filter((r) => r.type === "VIRTUAL_MACHINE");
        expect(expected.length).toBeGreaterThan(2);
        expect(page.totalCount).toBe(expected.length);
        expect(page.nodes.map((n) => n.id)).toEqual(expected.map((r) => r.id));
        expect(page.nodes[0]?.graphEntity?.providerUniqueId).toBe(providerIdOf(nth(expected, 0, "VM")));
      },
    }),
  },

  "cloudResource.get": {
    requests: [{ operationName: "GetCloudResource", rootField: "cloudResources" }],
    prepare: ({ sim }) => {
      const record = sim.tenant.cloudResources.get(3);
      return {
        input: { filterBy: { providerUniqueId: providerIdOf(record) } },
        variables: [{ filterBy: { providerUniqueId: providerIdOf(record) }, first: 1 }],
        check: (resource) => {
          expect(resource).toMatchObject({ id: record.id, name: record.name, type: record.type, subscriptionExternalId: record.subscriptionExternalId });
          expect(resource.graphEntity?.providerUniqueId).toBe(providerIdOf(record));
        },
      };
    },
  },

  "cloudResource.listIDs": {
    requests: [{ operationName: "ListCloudResourceIds", rootField: "cloudResources" }],
    prepare: ({ sim }) => {
      const known = [sim.tenant.cloudResources.get(1), sim.tenant.cloudResources.get(7)];
      const missing = "arn:aws:ec2:us-east-1:000000000000:instance/i-missing";
      const providerUniqueIds = [providerIdOf(nth(known, 0, "resource")), missing, providerIdOf(nth(known, 1, "resource"))];
      return {
        input: { filterBy: { providerUniqueId: providerUniqueIds }, first: 500 },
        variables: [{ filterBy: { providerUniqueId: providerUniqueIds }, first: 500 }],
        check: (page) => {
          expect(page.nodes).toEqual(known.map((r) => ({ id: r.id, graphEntity: { providerUniqueId: providerIdOf(r) } })));
          expect(page.totalCount).toBe(2);
        },
      };
    },
  },

  "vulnerabilityFinding.list": {
    requests: [{ operationName: "ListVulnerabilityFindings", rootField: "vulnerabilityFindings" }],
    prepare: ({ sim }) => {
      const input = { filterBy: { status: ["OPEN" as const], vendorSeverity: ["CRITICAL" as const] }, orderBy: { field: "FIRST_DETECTED_AT" as const, direction: "ASC" as const }, first: 20 };
      return {
        input,
        variables: [input],
        check: (page) => {
          const expected = all(sim.tenant.vulnerabilityFindings).filter((f) => f.status === "OPEN" && f.vendorSeverity === "CRITICAL");
          expect(page.totalCount).toBe(expected.length);
          expect(page.nodes).toHaveLength(20);
          const firstSeen = nth([...expected].sort((a, b) => String(a.firstDetectedAt).localeCompare(String(b.firstDetectedAt))), 0, "critical finding");
          expect(page.nodes[0]).toMatchObject({ id: firstSeen.id, name: firstSeen.name, status: "OPEN", vendorSeverity: "CRITICAL" });
          expect(page.nodes[0]?.vulnerableAsset?.id).toBe(field(firstSeen, "vulnerableAsset").id);
          expect(page.nodes.every((n) => n.status === "OPEN" && n.vendorSeverity === "CRITICAL")).toBe(true);
        },
      };
    },
  },

  "versionControlResource.list": {
    requests: [{ operationName: "ListVersionControlResources", rootField: "versionControlResources" }],
    prepare: ({ sim }) => ({
      input: { filterBy: { type: ["REPOSITORY_BRANCH"] }, first: 500 },
      variables: [{ filterBy: { type: ["REPOSITORY_BRANCH"] }, first: 500 }],
      check: (page) => {
        const expected = all(sim.tenant.versionControlResources).filter((r) => r.type === "REPOSITORY_BRANCH");
        expect(expected.length).toBeGreaterThan(0);
        expect(page.totalCount).toBe(expected.length);
        expect(page.nodes.map((n) => ({ id: n.id, providerID: n.providerID }))).toEqual(expected.map((r) => ({ id: r.id, providerID: r.providerID })));
      },
    }),
  },

  "project.list": {
    requests: [{ operationName: "ListProjects", rootField: "projects" }],
    prepare: ({ sim }) => {
      const record = nth(all(sim.tenant.projects).filter((p) => !p.archived), 1, "active project");
      return {
        input: { filterBy: { search: String(record.name) } },
        variables: [{ filterBy: { search: record.name, includeArchived: false }, first: 100 }],
        check: (page) => {
          expect(page.nodes[0]).toMatchObject({
            id: record.id,
            name: record.name,
            slug: record.slug,
            securityScore: record.securityScore,
            riskProfile: { businessImpact: field(record, "riskProfile").businessImpact },
          });
          expect(page.totalCount).toBe(page.nodes.length);
        },
      };
    },
  },

  "project.getTeam": {
    requests: [{ operationName: "GetProjectTeam", rootField: "projects" }],
    prepare: ({ sim }) => {
      const record = sim.tenant.projects.get(2);
      return {
        input: { filterBy: { search: String(record.name) } },
        variables: [{ filterBy: { search: record.name }, first: 100 }],
        check: (team) => {
          expect(team).toEqual({ id: record.id, name: record.name, slug: record.slug, projectOwners: record.projectOwners, securityChampions: record.securityChampions });
        },
      };
    },
  },

  "forensics.copyToExternalAccount": {
    requests: [{ operationName: "CopyResourceForensicsToExternalAccount", rootField: "copyResourceForensicsToExternalAccount" }],
    prepare: ({ claimResource }) => {
      const vm = claimResource((r) => r.type === "VIRTUAL_MACHINE");
      return {
        input: { input: { id: String(vm.id) } },
        variables: [{ input: { id: vm.id } }],
        check: (copy) => {
          expect(copy.resourceId).toBe(vm.id);
          expect(copy.systemActivityGroupId).toMatch(UUID);
        },
      };
    },
  },

  "detection.list": {
    requests: [{ operationName: "ListDetections", rootField: "detections" }],
    prepare: ({ sim }) => ({
      input: { filterBy: { type: { equals: ["GENERATED_THREAT", "MATCH_ONLY"] }, severity: { equals: ["HIGH", "CRITICAL"] } }, orderBy: { field: "CREATED_AT", direction: "ASC" }, first: 1000 },
      variables: [
        {
          filterBy: { type: { equals: ["GENERATED_THREAT", "MATCH_ONLY"] }, severity: { equals: ["HIGH", "CRITICAL"] } },
          orderBy: { field: "CREATED_AT", direction: "ASC" },
          includeTriggeringEvents: true,
          first: 1000,
        },
      ],
      check: (page) => {
        const expected = all(sim.tenant.detections).filter((d) => d.severity === "HIGH" || d.severity === "CRITICAL");
        expect(expected.length).toBeGreaterThan(0);
        expect(page.totalCount).toBe(expected.length);
        const byCreation = [...expected].sort((a, b) => String(a.createdAt).localeCompare(String(b.createdAt)));
        expect(page.nodes.map((n) => n.id)).toEqual(byCreation.map((d) => d.id));
      },
    }),
  },

  "detection.get": {
    requests: [{ operationName: "GetDetection", rootField: "detection" }],
    prepare: ({ sim }) => {
      const record = sim.tenant.detections.get(2);
      return {
        input: { id: String(record.id) },
        variables: [{ id: record.id }],
        check: (detection) => {
          expect(detection).toMatchObject({ id: record.id, type: record.type, severity: record.severity, createdAt: record.createdAt });
          expect(detection.triggeringEvents.nodes.length).toBeGreaterThan(0);
        },
      };
    },
  },

  "threat.list": {
    requests: [{ operationName: "ListThreats", rootField: "issuesV2" }],
    prepare: ({ sim }) => {
      const filterBy = { status: ["OPEN" as const, "IN_PROGRESS" as const], createdAt: { inLast: { amount: 3650, unit: "DurationFilterValueUnitDays" as const } } };
      return {
        input: { filterBy, first: 500 },
        variables: [
          { filterBy: { ...filterBy, type: ["THREAT_DETECTION"] }, filterScope: "ALL_ISSUE_DETECTIONS", orderBy: { field: "CREATED_AT", direction: "DESC" }, first: 500 },
        ],
        check: (page) => {
          const expected = threats(sim).filter(isActive);
          expect(expected.length).toBeGreaterThan(0);
          const newestFirst = [...expected].sort((a, b) => String(b.createdAt).localeCompare(String(a.createdAt)));
          expect(page.totalCount).toBe(expected.length);
          expect(page.nodes.map((n) => n.id)).toEqual(newestFirst.map((i) => i.id));
          expect(page.nodes.every((n) => n.type === "THREAT_DETECTION")).toBe(true);
          const details = field(nth(newestFirst, 0, "threat"), "threatDetectionDetails");
          expect(page.nodes[0]?.threatDetectionDetails).toMatchObject({ eventOrigin: details.eventOrigin, actorsTotalCount: details.actorsTotalCount });
        },
      };
    },
  },

  "threat.get": {
    requests: [{ operationName: "GetThreat", rootField: "issuesV2" }],
    prepare: ({ sim }) => {
      const record = nth(threats(sim), 1, "threat");
      return {
        input: { id: String(record.id) },
        variables: [{ filterBy: { id: [record.id], type: ["THREAT_DETECTION"] }, filterScope: "ALL_ISSUE_DETECTIONS" }],
        check: (threat) => {
          const details = field(record, "threatDetectionDetails");
          expect(threat).toMatchObject({ id: record.id, type: "THREAT_DETECTION", severity: record.severity });
          expect(threat.threatDetectionDetails?.actors.map((a) => a.id)).toEqual((details.actors as WizRecord[]).map((a) => a.id));
          expect(threat.threatDetectionDetails?.detections.totalCount).toBeGreaterThan(0);
        },
      };
    },
  },

  "graphSearch.run": {
    requests: [{ operationName: "RunGraphSearch", rootField: "graphSearch" }],
    prepare: ({ sim }) => {
      const query = { type: ["BUCKET" as const], select: true, where: { name: { CONTAINS: [""] } } };
      const flags = { fetchPublicExposurePaths: false, fetchInternalExposurePaths: false, fetchIssueAnalytics: false, fetchLateralMovement: false, fetchKubernetes: false };
      return {
        input: { query, projectId: "*", first: 500, fetchTotalCount: true },
        variables: [{ query, projectId: "*", first: 500, fetchTotalCount: true, quick: true, ...flags }],
        check: (page) => {
          const buckets = all(sim.tenant.cloudResources).filter((r) => r.type === "BUCKET");
          expect(buckets.length).toBeGreaterThan(0);
          expect(page.totalCount).toBe(buckets.length);
          expect(page.maxCountReached).toBe(false);
          expect(page.nodes.map((n) => n.entities[0]?.id)).toEqual(buckets.map((b) => b.id));
        },
      };
    },
  },

  "graphSearch.resolveResourceGraphID": {
    requests: [{ operationName: "ResolveResourceGraphId", rootField: "graphSearch" }],
    prepare: ({ sim }) => {
      const record = sim.tenant.cloudResources.get(9);
      const providerUniqueId = providerIdOf(record);
      const query = { type: ["CLOUD_RESOURCE" as const], select: true, where: { providerUniqueId: { EQUALS: [providerUniqueId] } } };
      return {
        input: { query, projectId: "*" },
        variables: [{ query, projectId: "*", first: 1 }],
        check: (resolved) => {
          expect(resolved).toEqual({ providerUniqueId, id: record.id, name: record.name, type: record.type });
        },
      };
    },
  },

  "upload.requestUpload": {
    requests: [{ operationName: "RequestSecurityScanUpload", rootField: "requestSecurityScanUpload" }],
    prepare: ({ sim, surface }) => {
      const filename = `wizbridge-${surface}.json`;
      return {
        input: { filename },
        variables: [{ filename }],
        check: (slot) => {
          expect(slot.id).toMatch(/^\d+$/);
          expect(slot.url).toContain(`/upload/${slot.id}?`);
          expect(slot.url).toContain("X-Amz-Signature=");
          expect(sim.uploads.uploads().find((u) => u.id === slot.id)).toMatchObject({ filename, systemActivityId: slot.systemActivityId, puts: 0 });
        },
      };
    },
  },

  "upload.uploadDocument": {
    // An S3 PUT to the presigned URL, no GraphQL.
    requests: [],
    prepare: async (context) => {
      const { sim, surface } = context;
      const slot = await requestSlot(context, `wizbridge-document-${surface}.json`);
      const document = enrichmentDocument(sim, surface);
      return {
        input: { url: slot.url, document },
        variables: [],
        check: (receipt, log) => {
          expect(receipt).toMatchObject({ status: 200, bytes: Buffer.byteLength(JSON.stringify(document)) });
          const puts = log.filter((e) => e.method === "PUT");
          expect(puts).toHaveLength(1);
          expect(puts[0]).toMatchObject({ path: `/upload/${slot.id}`, status: 200, contentType: "application/json" });
          expect(sim.uploads.uploads().find((u) => u.id === slot.id)).toMatchObject({ puts: 1, bytes: receipt.bytes });
        },
      };
    },
  },

  "upload.getSystemActivity": {
    requests: [{ operationName: "GetSystemActivity", rootField: "systemActivity" }],
    prepare: async (context) => {
      const { sim, surface, call } = context;
      const slot = await requestSlot(context, `wizbridge-activity-${surface}.json`);
      await call("upload", "uploadDocument", { url: slot.url, document: enrichmentDocument(sim, surface) });
      // Processing ends 30 simulated seconds after the PUT.
      await sim.clock.advance(31_000);
      return {
        input: { id: slot.systemActivityId },
        variables: [{ id: slot.systemActivityId }],
        check: (activity) => {
          expect(activity).not.toBeNull();
          expect(activity?.id).toBe(slot.systemActivityId);
          expect(["SUCCESS", "SKIPPED"]).toContain(activity?.status);
          expect(activity?.result?.events).toEqual({ incoming: 1, handled: 1 });
          expect(activity?.context).toEqual({ fileUploadId: slot.id });
        },
      };
    },
  },
};

// ---- OPERATIONS.md as a contract: its tables' parameters, as requests users copy ----

/** One row of OPERATIONS.md's tables: the operation and the parameter paths its parameters cell names. */
export interface DocumentedRow {
  resource: string;
  operation: string;
  /** `filterBy.createdAt.after`, `patch.status`, `first`... (`[]` dropped; `.before` resolved against the path before it). */
  paths: string[];
}

const SECTION_RESOURCES: ReadonlyArray<[string, string]> = [
  ["Issue", "issue"],
  ["Cloud resource", "cloudResource"],
  ["Vulnerability finding", "vulnerabilityFinding"],
  ["Version control resource", "versionControlResource"],
  ["Project", "project"],
  ["Forensics", "forensics"],
  ["Detection", "detection"],
  ["Threat", "threat"],
  ["Graph search", "graphSearch"],
];

/** The operation rows of OPERATIONS.md (read at test time), with the backticked parameter paths of each. */
export function documentedRows(markdown: string): DocumentedRow[] {
  const rows: DocumentedRow[] = [];
  let resource: string | undefined;
  for (const line of markdown.split("\n")) {
    const heading = /^## (.+)$/.exec(line);
    if (heading) {
      resource = SECTION_RESOURCES.find(([title]) => heading[1]?.startsWith(title))?.[1];
      continue;
    }
    if (!resource || !line.startsWith("|")) continue;
    const cells = line.split("|").slice(1, -1).map((cell) => cell.trim());
    const [operation, parameters] = cells;
    if (!operation || parameters === undefined || operation === "operation" || /^-+$/.test(operation)) continue;
    rows.push({ resource, operation, paths: parameterPaths(parameters) });
  }
  return rows;
}

function parameterPaths(cell: string): string[] {
  // Parentheses explain (enum values, defaults, examples); the parameters are outside them.
  let text = cell;
  for (let before = ""; before !== text; ) [before, text] = [text, text.replace(/\([^()]*\)/g, "")];
  const paths: string[] = [];
  let previous: string | undefined;
  for (const [, token] of text.matchAll(/`([^`]+)`/g)) {
    const relative = /^\.[A-Za-z][\w.]*/.exec(token ?? "")?.[0];
    const absolute = /^[A-Za-z][\w.]*/.exec(token ?? "")?.[0];
    const path = relative && previous ? `${previous.slice(0, previous.lastIndexOf("."))}${relative}` : absolute;
    if (!path) continue;
    if (!paths.includes(path)) paths.push(path);
    previous = path;
  }
  return paths;
}

/** `{a: {b: 1}}` at `a.b` is 1. */
export function valueAt(object: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((at, key) => (at !== null && typeof at === "object" ? (at as Record<string, unknown>)[key] : undefined), object);
}

/** Sets `path` in `object`, creating the objects on the way. */
export function setAt(object: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let at = object;
  for (const key of keys.slice(0, -1)) at = (at[key] ??= {}) as Record<string, unknown>;
  at[keys[keys.length - 1] as string] = value;
}

/**
 * A value for every documented parameter path, from the simulator's tenant: `resource.operation:path` first,
 * then the path alone. A path OPERATIONS.md adds without a value here fails the contract test by name.
 */
export function documentedValues(sim: Simulator): Record<string, unknown> {
  const issues = all(sim.tenant.issues);
  const resources = all(sim.tenant.cloudResources);
  const vm = nth(resources.filter((r) => r.type === "VIRTUAL_MACHINE"), 2, "VM");
  const postureIssue = nth(issues.filter((i) => i.type !== "THREAT_DETECTION" && i.status === "OPEN"), 7, "open posture issue");
  const threat = nth(threats(sim), 0, "threat");
  const detection = sim.tenant.detections.get(0);
  const project = nth(all(sim.tenant.projects).filter((p) => !p.archived), 0, "active project");
  const account = String(vm.subscriptionExternalId);
  return {
    "filterBy.severity": ["HIGH", "CRITICAL"],
    "filterBy.status": ["OPEN", "IN_PROGRESS"],
    "vulnerabilityFinding.list:filterBy.status": ["OPEN"],
    "issue.list:filterBy.type": ["TOXIC_COMBINATION", "CLOUD_CONFIGURATION"],
    "cloudResource.list:filterBy.type": ["VIRTUAL_MACHINE"],
    "filterBy.createdAt.after": "2000-01-01T00:00:00Z",
    "filterBy.createdAt.before": "2100-01-01T00:00:00Z",
    "filterBy.relatedEntity.id": field(postureIssue, "entitySnapshot").id,
    "filterBy.relatedEntity.type": ["VIRTUAL_MACHINE"],
    first: 5,
    "issue.list:orderBy.field": "SEVERITY",
    "vulnerabilityFinding.list:orderBy.field": "FIRST_DETECTED_AT",
    "orderBy.direction": "DESC",
    "issue.get:filterBy.id": postureIssue.id,
    "issue.getEvidence:filterBy.id": postureIssue.id,
    issueId: postureIssue.id,
    "patch.status": "IN_PROGRESS",
    "patch.note": "Investigating (OPERATIONS.md contract)",
    "patch.resolutionReason": "WONT_FIX",
    "patch.dueAt": "2031-01-01T00:00:00Z",
    "input.issueId": postureIssue.id,
    "input.text": "Seen by the SOC (OPERATIONS.md contract)",
    "issue.severityCounts:filterBy": { status: ["OPEN", "IN_PROGRESS"], project: [project.id] },
    "issue.groupedCount:filterBy": { status: ["OPEN"] },
    "filterBy.search": String(vm.name),
    "filterBy.subscriptionExternalId": [account],
    "filterBy.providerUniqueId": [providerIdOf(vm)],
    "versionControlResource.list:filterBy.search": String(sim.tenant.versionControlResources.get(0).name),
    "project.list:filterBy.search": String(project.name),
    "project.getTeam:filterBy.search": String(project.name),
    "filterBy.includeArchived": false,
    "project.list:orderBy.field": "SECURITY_SCORE",
    "input.id": vm.id,
    "detection.list:filterBy.id.equals": [detection.id],
    "filterBy.issueId": field(detection, "issue")?.id ?? threat.id,
    "detection.list:filterBy.type.equals": ["GENERATED_THREAT", "MATCH_ONLY"],
    "filterBy.cloudPlatform.equals": ["AWS"],
    "filterBy.origin.equals": ["WIZ_SENSOR"],
    "filterBy.severity.equals": ["HIGH", "CRITICAL"],
    "filterBy.cloudAccountOrCloudOrganizationId.equals": [String(field(vm, "graphEntity").id)],
    "filterBy.resource.id.equals": [vm.id],
    "filterBy.matchedRule.id": sim.tenant.rules[0]?.id,
    "filterBy.matchedRuleName.equals": [sim.tenant.rules[0]?.name],
    "filterBy.projectId": project.id,
    "filterBy.createdAt.inLast": { amount: 3650, unit: "DurationFilterValueUnitDays" },
    "detection.list:orderBy": { field: "CREATED_AT", direction: "ASC" },
    includeTriggeringEvents: true,
    "threat.list:filterBy.id": threat.id,
    "threat.list:filterBy.cloudAccountOrCloudOrganizationId": [account],
    "filterBy.eventOrigin.equals": [String(field(threat, "threatDetectionDetails").eventOrigin)],
    "filterBy.relatedEntity.cloudPlatform": [String(field(threat, "entitySnapshot").cloudPlatform)],
    "filterBy.threatResource.ids": [String(field(threat, "entitySnapshot").id)],
    "filterBy.project": project.id,
    "threat.list:orderBy": { field: "SEVERITY", direction: "DESC" },
    "graphSearch.run:query": { type: ["VIRTUAL_MACHINE"], select: true, where: { name: { CONTAINS: [""] } } },
    "graphSearch.resolveResourceGraphID:query": { type: ["VIRTUAL_MACHINE"], where: { providerUniqueId: { EQUALS: [providerIdOf(vm)] } } },
    projectId: "*",
    fetchTotalCount: true,
    quick: false,
    fetchPublicExposurePaths: true,
    fetchInternalExposurePaths: true,
    fetchIssueAnalytics: true,
    fetchLateralMovement: true,
    fetchKubernetes: true,
  };
}

/**
 * Parameters the tables give in prose rather than as paths ("the note's id", "group by STATUS...", "same
 * filters as list"), written in the shape wizbridge takes them (Wiz's variables), from the tenant.
 */
export function proseParameters(sim: Simulator): Record<string, Record<string, unknown>> {
  const resources = all(sim.tenant.cloudResources);
  const vm = nth(resources.filter((r) => r.type === "VIRTUAL_MACHINE"), 3, "VM");
  const withNote = nth(all(sim.tenant.issues).filter((i) => Array.isArray(i.notes) && i.notes.length > 0), 0, "issue with a note");
  return {
    "issue.deleteNote": { input: { id: (withNote.notes as WizRecord[])[0]?.id } },
    "issue.groupedCount": { groupBy: "STATUS" },
    // "a search string or a providerUniqueId": Wiz's filter shape, as cloudResource list takes it.
    "cloudResource.get": { filterBy: { providerUniqueId: providerIdOf(vm) } },
    "cloudResource.listIDs": { filterBy: { providerUniqueId: [providerIdOf(vm)] } },
    "detection.get": { id: sim.tenant.detections.get(1).id },
    "threat.get": { id: nth(threats(sim), 1, "threat").id },
  };
}

/** Paths the tables name in prose that wizbridge takes inside Wiz's filter shape (see proseParameters). */
export const PROSE_PATHS: Readonly<Record<string, string>> = { "cloudResource.get:providerUniqueId": "filterBy.providerUniqueId" };
