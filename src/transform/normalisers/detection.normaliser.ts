import type { DetectionRecord } from "../../model/canonical/index.js";
import { portalLinkOf } from "../../model/portal-links.js";
import type { NormaliseContext } from "./normalise-context.js";
import { objectOf, objectsOf, requiredId, resourceRefOf, severityFields, textOf, textsOf, timestampOf, type RawNode } from "./raw-fields.js";

const MITRE_TACTIC = /\bTA\d{4}\b/g;
const MITRE_TECHNIQUE = /\bT\d{4}(?:\.\d{3})?\b/g;

function actorOf(value: unknown): DetectionRecord["actor"] {
  const a = objectOf(value);
  const id = a ? textOf(a.id) : null;
  return a && id !== null ? { id, name: textOf(a.name), type: textOf(a.type), providerUniqueId: textOf(a.providerUniqueId) ?? textOf(a.externalId) } : null;
}

/** A Wiz Defend detection webhook body (`source: DETECTIONS`, tdrSource...), as the detections stream would see it. */
export function isDefendWebhook(raw: RawNode): boolean {
  return raw.source === "DETECTIONS" && ("tdrSource" in raw || "threatId" in raw);
}

/** A detections node, or a Wiz Defend detection webhook body. */
export function normaliseDetection(raw: RawNode, context: NormaliseContext): DetectionRecord {
  const id = requiredId("detection", raw);
  if (isDefendWebhook(raw)) return normaliseDefendWebhook(id, raw, context);
  const rule = objectOf(objectOf(raw.ruleMatch)?.rule);
  const ruleId = rule ? textOf(rule.id) : null;
  const resource = resourceRefOf(raw.primaryResource);
  const ruleName = rule ? textOf(rule.name) : null;
  const description = textOf(raw.description);
  return {
    recordType: "detection",
    id,
    title: ruleName,
    ...severityFields(raw.severity, context),
    status: textOf(raw.status),
    createdAt: timestampOf(raw.createdAt),
    updatedAt: timestampOf(raw.updatedAt),
    portalUrl: portalLinkOf(context.portalOrigin, "detections", id, null),
    detectionType: textOf(raw.type),
    origins: textsOf(raw.origins),
    description,
    startedAt: timestampOf(raw.startedAt),
    endedAt: timestampOf(raw.endedAt),
    issueId: textOf(objectOf(raw.issue)?.id),
    rule: rule && ruleId !== null ? { id: ruleId, name: ruleName } : null,
    resource,
    actor: actorOf(raw.primaryActor),
    cloudAccounts: objectsOf(raw.cloudAccounts).flatMap((a) => {
      const accountId = textOf(a.id);
      return accountId === null ? [] : [{ id: accountId, name: textOf(a.name), externalId: textOf(a.externalId) }];
    }),
    // The stream has no MITRE fields; Wiz writes the technique into the description.
    mitre: { tactics: [...new Set(description?.match(MITRE_TACTIC) ?? [])], techniques: [...new Set((description?.match(MITRE_TECHNIQUE) ?? []).filter((t) => !t.startsWith("TA")))] },
  };
}

function normaliseDefendWebhook(id: string, raw: RawNode, context: NormaliseContext): DetectionRecord {
  const trigger = objectOf(raw.trigger);
  const triggerRuleId = trigger ? textOf(trigger.ruleId) : null;
  const timeframe = objectOf(raw.timeframe);
  const resource = resourceRefOf(raw.primaryResource);
  const account = objectOf(objectOf(raw.primaryResource)?.cloudAccount);
  const accountId = account ? textOf(account.id) : null;
  const triggering = objectOf(raw.triggeringEvent);
  return {
    recordType: "detection",
    id,
    title: textOf(raw.title),
    ...severityFields(raw.severity, context),
    status: null,
    createdAt: timestampOf(raw.createdAt),
    updatedAt: timestampOf(raw.createdAt),
    portalUrl: textOf(raw.detectionUrl) ?? portalLinkOf(context.portalOrigin, "detections", id, null),
    detectionType: textOf(raw.tdrSource),
    origins: [...new Set([...textsOf([raw.tdrSource]), ...textsOf([triggering?.origin])])],
    description: textOf(raw.description),
    startedAt: timestampOf(timeframe?.start),
    endedAt: timestampOf(timeframe?.end),
    issueId: textOf(raw.threatId),
    rule: triggerRuleId !== null ? { id: triggerRuleId, name: textOf(trigger?.ruleName) } : null,
    resource,
    actor: actorOf(raw.primaryActor),
    cloudAccounts: accountId !== null ? [{ id: accountId, name: textOf(account?.name), externalId: textOf(account?.externalId) }] : [],
    mitre: { tactics: textsOf(raw.mitreTactics), techniques: textsOf(raw.mitreTechniques) },
  };
}
