import type { FoldedEvent } from "../fold/folded-event.js";
import { resolutionStatement, runtimeContextLines } from "../fold/folded-event.js";

/** The id Wiz customers (and the public tutorial) use for custom integrations. */
export const CUSTOM_INTEGRATION_ID = "55c176cc-d155-43a2-98ed-aa56873a1ca1";

// Type aliases, not interfaces: the SDK's upload input is an open (indexed) object type.
export type EnrichmentEventItem = {
  id: string;
  timestamp: string;
  name: string;
  description: string;
  externalFindingLink: string;
  severity: string;
  mitreTacticIds: string[];
  mitreTechniqueIds: string[];
  commandLine?: string;
  ipAddress?: string;
  path?: string;
};

export type EnrichmentDocumentBody = {
  integrationId: string;
  dataSources: Array<{
    id: string;
    analysisDate: string;
    assets: Array<{ assetIdentifier: { cloudPlatform: string; providerId: string }; events: EnrichmentEventItem[] }>;
  }>;
};

export interface DocumentOptions {
  integrationId?: string;
  /** Where an event without a sensor deep link points: `<base><alert id>` (the wizbridge alert view). */
  alertLinkBase: string;
  now: number;
}

const DESCRIPTION_MAX = 4000;

function eventItem(event: FoldedEvent, options: DocumentOptions): EnrichmentEventItem {
  const a = event.alert;
  const description = [
    a.description || a.title,
    `Sensor: ${a.sensor} (${a.source}), rule ${a.ruleName}${a.ruleId !== a.ruleName ? ` [${a.ruleId}]` : ""}.`,
    `Resolved to this resource by wizbridge via ${resolutionStatement(event)}.`,
    `Seen ${event.count} time${event.count === 1 ? "" : "s"}, first ${new Date(event.firstSeen).toISOString()}, last ${new Date(event.lastSeen).toISOString()}.`,
    ...runtimeContextLines(a),
  ].join("\n");
  const item: EnrichmentEventItem = {
    id: event.eventId,
    timestamp: new Date(event.firstSeen).toISOString(),
    name: a.ruleName,
    description: description.length > DESCRIPTION_MAX ? `${description.slice(0, DESCRIPTION_MAX - 1)}…` : description,
    externalFindingLink: a.sensorLink ?? `${options.alertLinkBase}${encodeURIComponent(event.eventId)}`,
    severity: event.severity,
    mitreTacticIds: [...a.mitre.tactics],
    mitreTechniqueIds: [...a.mitre.techniques],
  };
  if (a.context.process?.commandLine) item.commandLine = a.context.process.commandLine.slice(0, 2000);
  const ip = a.context.request?.clientIp;
  if (ip) item.ipAddress = ip;
  const path = a.context.request?.path ?? a.context.process?.executable;
  if (path) item.path = path.slice(0, 2000);
  return item;
}

/**
 * One data source's complete active set as a V1 Wiz ingestion document: `events[]` under each resolved
 * asset. Complete, because Wiz may read a data source's newest upload as the whole truth.
 */
export function buildEnrichmentDocument(dataSourceId: string, events: readonly FoldedEvent[], options: DocumentOptions): EnrichmentDocumentBody {
  const assets = new Map<string, { assetIdentifier: { cloudPlatform: string; providerId: string }; events: EnrichmentEventItem[] }>();
  for (const event of events) {
    let asset = assets.get(event.providerId);
    if (!asset) {
      asset = { assetIdentifier: { cloudPlatform: event.cloudPlatform, providerId: event.providerId }, events: [] };
      assets.set(event.providerId, asset);
    }
    asset.events.push(eventItem(event, options));
  }
  return {
    integrationId: options.integrationId ?? CUSTOM_INTEGRATION_ID,
    dataSources: [{ id: dataSourceId, analysisDate: new Date(options.now).toISOString(), assets: [...assets.values()] }],
  };
}

/** `wizbridge-<source>-<environment>`: one data source per sensor source and environment. */
export function dataSourceIdOf(source: string, environment: string): string {
  return `wizbridge-${source}-${environment}`.replace(/[^A-Za-z0-9._-]/gu, "-");
}
