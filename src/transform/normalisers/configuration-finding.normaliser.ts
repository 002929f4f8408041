import type { ConfigurationFindingRecord } from "../../model/canonical/index.js";
import { portalLinkOf } from "../../model/portal-links.js";
import type { NormaliseContext } from "./normalise-context.js";
import { namedRefsOf, objectOf, requiredId, resourceRefOf, severityFields, textOf, timestampOf, type RawNode } from "./raw-fields.js";

function evidenceText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** A configurationFindings node. */
export function normaliseConfigurationFinding(raw: RawNode, context: NormaliseContext): ConfigurationFindingRecord {
  const id = requiredId("configurationFinding", raw);
  const rule = objectOf(raw.rule);
  const ruleId = rule ? textOf(rule.id) : null;
  const projectIds = namedRefsOf(raw.projects).map((p) => p.id);
  const resource = resourceRefOf(raw.resource, projectIds);
  const evidence = objectOf(raw.evidence);
  const name = textOf(raw.name) ?? (rule ? textOf(rule.name) : null);
  return {
    recordType: "configurationFinding",
    id,
    title: name && resource?.name ? `${name} on ${resource.name}` : (name ?? resource?.name ?? null),
    ...severityFields(raw.severity, context),
    status: textOf(raw.status),
    createdAt: timestampOf(raw.analyzedAt),
    updatedAt: timestampOf(raw.updatedAt),
    portalUrl: portalLinkOf(context.portalOrigin, "configurationFindings", id, null),
    result: textOf(raw.result),
    rule: rule && ruleId !== null ? { id: ruleId, shortId: textOf(rule.shortId), name: textOf(rule.name) } : null,
    remediation: textOf(raw.remediation),
    evidence: evidence
      ? { currentValue: evidenceText(evidence.currentValue), expectedValue: evidenceText(evidence.expectedValue), configurationPath: evidenceText(evidence.configurationPath) }
      : null,
    analyzedAt: timestampOf(raw.analyzedAt),
    deletedAt: timestampOf(raw.deletedAt),
    resource,
    projectIds: resource?.projectIds ?? projectIds,
  };
}
