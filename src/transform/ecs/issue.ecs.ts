import type { IssueRecord, ThreatRecord } from "../../model/canonical/index.js";
import { ecsEventSeverityOf } from "../severity/severity-ladder.js";
import { compact } from "../compact.js";
import { sourceRulesOf } from "../normalisers/issue-source-rules.js";
import { cloudProviderOf, distinct, ecsObject, ECS_VERSION, isoMillisOf, objectOf, objectsOf, textOf, urlPartsOf, type EcsDocument, type RawNode } from "./ecs-fields.js";

/** What Elastic takes as the issue's message: the first rule's description (controls and cloud event rules alike). */
function ruleDescriptionOf(rule: RawNode | undefined): string | undefined {
  if (!rule) return undefined;
  return textOf(rule.description) ?? textOf(rule.controlDescription) ?? textOf(rule.cloudConfigurationRuleDescription) ?? textOf(rule.cloudEventRuleDescription) ?? undefined;
}

/**
 * An issuesV2 node (issues and threats streams) as Elastic's Wiz `issue` data stream writes it: @timestamp =
 * statusChangedAt, event.kind event / configuration / info, message = the first source rule's description,
 * cloud.* from the entity snapshot, url.* = the resource's console link, related.user = the note authors.
 */
export function issueEcs(record: IssueRecord | ThreatRecord, raw: RawNode, observedAt: string): EcsDocument {
  const snapshot = objectOf(raw.entitySnapshot);
  const rules = sourceRulesOf(raw);
  const first = rules[0];
  const notes = objectsOf(raw.notes);
  const noteUsers = notes.map((n) => objectOf(n.user));
  return compact({
    "@timestamp": isoMillisOf(raw.statusChangedAt) ?? isoMillisOf(raw.updatedAt) ?? isoMillisOf(raw.createdAt) ?? observedAt,
    ecs: { version: ECS_VERSION },
    message: ruleDescriptionOf(first) ?? record.title ?? undefined,
    observer: { vendor: "Wiz" },
    event: compact({
      kind: "event",
      category: ["configuration"],
      type: ["info"],
      id: record.id,
      dataset: "wiz.issue",
      created: isoMillisOf(raw.createdAt),
      severity: ecsEventSeverityOf(record.severity) ?? undefined,
      url: record.portalUrl,
    }),
    rule: first ? ecsObject({ id: textOf(first.id), name: textOf(first.name), description: ruleDescriptionOf(first), category: textOf(first.__typename) }) : undefined,
    cloud: snapshot
      ? ecsObject({
          provider: cloudProviderOf(snapshot.cloudPlatform),
          region: textOf(snapshot.region),
          account: ecsObject({ id: textOf(snapshot.subscriptionExternalId), name: textOf(snapshot.subscriptionName) }),
        })
      : undefined,
    resource: snapshot ? ecsObject({ id: textOf(snapshot.providerId) ?? textOf(snapshot.externalId) ?? textOf(snapshot.id), name: textOf(snapshot.name), type: textOf(snapshot.type), sub_type: textOf(snapshot.nativeType) }) : undefined,
    url: urlPartsOf(snapshot?.cloudProviderURL),
    related: ecsObject({ user: distinct([...noteUsers.map((u) => textOf(u?.name)), ...noteUsers.map((u) => textOf(u?.email))]) }),
    wiz: {
      issue: compact({
        type: record.issueType,
        status: record.status ?? undefined,
        severity: record.severity ?? undefined,
        severity_level: record.severityLevel ?? undefined,
        resolution_reason: record.resolutionReason ?? undefined,
        project_ids: record.projectIds.length > 0 ? record.projectIds : undefined,
        due_at: isoMillisOf(raw.dueAt),
        resolved_at: isoMillisOf(raw.resolvedAt),
        updated_at: isoMillisOf(raw.updatedAt),
        source_rules: rules.length > 0 ? rules.map((r) => compact({ id: textOf(r.id) ?? undefined, name: textOf(r.name) ?? undefined, type: textOf(r.__typename) ?? undefined })) : undefined,
      }),
    },
  }) as EcsDocument;
}
