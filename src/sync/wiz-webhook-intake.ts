import type { Logger } from "pino";
import { z } from "zod";
import type { StreamName } from "../model/stream-name.js";
import { OutboxRepository } from "../store/outbox.repository.js";
import type { StoreDb } from "../store/store-database.js";
import { pageRecordOf, upsertEventsOf } from "./page-events.js";
import type { OutputProfile } from "../transform/output-profile.js";
import { STREAM_CATALOGUE } from "./streams/stream-catalogue.js";
import type { WizPayload } from "./stream-definition.js";

/**
 * Wiz automation-rule webhooks, as Wiz sends them: the issue template (`trigger`, `issue`, `resource`,
 * `control`; mustache renders a missing value as "") and the Wiz Defend detection body. Unknown keys are
 * kept (they travel in `raw`); only what the event needs is required.
 */
const nonEmpty = z.string().min(1, "must be a non-empty string");
const issueBodySchema = z.looseObject({
  trigger: z.looseObject({ source: z.literal("ISSUES"), type: z.string().optional() }),
  issue: z.looseObject({ id: nonEmpty, status: z.string().optional(), severity: z.string().optional(), type: z.string().optional(), created: z.string().optional(), updated: z.string().optional() }),
  resource: z.looseObject({}).optional(),
  control: z.looseObject({}).optional(),
});
const detectionBodySchema = z.looseObject({
  id: nonEmpty,
  source: z.literal("DETECTIONS").optional(),
  trigger: z.looseObject({ source: z.literal("DETECTIONS") }).optional(),
  createdAt: nonEmpty,
  severity: z.string().optional(),
  title: z.string().optional(),
});

export class WebhookPayloadError extends Error {
  override readonly name = "WebhookPayloadError";
}

export interface WebhookAcceptance {
  eventId: string;
  stream: StreamName;
  recordId: string;
}

export interface WizWebhookIntakeOptions {
  db: StoreDb;
  now: () => number;
  logger: Logger;
  /** Portal origin per connector, for deep links. */
  portalOriginOf: (connectorId: string) => string;
  /** Called after a commit, to wake the connector's dispatchers. */
  onCommit?: (connectorId: string) => void;
  /** The connector's output profile (canonical when absent), so pushed events look like pulled ones. */
  outputProfileOf?: (connectorId: string) => Promise<OutputProfile | undefined>;
}

/**
 * Feeds Wiz's pushes into the pull's pipeline: the webhook body becomes the same record shape the stream
 * reads through GraphQL, so it is normalised the same way and gets the same deterministic event id as the
 * pull's copy of that version (a deduplicating sink keeps one). The event is in the outbox, committed,
 * before the sender hears 2xx.
 */
export class WizWebhookIntake {
  private readonly counts = new Map<string, { key: { connector: string; stream: StreamName }; n: number }>();

  constructor(private readonly options: WizWebhookIntakeOptions) {}

  /** Events accepted since start, per connector and stream (for /metrics). */
  accepted(): Array<[{ connector: string; stream: StreamName }, number]> {
    return [...this.counts.values()].map((c) => [c.key, c.n]);
  }

  async accept(connectorId: string, body: unknown): Promise<WebhookAcceptance> {
    const { stream, node } = recordOfWebhook(body);
    const definition = STREAM_CATALOGUE[stream];
    const record = pageRecordOf(stream, definition.cursorField, node, definition.cursorFallbacks);
    const now = this.options.now();
    const profile = await this.options.outputProfileOf?.(connectorId);
    const built = await upsertEventsOf({ connectorId, stream, portalOrigin: this.options.portalOriginOf(connectorId), observedAt: new Date(now).toISOString(), ...(profile ? { profile } : {}) }, [record]);
    const event = built.events[0];
    if (!event) throw new WebhookPayloadError(`${built.rejected[0]?.reason ?? "The record could not be normalised"} Check the automation rule's webhook template in Wiz.`);
    // `raw` is what Wiz sent (the webhook body); `via` tells it from the pull's copy of the same version.
    const payload = JSON.stringify({ ...event, via: "webhook", raw: body });
    await this.options.db.transaction().execute(async (trx) => {
      await new OutboxRepository(trx).append([{ connectorId, stream, eventId: record.eventId, payload }], now);
    });
    const counter = this.counts.get(`${connectorId}\u0000${stream}`) ?? { key: { connector: connectorId, stream }, n: 0 };
    counter.n += 1;
    this.counts.set(`${connectorId}\u0000${stream}`, counter);
    this.options.onCommit?.(connectorId);
    this.options.logger.info({ connector: connectorId, stream, record: record.recordId, event: record.eventId }, `wiz: webhook ${stream} record accepted`);
    return { eventId: record.eventId, stream, recordId: record.recordId };
  }
}

/** The stream a webhook belongs to and its body as that stream's GraphQL node. Throws WebhookPayloadError naming the field. */
export function recordOfWebhook(body: unknown): { stream: StreamName; node: WizPayload } {
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw new WebhookPayloadError("The webhook body must be a JSON object (a Wiz automation-rule webhook: issue template or Defend detection).");
  const source = sourceOf(body as Record<string, unknown>);
  if (source === "ISSUES") {
    const parsed = issueBodySchema.safeParse(body);
    if (!parsed.success) throw payloadError(parsed.error, "an issue webhook");
    return { stream: "issues", node: issueNodeOf(parsed.data) };
  }
  if (source === "DETECTIONS") {
    const parsed = detectionBodySchema.safeParse(body);
    if (!parsed.success) throw payloadError(parsed.error, "a Defend detection webhook");
    return { stream: "detections", node: detectionNodeOf(parsed.data) };
  }
  throw new WebhookPayloadError(
    'trigger.source must be "ISSUES" or "DETECTIONS" (got ' +
      JSON.stringify(source ?? null) +
      "). Use Wiz's default issue template or the Defend detection webhook; other automation sources are not synced by webhook.",
  );
}

function sourceOf(body: Record<string, unknown>): unknown {
  const trigger = body.trigger;
  if (trigger !== null && typeof trigger === "object" && "source" in trigger) return (trigger as Record<string, unknown>).source;
  return body.source;
}

function payloadError(error: z.ZodError, what: string): WebhookPayloadError {
  const issue = error.issues[0];
  const path = issue?.path.map(String).join(".") || "(body)";
  return new WebhookPayloadError(`${path}: ${issue?.message ?? "invalid"} in ${what}. Check the automation rule's webhook template in Wiz.`);
}

type Loose = Record<string, unknown>;

/** Mustache renders a missing value as "": that is no value. */
function value(v: unknown): string | null {
  return typeof v === "string" && v !== "" ? v : typeof v === "number" ? String(v) : null;
}

function object(v: unknown): Loose {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Loose) : {};
}

function issueNodeOf(body: z.infer<typeof issueBodySchema>): WizPayload {
  const issue = body.issue as Loose;
  const resource = object(body.resource);
  const control = object(body.control);
  const projects = Array.isArray(issue.projects) ? issue.projects.map(object).map((p) => ({ id: value(p.id), name: value(p.name) })) : [];
  return {
    id: body.issue.id,
    type: value(issue.type),
    status: value(issue.status),
    severity: value(issue.severity),
    createdAt: value(issue.created),
    updatedAt: value(issue.updated),
    resolvedAt: value(issue.resolvedAt),
    dueAt: value(issue.dueDate),
    resolutionReason: value(issue.resolutionReason),
    url: value(issue.url),
    sourceRule: value(control.id) || value(control.name) ? { id: value(control.id), name: value(control.name) } : null,
    entitySnapshot: {
      type: value(resource.type),
      nativeType: value(resource.nativeType),
      name: value(resource.name),
      status: value(resource.status),
      cloudPlatform: value(resource.cloudPlatform),
      region: value(resource.region),
      providerId: value(resource.providerId) ?? value(resource.id),
      subscriptionExternalId: value(resource.subscriptionId),
      subscriptionName: value(resource.subscriptionName),
    },
    projects,
  };
}

function detectionNodeOf(body: z.infer<typeof detectionBodySchema>): WizPayload {
  const d = body as Loose;
  const resource = object(d.primaryResource);
  const actor = object(d.primaryActor);
  const account = object(resource.cloudAccount);
  return {
    id: body.id,
    type: "GENERATED_THREAT",
    severity: value(d.severity),
    description: value(d.description),
    createdAt: body.createdAt,
    // A Defend detection does not change after it is raised: its creation is its only version.
    updatedAt: body.createdAt,
    startedAt: value(object(d.timeframe).start),
    endedAt: value(object(d.timeframe).end),
    origins: value(d.tdrSource) ? [value(d.tdrSource)] : [],
    issue: value(d.threatId) ? { id: value(d.threatId) } : null,
    ruleMatch: { rule: { id: value(d.tdrId) ?? value(object(d.trigger).ruleId), name: value(d.title) } },
    primaryResource: Object.keys(resource).length > 0 ? { id: value(resource.id), name: value(resource.name), type: value(resource.type), nativeType: value(resource.nativeType), region: value(resource.region), providerUniqueId: value(resource.providerUniqueId) } : null,
    primaryActor: Object.keys(actor).length > 0 ? { id: value(actor.id), name: value(actor.name), type: value(actor.type), providerUniqueId: value(actor.externalId) } : null,
    cloudAccounts: Object.keys(account).length > 0 ? [{ id: value(account.id), name: null, externalId: value(account.externalId) }] : [],
  };
}
