import { listCloudResourceIdsOperation } from "./cloud-resource/list-cloud-resource-ids.operation.js";
import { getCloudResourceOperation } from "./cloud-resource/get-cloud-resource.operation.js";
import { listCloudResourcesOperation } from "./cloud-resource/list-cloud-resources.operation.js";
import { getDetectionOperation } from "./detection/get-detection.operation.js";
import { listDetectionsOperation } from "./detection/list-detections.operation.js";
import { copyToExternalAccountOperation } from "./forensics/copy-to-external-account.operation.js";
import { resolveResourceGraphIdOperation } from "./graph-search/resolve-resource-graph-id.operation.js";
import { runGraphSearchOperation } from "./graph-search/run-graph-search.operation.js";
import { clearIssueDueAtOperation } from "./issue/clear-issue-due-at.operation.js";
import { countIssueSeveritiesOperation } from "./issue/count-issue-severities.operation.js";
import { countIssuesGroupedOperation } from "./issue/count-issues-grouped.operation.js";
import { createIssueNoteOperation } from "./issue/create-issue-note.operation.js";
import { deleteIssueNoteOperation } from "./issue/delete-issue-note.operation.js";
import { getIssueEvidenceOperation } from "./issue/get-issue-evidence.operation.js";
import { getIssueOperation } from "./issue/get-issue.operation.js";
import { listIssuesOperation } from "./issue/list-issues.operation.js";
import { updateIssueOperation } from "./issue/update-issue.operation.js";
import type { OperationDefinition } from "./operation-definition.js";
import { getProjectTeamOperation } from "./project/get-project-team.operation.js";
import { listProjectsOperation } from "./project/list-projects.operation.js";
import { getThreatOperation } from "./threat/get-threat.operation.js";
import { listThreatsOperation } from "./threat/list-threats.operation.js";
import { getSystemActivityOperation } from "./upload/get-system-activity.operation.js";
import { requestUploadOperation } from "./upload/request-upload.operation.js";
import { uploadDocumentOperation } from "./upload/upload-document.operation.js";
import { listVersionControlResourcesOperation } from "./version-control-resource/list-version-control-resources.operation.js";
import { listVulnerabilityFindingsOperation } from "./vulnerability-finding/list-vulnerability-findings.operation.js";

/** Every Wiz operation wizbridge speaks, each defined once; the SDK, CLI, MCP and HTTP surfaces iterate this list. */
export const OPERATIONS = [
  listIssuesOperation,
  getIssueOperation,
  getIssueEvidenceOperation,
  updateIssueOperation,
  clearIssueDueAtOperation,
  createIssueNoteOperation,
  deleteIssueNoteOperation,
  countIssuesGroupedOperation,
  countIssueSeveritiesOperation,
  listCloudResourcesOperation,
  getCloudResourceOperation,
  listCloudResourceIdsOperation,
  listVulnerabilityFindingsOperation,
  listVersionControlResourcesOperation,
  listProjectsOperation,
  getProjectTeamOperation,
  copyToExternalAccountOperation,
  listDetectionsOperation,
  getDetectionOperation,
  listThreatsOperation,
  getThreatOperation,
  runGraphSearchOperation,
  resolveResourceGraphIdOperation,
  requestUploadOperation,
  uploadDocumentOperation,
  getSystemActivityOperation,
] as const;

/** Any operation of the registry, with its literal resource and name. */
export type RegisteredOperation = (typeof OPERATIONS)[number];
export type ResourceName = RegisteredOperation["resource"];
export type OperationName<R extends ResourceName> = Extract<RegisteredOperation, { resource: R }>["name"];
export type OperationOf<R extends ResourceName, N extends string> = Extract<RegisteredOperation, { resource: R; name: N }>;

/** resource -> operation name -> definition (n8n's typed map), e.g. `OPERATION_MAP.issue.list`. */
export type OperationMap = { readonly [R in ResourceName]: { readonly [N in OperationName<R>]: OperationOf<R, N> } };

function buildOperationMap(): OperationMap {
  const map: Record<string, Record<string, OperationDefinition>> = {};
  for (const operation of OPERATIONS) {
    const byName = (map[operation.resource] ??= {});
    byName[operation.name] = operation;
  }
  for (const byName of Object.values(map)) Object.freeze(byName);
  // Built from OPERATIONS so the list stays the one place an operation is registered.
  return Object.freeze(map) as unknown as OperationMap;
}

export const OPERATION_MAP: OperationMap = buildOperationMap();

/** Resource names in registry order. */
export const RESOURCES: readonly ResourceName[] = Object.freeze(Object.keys(OPERATION_MAP) as ResourceName[]);

/** The definition of `resource.name`, typed when both are literals; undefined for an unknown pair. */
export function findOperation<R extends ResourceName, N extends OperationName<R>>(resource: R, name: N): OperationOf<R, N>;
export function findOperation(resource: string, name: string): RegisteredOperation | undefined;
export function findOperation(resource: string, name: string): RegisteredOperation | undefined {
  const byName = (OPERATION_MAP as unknown as Record<string, Record<string, RegisteredOperation> | undefined>)[resource];
  return byName && Object.hasOwn(byName, name) ? byName[name] : undefined;
}
