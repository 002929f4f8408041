import type { CloudPlatform, GraphEntityType, IssueResolutionReason, IssueStatus, IssueType, Severity } from "../wiz-enums.js";

/** What the issue operations select; every issue document asks exactly these fields (and get adds a few). */

export interface IssueNoteNode {
  id: string;
  createdAt: string;
  updatedAt: string;
  text: string;
  user: { id: string; name: string | null; email: string | null } | null;
  serviceAccount: { id: string; name: string | null } | null;
}

export interface IssueEntitySnapshot {
  id: string;
  type: GraphEntityType;
  nativeType: string | null;
  name: string | null;
  status: string | null;
  cloudPlatform: CloudPlatform | null;
  providerId: string | null;
  region: string | null;
  subscriptionId: string | null;
  subscriptionExternalId: string | null;
  subscriptionName: string | null;
  externalId: string | null;
}

export interface IssueNode {
  id: string;
  type: IssueType;
  status: IssueStatus;
  severity: Severity;
  createdAt: string;
  updatedAt: string;
  statusChangedAt: string | null;
  dueAt: string | null;
  resolvedAt: string | null;
  resolutionReason: IssueResolutionReason | null;
  resolutionNote: string | null;
  url: string;
  sourceRule: { __typename: string; id: string; name: string | null } | null;
  entitySnapshot: IssueEntitySnapshot | null;
  projects: Array<{ id: string; name: string; slug: string }>;
  notes: IssueNoteNode[];
  serviceTickets: Array<{ id: string; externalId: string | null; name: string | null; url: string | null }>;
}

/** issue.get: the list fields plus the evidence query and environments. */
export interface IssueDetails extends IssueNode {
  /** A graph query to feed back to graphSearch (issue.getEvidence does). */
  evidenceQuery: Record<string, unknown> | null;
  environments: string[];
}

/** What updateIssue answers, for update and clearDueAt. */
export interface UpdatedIssue {
  id: string;
  status: IssueStatus;
  dueAt: string | null;
  resolutionReason: IssueResolutionReason | null;
  resolutionNote: string | null;
  updatedAt: string;
  notes: IssueNoteNode[];
}
