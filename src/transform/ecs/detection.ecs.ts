import type { DetectionRecord } from "../../model/canonical/index.js";
import { isDefendWebhook } from "../normalisers/detection.normaliser.js";
import { ecsEventSeverityOf } from "../severity/severity-ladder.js";
import { compact } from "../compact.js";
import { cloudProviderOf, distinct, ecsObject, ECS_VERSION, isoMillisOf, objectOf, objectsOf, subCategoryNamesOf, textOf, textsOf, type EcsDocument, type RawNode } from "./ecs-fields.js";

function resourceOf(primary: RawNode | null): Record<string, unknown> | undefined {
  if (!primary) return undefined;
  return ecsObject({ id: textOf(primary.providerUniqueId) ?? textOf(primary.externalId) ?? textOf(primary.id), name: textOf(primary.name), type: textOf(primary.type), sub_type: textOf(primary.nativeType) });
}

function containerOf(primary: RawNode | null): Record<string, unknown> | undefined {
  if (!primary || textOf(primary.type)?.toUpperCase() !== "CONTAINER") return undefined;
  return ecsObject({ id: textOf(primary.externalId), name: textOf(primary.name) });
}

function threatOf(record: DetectionRecord, indicator?: Record<string, unknown>): Record<string, unknown> | undefined {
  return ecsObject({
    framework: record.mitre.techniques.length + record.mitre.tactics.length > 0 ? "MITRE ATT&CK" : undefined,
    technique: ecsObject({ id: record.mitre.techniques }),
    tactic: ecsObject({ id: record.mitre.tactics }),
    indicator,
  });
}

function wizDefendOf(record: DetectionRecord): Record<string, unknown> {
  return compact({ type: record.detectionType ?? undefined, status: record.status ?? undefined, origins: record.origins.length > 0 ? record.origins : undefined, issue_id: record.issueId ?? undefined, actor: record.actor ?? undefined, severity: record.severity ?? undefined });
}

/**
 * A detections node as Elastic's Wiz `defend_v2` data stream (Detections API) writes it: event.kind alert /
 * threat / indicator, @timestamp = updatedAt, message = description, cloud.* from the cloud accounts (lists, as
 * Elastic writes them), rule.* with the rule's categories, process.* and source.ip from the triggering events.
 */
function detectionNodeEcs(record: DetectionRecord, raw: RawNode, observedAt: string): EcsDocument {
  const primary = objectOf(raw.primaryResource);
  const accounts = objectsOf(raw.cloudAccounts);
  const organizations = objectsOf(raw.cloudOrganizations);
  const events = objectsOf(objectOf(raw.triggeringEvents)?.nodes);
  const rule = objectOf(objectOf(raw.ruleMatch)?.rule);
  const email = textOf(objectOf(raw.primaryActor)?.email);
  const actorIps = distinct(events.map((e) => textOf(e.actorIP)));
  return compact({
    "@timestamp": isoMillisOf(raw.updatedAt) ?? isoMillisOf(raw.createdAt) ?? observedAt,
    ecs: { version: ECS_VERSION },
    message: textOf(raw.description) ?? record.title ?? undefined,
    observer: { vendor: "Wiz", product: "Defend" },
    event: compact({
      kind: "alert",
      category: ["threat"],
      type: ["indicator"],
      id: record.id,
      dataset: "wiz.defend_v2",
      severity: ecsEventSeverityOf(record.severity) ?? undefined,
      created: isoMillisOf(raw.createdAt),
      start: isoMillisOf(raw.startedAt),
      end: isoMillisOf(raw.endedAt),
      url: record.portalUrl,
    }),
    rule: ecsObject({ id: textOf(rule?.id), name: textOf(rule?.name), category: subCategoryNamesOf(rule) }),
    cloud: ecsObject({
      region: textOf(primary?.region),
      account: ecsObject({ id: distinct(accounts.map((a) => textOf(a.externalId))), name: distinct(accounts.map((a) => textOf(a.name))) }),
      provider: distinct(accounts.map((a) => cloudProviderOf(a.cloudProvider))),
    }),
    organization: ecsObject({ id: distinct(organizations.map((o) => textOf(o.id))), name: distinct(organizations.map((o) => textOf(o.name))) }),
    user: ecsObject({ email }),
    process: ecsObject({
      command_line: distinct(events.map((e) => textOf(e.commandLine))),
      executable: distinct(events.map((e) => textOf(objectOf(e.runtimeProgram)?.name))),
      name: distinct(events.map((e) => textOf(objectOf(e.runtimeProgram)?.name))),
      parent: ecsObject({ name: distinct(events.map((e) => textOf(objectOf(e.parentRuntimeProgram)?.name))) }),
    }),
    source: ecsObject({ ip: actorIps }),
    container: containerOf(primary),
    resource: resourceOf(primary),
    related: ecsObject({ ip: actorIps, user: distinct([email]) }),
    threat: threatOf(record),
    wiz: { defend: wizDefendOf(record) },
  }) as EcsDocument;
}

/**
 * A Wiz Defend detection webhook body as Elastic's Wiz `defend` data stream (webhook) writes it: @timestamp =
 * the triggering event's time, message = its description, event.action = the trigger type, rule.* = the
 * automation rule, threat.* = MITRE ids and the threat, user.* = the actor, related.* from the process tree.
 */
function defendWebhookEcs(record: DetectionRecord, raw: RawNode, observedAt: string): EcsDocument {
  const trigger = objectOf(raw.trigger);
  const event = objectOf(raw.triggeringEvent);
  const actor = objectOf(event?.actor);
  const ipMeta = objectOf(event?.actorIPMeta);
  const processes = objectsOf(objectOf(event?.runtimeDetails)?.processTree);
  const primary = objectOf(raw.primaryResource);
  const asNumber = typeof ipMeta?.autonomousSystemNumber === "number" ? ipMeta.autonomousSystemNumber : undefined;
  return compact({
    "@timestamp": isoMillisOf(event?.eventTime) ?? isoMillisOf(objectOf(raw.timeframe)?.start) ?? isoMillisOf(raw.createdAt) ?? observedAt,
    ecs: { version: ECS_VERSION },
    message: textOf(event?.description) ?? textOf(raw.description) ?? record.title ?? undefined,
    observer: { vendor: "Wiz", product: "Defend" },
    event: compact({
      kind: "alert",
      category: ["threat"],
      type: ["indicator"],
      id: textOf(event?.id) ?? record.id,
      dataset: "wiz.defend",
      action: textOf(trigger?.type)?.toLowerCase(),
      outcome: textOf(event?.status)?.toLowerCase(),
      provider: textOf(event?.source) ?? undefined,
      severity: ecsEventSeverityOf(record.severity) ?? undefined,
      created: isoMillisOf(raw.createdAt),
      url: record.portalUrl,
    }),
    rule: ecsObject({ id: textOf(trigger?.ruleId), name: textOf(trigger?.ruleName) }),
    cloud: ecsObject({ provider: cloudProviderOf(event?.cloudPlatform), region: textOf(primary?.region) }),
    user: ecsObject({ id: textOf(actor?.id), name: textOf(actor?.name) }),
    source: ecsObject({ ip: textOf(event?.actorIP), as: ecsObject({ number: asNumber, organization: ecsObject({ name: textOf(ipMeta?.autonomousSystemOrganization) }) }) }),
    container: containerOf(primary),
    resource: resourceOf(primary),
    related: ecsObject({
      hash: distinct(processes.map((p) => textOf(p.hash))),
      ip: distinct([textOf(event?.actorIP)]),
      user: distinct([textOf(actor?.id), textOf(actor?.name), ...processes.flatMap((p) => [textOf(p.userId), textOf(p.username)])]),
    }),
    threat: threatOf(record, ecsObject({ id: textsOf([raw.threatId]), reference: textOf(raw.threatURL) })),
    wiz: { defend: wizDefendOf(record) },
  }) as EcsDocument;
}

/** A detection (Detections API node or Defend webhook body) as Elastic's Wiz integration writes it. */
export function detectionEcs(record: DetectionRecord, raw: RawNode, observedAt: string): EcsDocument {
  return isDefendWebhook(raw) ? defendWebhookEcs(record, raw, observedAt) : detectionNodeEcs(record, raw, observedAt);
}
