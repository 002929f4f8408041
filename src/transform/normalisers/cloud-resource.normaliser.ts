import type { AssetRecord } from "../../model/canonical/index.js";
import { portalLinkOf } from "../../model/portal-links.js";
import type { NormaliseContext } from "./normalise-context.js";
import { booleanOf, namedRefsOf, requiredId, resourceRefOf, textOf, timestampOf, MissingFieldError, type RawNode } from "./raw-fields.js";

/** A cloudResourcesV2 node: the asset itself. */
export function normaliseCloudResource(raw: RawNode, context: NormaliseContext): AssetRecord {
  const id = requiredId("asset", raw);
  const projects = namedRefsOf(raw.projects);
  const resource = resourceRefOf(raw, projects.map((p) => p.id));
  if (!resource) throw new MissingFieldError("asset", "id", id);
  if (resource.type === null) throw new MissingFieldError("asset", "type", id);
  return {
    recordType: "asset",
    id,
    title: resource.name,
    severity: null,
    severityLevel: null,
    status: textOf(raw.status),
    createdAt: timestampOf(raw.createdAt) ?? timestampOf(raw.firstSeen),
    updatedAt: timestampOf(raw.updatedAt),
    portalUrl: portalLinkOf(context.portalOrigin, "cloudResources", id, resource.type),
    resource,
    externalId: textOf(raw.externalId),
    firstSeen: timestampOf(raw.firstSeen),
    lastSeen: timestampOf(raw.lastSeen),
    deletedAt: timestampOf(raw.deletedAt),
    exposure: {
      isAccessibleFromInternet: booleanOf(raw.isAccessibleFromInternet),
      isOpenToAllInternet: booleanOf(raw.isOpenToAllInternet),
      hasSensitiveData: booleanOf(raw.hasSensitiveData),
      hasAdminPrivileges: booleanOf(raw.hasAdminPrivileges),
      hasHighPrivileges: booleanOf(raw.hasHighPrivileges),
    },
    projectIds: resource.projectIds,
    projects,
  };
}
