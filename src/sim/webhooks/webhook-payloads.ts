import type { WizRecord } from "../tenant/types.js";

/**
 * Bodies of the webhooks Wiz automation rules send.
 *
 * Issues: Wiz's default issue template, as shown in public integration guides (Spike's Wiz guide,
 * the Wiz Terraform provider's automation-rule example, Panther's Wiz.IssuesWebhook samples): four
 * objects `trigger`, `issue`, `resource`, `control`. The template is mustache-rendered, so a value
 * the issue lacks comes out as an empty string, not null; `resource.id` is the entity's provider id
 * (`{{issue.entitySnapshot.providerId}}` in the template). Fields beyond those sources (updated,
 * url, dueDate, resolvedAt, providerId, tags, nativeType, type, resolutionReason) are the ones a
 * customised template most often adds.
 *
 * Defend detections: exactly the keys of the Wiz Defend webhook body in elastic/integrations'
 * test data (fixtures/runtime/wiz-defend-detection-webhook-payload-reference.json). That body is
 * produced by Wiz rather than a template, so absent values are null.
 */

export type IssueTriggerType = "Created" | "Updated" | "Resolved";

export interface TriggerInfo {
  ruleId: string;
  ruleName: string;
}

const rec = (value: unknown): WizRecord | undefined =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? (value as WizRecord) : undefined;
const list = (value: unknown): WizRecord[] => (Array.isArray(value) ? value.map(rec).filter((r): r is WizRecord => r !== undefined) : []);
const strOrNull = (value: unknown): string | null => (typeof value === "string" ? value : typeof value === "number" ? String(value) : null);
/** Mustache renders a missing value as "". */
const text = (value: unknown): string => strOrNull(value) ?? "";
const pick = (record: WizRecord | undefined, ...keys: string[]): unknown => {
  if (!record) return undefined;
  for (const key of keys) if (record[key] !== undefined && record[key] !== null) return record[key];
  return undefined;
};

/** Wiz portal link to an issue, in the format Wiz uses in webhook bodies and the API's `url` field. */
export function issuePortalUrl(portalBaseUrl: string, issueId: string): string {
  // Rison-style state: the quote opens a string that the closing parenthesis ends (no closing quote).
  return `${portalBaseUrl}/issues#~(issue~'${issueId})`;
}

export function buildIssuePayload(
  issue: WizRecord,
  type: IssueTriggerType,
  trigger: TriggerInfo,
  portalBaseUrl: string,
  updatedFields?: readonly string[],
): WizRecord {
  const snapshot = rec(issue.entitySnapshot) ?? {};
  const rule = rec(issue.control) ?? rec(issue.sourceRule) ?? {};
  const sourceConfigRule = rec(rule.sourceCloudConfigurationRule);
  const id = text(issue.id);
  const tags = rec(snapshot.tags) ?? {};
  return {
    trigger: {
      source: "ISSUES",
      type,
      ruleId: trigger.ruleId,
      ruleName: trigger.ruleName,
      ...(updatedFields && updatedFields.length > 0 ? { updatedFields: [...updatedFields] } : {}),
    },
    issue: {
      id,
      status: text(issue.status),
      severity: text(issue.severity),
      type: text(issue.type),
      created: text(issue.createdAt),
      updated: text(issue.updatedAt),
      projects: list(issue.projects).map((p) => ({
        id: text(p.id),
        name: text(p.name),
        businessUnit: text(p.businessUnit),
        riskProfile: { businessImpact: text(rec(p.riskProfile)?.businessImpact) },
      })),
      url: typeof issue.url === "string" ? issue.url : issuePortalUrl(portalBaseUrl, id),
      dueDate: text(issue.dueAt),
      resolvedAt: text(issue.resolvedAt),
      resolutionReason: text(issue.resolutionReason),
    },
    resource: {
      id: text(pick(snapshot, "providerId", "externalId", "id")),
      name: text(snapshot.name),
      type: text(snapshot.type),
      nativeType: text(snapshot.nativeType),
      cloudPlatform: text(snapshot.cloudPlatform),
      subscriptionId: text(pick(snapshot, "subscriptionExternalId", "subscriptionId")),
      subscriptionName: text(snapshot.subscriptionName),
      region: text(snapshot.region),
      status: text(snapshot.status),
      cloudProviderURL: text(snapshot.cloudProviderURL),
      providerId: text(snapshot.providerId),
      tags: { ...tags },
    },
    control: {
      id: text(rule.id),
      name: text(rule.name),
      description: text(pick(rule, "description", "controlDescription")),
      severity: text(pick(rule, "severity", "ruleSeverity") ?? issue.severity),
      sourceCloudConfigurationRuleId: text(pick(sourceConfigRule, "shortId", "id")),
      sourceCloudConfigurationRuleName: text(sourceConfigRule?.name),
    },
  };
}

const MITRE_TACTIC = /\bTA\d{4}\b/g;
const MITRE_TECHNIQUE = /\bT\d{4}(?:\.\d{3})?\b/g;

/** MITRE ids from explicit fields when the record has them, else from the rule's framework sub-categories. */
function mitreIds(detection: WizRecord, rule: WizRecord | undefined): { tactics: string[]; techniques: string[] } {
  const explicitTactics = pick(detection, "mitreTactics", "mitreTacticIds") ?? pick(rule, "mitreTactics", "mitreTacticIds");
  const explicitTechniques = pick(detection, "mitreTechniques", "mitreTechniqueIds") ?? pick(rule, "mitreTechniques", "mitreTechniqueIds");
  // Wiz names MITRE sub-categories "T1070.006 Timestomp" under categories "TA0005 Defense Evasion".
  const titles = list(rule?.securitySubCategories).flatMap((s) => [text(s.title), text(rec(s.category)?.name)]);
  const fromTitles = (re: RegExp): string[] => [...new Set(titles.flatMap((t) => t.match(re) ?? []))];
  const strings = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : undefined);
  return {
    tactics: strings(explicitTactics) ?? fromTitles(MITRE_TACTIC),
    techniques: strings(explicitTechniques) ?? fromTitles(MITRE_TECHNIQUE),
  };
}

function defendResource(resource: WizRecord): WizRecord {
  const account = rec(resource.cloudAccount);
  const cluster = rec(resource.kubernetesCluster);
  const namespace = rec(resource.kubernetesNamespace);
  const node = rec(resource.kubernetesNode);
  return {
    id: strOrNull(resource.id),
    externalId: strOrNull(resource.externalId),
    providerUniqueId: strOrNull(pick(resource, "providerUniqueId", "providerId")),
    name: strOrNull(resource.name),
    type: strOrNull(resource.type),
    nativeType: strOrNull(resource.nativeType),
    region: strOrNull(resource.region),
    status: strOrNull(resource.status),
    cloudAccount: account
      ? { cloudPlatform: strOrNull(pick(account, "cloudProvider", "cloudPlatform")), externalId: strOrNull(account.externalId), id: strOrNull(account.id) }
      : null,
    kubernetesNodeId: strOrNull(pick(resource, "kubernetesNodeId") ?? node?.id),
    kubernetesNodeName: strOrNull(pick(resource, "kubernetesNodeName") ?? node?.name),
    kubernetesNamespaceId: strOrNull(pick(resource, "kubernetesNamespaceId") ?? namespace?.id),
    kubernetesNamespaceName: strOrNull(pick(resource, "kubernetesNamespaceName") ?? namespace?.name),
    kubernetesClusterId: strOrNull(pick(resource, "kubernetesClusterId") ?? cluster?.id),
    kubernetesClusterName: strOrNull(pick(resource, "kubernetesClusterName") ?? cluster?.name),
    cloudProviderUrl: strOrNull(pick(resource, "cloudProviderUrl", "cloudProviderURL")),
  };
}

function defendActor(actor: WizRecord | undefined): WizRecord | null {
  if (!actor) return null;
  const actingAs = rec(actor.actingAs);
  return {
    id: strOrNull(actor.id),
    externalId: strOrNull(actor.externalId),
    providerUniqueId: strOrNull(actor.providerUniqueId),
    name: strOrNull(actor.name),
    type: strOrNull(actor.type),
    nativeType: strOrNull(actor.nativeType),
    actingAs: actingAs
      ? { id: strOrNull(actingAs.id), name: strOrNull(actingAs.name), type: strOrNull(actingAs.type), nativeType: strOrNull(actingAs.nativeType) }
      : null,
  };
}

function triggeringEventNodes(detection: WizRecord): { nodes: WizRecord[]; total: number } {
  const raw = detection.triggeringEvents;
  if (Array.isArray(raw)) return { nodes: list(raw), total: raw.length };
  const connection = rec(raw);
  const nodes = list(connection?.nodes);
  const total = pick(connection, "totalCountV2", "totalCount");
  return { nodes, total: typeof total === "number" ? total : nodes.length };
}

function defendEvent(event: WizRecord, resourcesById: Map<string, WizRecord>): WizRecord {
  const meta = rec(event.actorIPMeta);
  const extra = rec(event.extraDetails) ?? rec(event.runtimeDetails);
  const related = meta?.relatedAttackGroupNames;
  return {
    id: strOrNull(event.id),
    externalId: strOrNull(event.externalId),
    name: strOrNull(event.name),
    description: strOrNull(event.description),
    cloudProviderUrl: strOrNull(pick(event, "cloudProviderUrl", "cloudProviderURL")),
    cloudPlatform: strOrNull(event.cloudPlatform),
    origin: strOrNull(event.origin),
    eventTime: strOrNull(pick(event, "eventTime", "timestamp")),
    source: strOrNull(event.source),
    category: strOrNull(event.category),
    status: strOrNull(event.status),
    actor: defendActor(rec(event.actor)),
    actorIP: strOrNull(event.actorIP),
    actorIPMeta: meta
      ? {
          country: strOrNull(meta.country),
          autonomousSystemNumber: typeof meta.autonomousSystemNumber === "number" ? meta.autonomousSystemNumber : null,
          autonomousSystemOrganization: strOrNull(meta.autonomousSystemOrganization),
          reputation: strOrNull(meta.reputation),
          reputationDescription: strOrNull(meta.reputationDescription),
          reputationSource: strOrNull(meta.reputationSource),
          // The API returns a list; the webhook body carries one string.
          relatedAttackGroupNames: Array.isArray(related) ? (related.length > 0 ? related.join(", ") : "None") : strOrNull(related),
          isForeign: typeof meta.isForeign === "boolean" ? meta.isForeign : typeof event.isForeignActorIP === "boolean" ? event.isForeignActorIP : null,
        }
      : null,
    resources: list(event.resources).map((r) => defendResource(resourcesById.get(text(r.id)) ?? r)),
    runtimeDetails: {
      processTree: list(extra?.processTree).map((p) => {
        const container = rec(p.container);
        const image = rec(container?.image);
        return {
          command: strOrNull(p.command),
          container: container
            ? {
                externalId: strOrNull(container.externalId),
                id: strOrNull(container.id),
                imageExternalId: strOrNull(pick(container, "imageExternalId") ?? image?.externalId),
                imageId: strOrNull(pick(container, "imageId") ?? image?.id),
                name: strOrNull(container.name),
              }
            : null,
          executionTime: strOrNull(p.executionTime),
          hash: strOrNull(p.hash),
          id: strOrNull(pick(p, "id", "runtimeProgramId")),
          path: strOrNull(p.path),
          size: typeof p.size === "number" ? p.size : null,
          userId: strOrNull(p.userId),
          username: strOrNull(pick(p, "username", "userName")),
        };
      }),
    },
  };
}

/** The Wiz Defend detection webhook body for a detection node (GraphQL `detections` shape). */
export function buildDetectionPayload(detection: WizRecord, trigger: TriggerInfo, portalBaseUrl: string): WizRecord {
  const rule = rec(rec(detection.ruleMatch)?.rule);
  const issue = rec(detection.issue);
  const resources = list(detection.resources);
  const resourcesById = new Map(resources.map((r) => [text(r.id), r]));
  const primary = rec(detection.primaryResource);
  const primaryFull = primary ? (resourcesById.get(text(primary.id)) ?? primary) : resources[0];
  const actor = rec(detection.primaryActor) ?? list(detection.actors)[0];
  const origins = pick(detection, "origins") ?? pick(rule, "origins");
  const origin = Array.isArray(origins) ? strOrNull(origins[0]) : strOrNull(detection.origin);
  const { tactics, techniques } = mitreIds(detection, rule);
  const events = triggeringEventNodes(detection);
  const firstEvent = events.nodes[0];
  const id = text(detection.id);
  const threatId = strOrNull(issue?.id);
  const startedAt = strOrNull(pick(detection, "startedAt", "createdAt"));
  return {
    trigger: { source: "DETECTIONS", type: "Created", ruleId: trigger.ruleId, ruleName: trigger.ruleName },
    id,
    source: "DETECTIONS",
    threatId,
    threatURL: strOrNull(issue?.url) ?? (threatId === null ? null : issuePortalUrl(portalBaseUrl, threatId)),
    title: strOrNull(pick(rule, "name") ?? pick(detection, "name", "title")),
    description: strOrNull(pick(rule, "description") ?? detection.description),
    severity: strOrNull(detection.severity),
    createdAt: strOrNull(detection.createdAt),
    tdrId: strOrNull(rule?.id),
    tdrSource: origin,
    mitreTactics: tactics,
    mitreTechniques: techniques,
    cloudOrganizations: list(detection.cloudOrganizations).map((o) => ({
      cloudProvider: strOrNull(o.cloudProvider),
      externalId: strOrNull(o.externalId),
      name: strOrNull(o.name),
    })),
    detectionUrl: strOrNull(detection.url) ?? `${portalBaseUrl}/threats#~(detection~'${id})`,
    timeframe: { start: startedAt, end: strOrNull(detection.endedAt) ?? startedAt },
    primaryActor: actor
      ? {
          id: strOrNull(actor.id),
          name: strOrNull(actor.name),
          nativeType: strOrNull(actor.nativeType),
          type: strOrNull(actor.type),
          email: strOrNull(actor.email),
          externalId: strOrNull(actor.externalId),
        }
      : null,
    primaryResource: primaryFull ? defendResource(primaryFull) : null,
    triggeringEventsCount: events.total,
    triggeringEvent: firstEvent ? defendEvent(firstEvent, resourcesById) : null,
  };
}
