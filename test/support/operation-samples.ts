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
        input: { id: String(record.id) },
        variables: [{ filterBy: { id: [record.id] } }],
        check: (issue) => {
          const now = current(sim.tenant.issues, record.id);
          expect(issue).toMatchObject({ id: record.id, type: now.type, status: now.status, severity: now.severity, evidenceQuery: now.evidenceQuery, environments: now.environments });
          expect(issue.entitySnapshot?.id).toBe(field(now, "entitySnapshot").id);
        },
      };
    },
  },

  "issue.getEvidence": {
    requests: [
      { operationName: "IssueEvidenceQuery", rootField: "issuesV2" },
      { operationName: "IssueEvidence", rootField: "graphSearch" },
    ],
    prepare: ({ sim }) => {
      const record = nth(all(sim.tenant.issues).filter((i) => i.type === "CLOUD_CONFIGURATION"), 1, "cloud configuration issue");
      return {
        input: { id: String(record.id) },
        variables: [{ filterBy: { id: [record.id] } }, { query: record.evidenceQuery, projectId: "*", quick: true, first: 5 }],
        check: (evidence) => {
          expect(evidence).toMatchObject({ issueId: record.id, evidenceQuery: record.evidenceQuery, maxCountReached: false });
          // The simulated graph has no edges: the evidence is the issue's resource.
          expect(evidence.nodes.map((n) => n.entities[0]?.id)).toEqual([field(record, "entitySnapshot").id]);
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
        input: { id: String(record.id), ...patch },
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
        input: { id: String(record.id) },
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
        input: { issueId: String(record.id), text },
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
      const created = (await call("issue", "createNote", { issueId: String(record.id), text: `to delete (${surface})` })) as { id: string };
      expect((current(sim.tenant.issues, record.id).notes as WizRecord[]).map((n) => n.id)).toContain(created.id);
      return {
        input: { id: created.id },
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
      input: { groupBy: "RESOURCE", filterBy: { status: ["OPEN"] } },
      variables: [{ groupBy: "RESOURCE", filterBy: { status: ["OPEN"] } }],
      check: (result) => {
        const resources = new Set(all(sim.tenant.issues).filter((i) => i.status === "OPEN").map((i) => field(i, "entitySnapshot").id));
        expect(resources.size).toBeGreaterThan(1);
        expect(result).toEqual({ groupBy: "RESOURCE", totalCount: resources.size });
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
    requests: [{ operationName: "GetCloudResource", rootField: "cloudResource" }],
    prepare: ({ sim }) => {
      const record = sim.tenant.cloudResources.get(3);
      return {
        input: { id: String(record.id) },
        variables: [{ id: record.id }],
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
        input: { providerUniqueIds },
        // Sent through the pager, which starts every batch with an explicit null cursor.
        variables: [{ filterBy: { providerUniqueId: providerUniqueIds }, first: 500, after: null }],
        check: (mapping) => {
          expect(mapping).toEqual({ resources: known.map((r) => ({ providerUniqueId: providerIdOf(r), id: r.id })), missing: [missing] });
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
      const record = sim.tenant.projects.get(1);
      return {
        input: { filterBy: { search: String(record.name) } },
        variables: [{ filterBy: { search: record.name }, first: 100 }],
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
    requests: [{ operationName: "GetProjectTeam", rootField: "project" }],
    prepare: ({ sim }) => {
      const record = sim.tenant.projects.get(2);
      return {
        input: { slug: String(record.slug) },
        variables: [{ slug: record.slug }],
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
        input: { resourceId: String(vm.id) },
        variables: [{ input: { id: vm.id } }],
        check: (copy) => {
          expect(copy.resourceId).toBe(vm.id);
          expect(copy.providerUniqueId).toBeUndefined();
          expect(copy.systemActivityGroupId).toMatch(UUID);
        },
      };
    },
  },

  "detection.list": {
    requests: [{ operationName: "ListDetections", rootField: "detections" }],
    prepare: ({ sim }) => ({
      input: { filterBy: { type: ["GENERATED_THREAT", "MATCH_ONLY"], severity: { equals: ["HIGH", "CRITICAL"] } }, orderBy: { field: "CREATED_AT", direction: "ASC" }, first: 1000 },
      variables: [
        {
          filterBy: { type: { equals: ["GENERATED_THREAT", "MATCH_ONLY"] }, severity: { equals: ["HIGH", "CRITICAL"] } },
          orderBy: { field: "CREATED_AT", direction: "ASC" },
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
      return {
        input: { query, first: 500 },
        variables: [{ query, projectId: "*", first: 500 }],
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
      return {
        input: { providerUniqueId },
        variables: [{ query: { type: ["CLOUD_RESOURCE"], select: true, where: { providerUniqueId: { EQUALS: [providerUniqueId] } } }, projectId: "*", first: 1 }],
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
