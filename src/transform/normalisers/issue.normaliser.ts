import type { IssueRecord, ThreatRecord } from "../../model/canonical/index.js";
import { portalLinkOf } from "../../model/portal-links.js";
import type { NormaliseContext } from "./normalise-context.js";
import { sourceRulesOf } from "./issue-source-rules.js";
import { numberOf, objectOf, objectsOf, namedRefsOf, requiredId, requiredText, resourceRefOf, severityFields, textOf, timestampOf, type RawNode } from "./raw-fields.js";

/** TOXIC_COMBINATION, THREAT_DETECTION, CLOUD_CONFIGURATION; an issue type Wiz adds later counts as a configuration issue. */
function categoryOf(issueType: string): IssueRecord["category"] {
  if (issueType === "THREAT_DETECTION") return "threat";
  if (issueType === "TOXIC_COMBINATION") return "toxic-combination";
  return "configuration";
}

function joinTitle(what: string | null, where: string | null): string | null {
  if (what && where) return `${what} on ${where}`;
  return what ?? where;
}

function issueFieldsOf(recordType: "issue" | "threat", raw: RawNode, context: NormaliseContext): Omit<IssueRecord, "recordType"> {
  const id = requiredId(recordType, raw);
  const issueType = requiredText(recordType, raw, "type", id);
  const status = requiredText(recordType, raw, "status", id);
  const rule = sourceRulesOf(raw)[0] ?? null;
  const ruleId = rule ? textOf(rule.id) : null;
  const projects = namedRefsOf(raw.projects);
  const projectIds = projects.map((p) => p.id);
  const resource = resourceRefOf(raw.entitySnapshot, projectIds);
  const ruleName = rule ? textOf(rule.name) : null;
  return {
    id,
    title: joinTitle(ruleName, resource?.name ?? null),
    ...severityFields(raw.severity, context),
    status,
    createdAt: timestampOf(raw.createdAt),
    updatedAt: timestampOf(raw.updatedAt),
    portalUrl: textOf(raw.url) ?? portalLinkOf(context.portalOrigin, recordType === "threat" ? "threats" : "issues", id, null),
    issueType,
    category: categoryOf(issueType),
    statusChangedAt: timestampOf(raw.statusChangedAt),
    resolvedAt: timestampOf(raw.resolvedAt),
    dueAt: timestampOf(raw.dueAt),
    resolutionReason: textOf(raw.resolutionReason),
    resolutionNote: textOf(raw.resolutionNote),
    rule: rule && ruleId !== null ? { id: ruleId, name: ruleName, type: textOf(rule.__typename) } : null,
    resource,
    projectIds,
    projects,
    notes: objectsOf(raw.notes).flatMap((n) => {
      const noteId = textOf(n.id);
      return noteId === null ? [] : [{ id: noteId, text: textOf(n.text), createdAt: timestampOf(n.createdAt) }];
    }),
    serviceTickets: objectsOf(raw.serviceTickets).flatMap((t) => {
      const ticketId = textOf(t.id);
      return ticketId === null ? [] : [{ id: ticketId, externalId: textOf(t.externalId), name: textOf(t.name), url: textOf(t.url) }];
    }),
  };
}

/** An issuesV2 node (every issue type, every entitySnapshot variant). */
export function normaliseIssue(raw: RawNode, context: NormaliseContext): IssueRecord {
  return { recordType: "issue", ...issueFieldsOf("issue", raw, context) };
}

/** An issuesV2 node read with filterScope ALL_ISSUE_DETECTIONS: the issue plus its threatDetectionDetails. */
export function normaliseThreat(raw: RawNode, context: NormaliseContext): ThreatRecord {
  const details = objectOf(raw.threatDetectionDetails);
  const main = details ? objectOf(details.mainDetection) : null;
  const mainId = main ? textOf(main.id) : null;
  return {
    recordType: "threat",
    ...issueFieldsOf("threat", raw, context),
    threat: {
      eventOrigin: details ? textOf(details.eventOrigin) : null,
      actorsTotalCount: details ? numberOf(details.actorsTotalCount) : null,
      resourcesTotalCount: details ? numberOf(details.resourcesTotalCount) : null,
      mainDetection:
        main && mainId !== null ? { id: mainId, type: textOf(main.type), severity: severityFields(main.severity, context).severity, createdAt: timestampOf(main.createdAt) } : null,
    },
  };
}
