import type { ConfigurationFindingRecord } from "../../model/canonical/index.js";
import { ecsEventSeverityOf } from "../severity/severity-ladder.js";
import { compact } from "../compact.js";
import { cloudProviderOf, ecsObject, ECS_VERSION, isoMillisOf, objectOf, textOf, type EcsDocument, type RawNode } from "./ecs-fields.js";

/** Wiz result -> Elastic's result.evaluation and event.outcome. */
const EVALUATIONS: Readonly<Record<string, [string, string]>> = { PASS: ["PASSED", "success"], FAIL: ["FAILED", "failure"] };

/**
 * A configurationFindings node as Elastic's Wiz `cloud_configuration_finding` data stream writes it: event.kind
 * state, @timestamp = analyzedAt, rule.id = the rule's short id (rule.uuid its id), resource.type = Wiz's type
 * and resource.sub_type its native type, cloud.* from the subscription, result.evaluation and event.outcome.
 */
export function configurationFindingEcs(record: ConfigurationFindingRecord, raw: RawNode, observedAt: string): EcsDocument {
  const resource = objectOf(raw.resource);
  const subscription = objectOf(resource?.subscription);
  const rule = objectOf(raw.rule);
  const resourceType = textOf(resource?.type);
  const resourceName = textOf(resource?.name);
  const resourceId = textOf(resource?.providerId) ?? textOf(resource?.id);
  const result = textOf(raw.result);
  const [evaluation, outcome] = (result ? EVALUATIONS[result] : undefined) ?? ["UNKNOWN", "unknown"];
  const description = textOf(rule?.description);
  const evidence = objectOf(raw.evidence);
  return compact({
    "@timestamp": isoMillisOf(raw.analyzedAt) ?? isoMillisOf(raw.updatedAt) ?? observedAt,
    ecs: { version: ECS_VERSION },
    message: description ?? record.title ?? undefined,
    observer: { vendor: "Wiz" },
    event: compact({
      kind: "state",
      category: ["configuration"],
      type: ["info"],
      id: record.id,
      dataset: "wiz.cloud_configuration_finding",
      created: isoMillisOf(raw.analyzedAt),
      outcome,
      severity: ecsEventSeverityOf(record.severity) ?? undefined,
      url: record.portalUrl,
    }),
    rule: ecsObject({
      id: textOf(rule?.shortId),
      uuid: textOf(rule?.id),
      name: textOf(rule?.name),
      description,
      // Not ECS: Elastic's posture views read it (see docs/output-profiles.md).
      remediation: textOf(rule?.remediationInstructions),
    }),
    cloud: ecsObject({
      provider: cloudProviderOf(subscription?.cloudProvider) ?? cloudProviderOf(resource?.cloudPlatform),
      region: textOf(resource?.region),
      account: ecsObject({ id: textOf(subscription?.externalId), name: textOf(subscription?.name) }),
      service: ecsObject({ name: textOf(resource?.cloudPlatform)?.toLowerCase() }),
    }),
    resource: ecsObject({ id: resourceId, name: resourceName, type: resourceType, sub_type: textOf(resource?.nativeType) }),
    user: resourceType === "USER_ACCOUNT" ? ecsObject({ id: resourceId, name: resourceName }) : undefined,
    host: resourceType === "VIRTUAL_MACHINE" ? ecsObject({ name: resourceName }) : undefined,
    result: ecsObject({ evaluation, evidence: evidence ?? undefined }),
    wiz: {
      cloud_configuration_finding: compact({
        status: record.status ?? undefined,
        result: result ?? undefined,
        severity: record.severity ?? undefined,
        remediation: record.remediation ?? undefined,
        analyzed_at: isoMillisOf(raw.analyzedAt),
        updated_at: isoMillisOf(raw.updatedAt),
      }),
    },
  }) as EcsDocument;
}
