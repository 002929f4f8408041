import type { ProjectRecord } from "../../model/canonical/index.js";
import { portalLinkOf } from "../../model/portal-links.js";
import type { NormaliseContext } from "./normalise-context.js";
import { numberOf, objectOf, objectsOf, personOf, requiredId, textOf, timestampOf, type RawNode } from "./raw-fields.js";

export function normaliseProject(raw: RawNode, context: NormaliseContext): ProjectRecord {
  const id = requiredId("project", raw);
  const archived = raw.archived === true;
  return {
    recordType: "project",
    id,
    title: textOf(raw.name),
    severity: null,
    severityLevel: null,
    status: archived ? "ARCHIVED" : "ACTIVE",
    createdAt: timestampOf(raw.createdAt),
    updatedAt: null,
    portalUrl: portalLinkOf(context.portalOrigin, "projects", id, null),
    slug: textOf(raw.slug),
    description: textOf(raw.description),
    businessUnit: textOf(raw.businessUnit),
    businessImpact: textOf(objectOf(raw.riskProfile)?.businessImpact),
    archived,
    isFolder: raw.isFolder === true,
    securityScore: numberOf(raw.securityScore),
    counts: { cloudAccounts: numberOf(raw.cloudAccountCount), repositories: numberOf(raw.repositoryCount), teamMembers: numberOf(raw.teamMemberCount) },
    owners: objectsOf(raw.projectOwners).flatMap((p) => personOf(p) ?? []),
    securityChampions: objectsOf(raw.securityChampions).flatMap((p) => personOf(p) ?? []),
  };
}
