import type { GraphQLFieldResolver } from "graphql";
import type { SimContext } from "../sim-context.js";
import { detection, detections } from "./detection.resolvers.js";
import { auditLogEntries, project, projects, users } from "./directory.resolvers.js";
import { configurationFindings, vulnerabilityFindings } from "./finding.resolvers.js";
import { createIssueNote, deleteIssueNote, issue, issuesGroupedByValue, issuesV2, updateIssue } from "./issue.resolvers.js";
import { cloudAccounts, cloudResource, cloudResources, cloudResourcesV2, graphSearch, kubernetesClusters, versionControlResources } from "./resource.resolvers.js";
import { copyResourceForensicsToExternalAccount, requestSecurityScanUpload, systemActivity } from "./upload.resolvers.js";

/** Every Query and Mutation root field the simulator serves, by name (schema/wiz.graphql). */
export function createRootResolvers(): Record<string, GraphQLFieldResolver<unknown, SimContext>> {
  const resolvers = {
    issuesV2,
    issue,
    issuesGroupedByValue,
    vulnerabilityFindings,
    configurationFindings,
    detections,
    detection,
    cloudResources,
    cloudResource,
    cloudResourcesV2,
    graphSearch,
    projects,
    project,
    versionControlResources,
    kubernetesClusters,
    cloudAccounts,
    auditLogEntries,
    users,
    systemActivity,
    requestSecurityScanUpload,
    updateIssue,
    createIssueNote,
    deleteIssueNote,
    copyResourceForensicsToExternalAccount,
  };
  return resolvers as unknown as Record<string, GraphQLFieldResolver<unknown, SimContext>>;
}
