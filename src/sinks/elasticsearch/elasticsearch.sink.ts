import type { Logger } from "pino";
import { packageVersion } from "../../version.js";
import { SinkRejectedError, SinkUnavailableError, type Sink, type SinkRecord, type SinkTestStep } from "../sink.js";
import type { SinkContext } from "../sink-context.js";
import { retryAfterMs, tlsConnectionOptions } from "../sink-settings.js";
import { encodeBulkBody, type BulkBody, type BulkOp } from "./bulk-request.js";
import { BULK_FILTER_PATH, readBulkOutcome, type BulkOutcome, type RetryKind } from "./bulk-response.js";
import { authenticationFix, ClusterSetupError, itemSetupFix, writePrivilegeFix, type SetupContext } from "./cluster-failure.js";
import { ClusterHttp, clusterErrorText } from "./cluster-http.js";
import { runSelfTest } from "./cluster-self-test.js";
import { installIndexTemplate } from "./cluster-setup.js";
import { flavorOf, type SearchSinkSettings } from "./elasticsearch.sink-type.js";
import { DEFAULT_INDEX_TEMPLATE, IndexNames, indexPatternOf } from "./index-naming.js";
import { indexTemplateName, type IndexTemplateOptions, type SearchFlavor } from "./index-template.js";

const DEFAULT_TIMEOUT_MS = 60_000;

/** What one `_bulk` request came to: each item sorted, or 413 (the body is over http.max_content_length). */
export type BulkAttempt = { kind: "answered"; outcome: BulkOutcome } | { kind: "too-large"; bytes: number };

/** Per-batch result across the requests of a batch (a 413 splits it). */
interface Tally {
  accepted: Set<string>;
  rejected: Map<string, string>;
  retry: Map<string, { kind: RetryKind; reason: string }>;
}

/**
 * Elasticsearch and OpenSearch through `_bulk`, one index or data stream per stream, over one undici Agent.
 *
 * Guarantee: effectively-once. Each event is a document whose `_id` is the event id. An event counts as
 * delivered when its bulk item answered 2xx: the primary shard and its in-sync replicas have it and it is
 * in their translog (fsynced per request by default), so it survives a node restart. A crash between that
 * answer and the outbox acknowledgement, a timeout, or a retry of a partly accepted batch sends events
 * again; the same `_id` makes that harmless: in `index` mode the document is overwritten with identical
 * content, in `data-stream` mode the `create` answers 409, which counts as delivered. The one gap: a data
 * stream checks `_id` only in its current write index, so a redelivery that arrives after a rollover
 * stores a second copy (same `_id`, another backing index).
 *
 * Per-item results: items refused for the document itself (mapping, parse errors) go to the dead-letter
 * table with the cluster's type and reason; items the cluster could not take now (429, 5xx, rejected
 * execution) or because the sink is set up wrong (privileges, missing index or pipeline) are written again.
 */
export class ElasticsearchSink implements Sink {
  readonly guarantee = "effectively-once" as const;
  readonly flavor: SearchFlavor;
  private readonly http: ClusterHttp;
  private readonly names: IndexNames;
  private readonly op: BulkOp;
  private readonly bulkQuery: Readonly<Record<string, string>>;
  private readonly setupContext: SetupContext;
  private readonly templateOptions: IndexTemplateOptions;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly bodies = new BodyBufferPool();
  private readonly verifiesCertificate: boolean;

  constructor(
    readonly id: string,
    settings: SearchSinkSettings,
    context: SinkContext,
  ) {
    this.flavor = flavorOf(settings);
    this.logger = context.logger;
    this.now = context.now;
    const url = new URL(settings.url);
    const https = url.protocol === "https:";
    if (!https && settings.auth && !isLoopback(url.hostname)) {
      this.logger.warn({ sink: id, cluster: url.origin }, `sink ${id} sends its credentials and the events over plain http to ${url.origin}: anyone on the network path can read them. Use an https:// url.`);
    }
    this.verifiesCertificate = settings.tls?.insecureSkipVerify !== true;
    this.http = new ClusterHttp({
      url: settings.url,
      flavor: this.flavor,
      auth: settings.auth,
      tls: https ? tlsConnectionOptions(id, settings.tls, this.logger, context.baseDir) : undefined,
      timeoutMs: settings.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      userAgent: `wizbridge/${packageVersion()}`,
    });
    const template = settings.index ?? DEFAULT_INDEX_TEMPLATE;
    this.names = new IndexNames(template);
    const dataStream = settings.mode === "data-stream";
    this.op = dataStream ? "create" : "index";
    this.bulkQuery = Object.freeze({
      filter_path: BULK_FILTER_PATH,
      ...(settings.pipeline ? { pipeline: settings.pipeline } : {}),
      ...(settings.refresh !== undefined && settings.refresh !== false ? { refresh: String(settings.refresh) } : {}),
    });
    const indexPattern = indexPatternOf(template);
    this.setupContext = { sinkId: id, name: this.http.name, auth: settings.auth, indexPattern, pipeline: settings.pipeline, dataStream };
    this.templateOptions = { flavor: this.flavor, indexPattern, dataStream, storeRaw: settings.storeRaw ?? "stored-only", recordMappings: settings.recordMappings ?? "dynamic", sinkId: id };
  }

  async write(batch: readonly SinkRecord[]): Promise<void> {
    if (batch.length === 0) return;
    const tally: Tally = { accepted: new Set(), rejected: new Map(), retry: new Map() };
    try {
      await this.deliver(batch, tally);
    } catch (error) {
      // Refusals already sorted out (by an earlier half of a split batch) still reach the dead-letter table.
      if (tally.rejected.size > 0) throw this.partialFailure(tally, batch.length);
      throw error;
    }
    if (tally.rejected.size === 0 && tally.retry.size === 0) return;
    throw this.partialFailure(tally, batch.length);
  }

  setup(): Promise<string[]> {
    return installIndexTemplate({ http: this.http, flavor: this.flavor, template: this.templateOptions, templateName: indexTemplateName(this.id), context: this.setupContext });
  }

  selfTest(): Promise<SinkTestStep[]> {
    return runSelfTest({
      http: this.http,
      flavor: this.flavor,
      template: this.templateOptions,
      templateName: indexTemplateName(this.id),
      context: this.setupContext,
      now: this.now,
      verifiesCertificate: this.verifiesCertificate,
      targetOf: (record) => this.names.nameFor(record.connectorId, record.stream),
      bulk: (records) => this.bulk(records, { withIndices: true }),
    });
  }

  async close(): Promise<void> {
    await this.http.close();
  }

  /**
   * One `_bulk` request for `records`. Throws SinkUnavailableError when the cluster is down or throttles the
   * whole request, ClusterSetupError when it refuses the credentials or the request itself.
   */
  async bulk(records: readonly SinkRecord[], options: { withIndices?: boolean } = {}): Promise<BulkAttempt> {
    const body = encodeBulkBody(records, this.op, this.names, () => new Date(this.now()).toISOString(), this.bodies.allocate);
    try {
      return await this.send(body, options);
    } finally {
      this.bodies.release(body.buffer);
    }
  }

  private async send(body: BulkBody, options: { withIndices?: boolean }): Promise<BulkAttempt> {
    const answered = (outcome: BulkOutcome): BulkAttempt => {
      for (const [eventId, reason] of body.refused) outcome.rejected.set(eventId, reason);
      return { kind: "answered", outcome };
    };
    if (body.eventIds.length === 0) return answered({ accepted: [], rejected: new Map(), retry: new Map() });
    const response = await this.http.request("POST", "/_bulk", { body: body.bytes, ndjson: true, query: this.bulkQuery });
    const { status } = response;
    if (status >= 200 && status < 300) return answered(readBulkOutcome(response.text, body.eventIds, options));
    if (status === 413) return { kind: "too-large", bytes: body.bytes.length };
    const said = this.http.redact(clusterErrorText(response.text));
    const where = `${this.http.name} at ${this.http.address}`;
    if (status === 429 || status >= 500) {
      const wait = retryAfterMs(response.headers["retry-after"], this.now());
      const why = status === 429 ? "is throttling (429 Too Many Requests)" : `answered ${status}`;
      throw new SinkUnavailableError(`${where} ${why}${wait !== undefined ? `, Retry-After ${Math.round(wait / 1000)} s` : ""}: ${said}. The batch is written again after the wait.`, {
        retryAfterMs: wait,
      });
    }
    if (status === 401) throw new ClusterSetupError(`${where} refused the credentials (401: ${said}).`, authenticationFix(this.setupContext));
    if (status === 403) throw new ClusterSetupError(`${where} refused to take the batch (403: ${said}).`, writePrivilegeFix(this.setupContext));
    if (status === 404) throw new ClusterSetupError(`${where} has no _bulk endpoint (404: ${said}).`, "url must be the cluster's REST address (port 9200 by default, plus the path prefix of a proxy if there is one).");
    throw new ClusterSetupError(`${where} refused the _bulk request (${status}: ${said}).`, "read the cluster's reason above; the batch is written again meanwhile.");
  }

  /** Sends `records`, splitting them in halves while the cluster says the body is too large (413). */
  private async deliver(records: readonly SinkRecord[], tally: Tally): Promise<void> {
    const attempt = await this.bulk(records);
    if (attempt.kind === "answered") {
      for (const eventId of attempt.outcome.accepted) tally.accepted.add(eventId);
      for (const [eventId, reason] of attempt.outcome.rejected) tally.rejected.set(eventId, reason);
      for (const [eventId, retry] of attempt.outcome.retry) tally.retry.set(eventId, retry);
      return;
    }
    if (records.length === 1) {
      tally.rejected.set(
        (records[0] as SinkRecord).eventId,
        `413 request_entity_too_large: the event takes ${attempt.bytes} bytes in a _bulk request, more than the cluster's http.max_content_length allows`,
      );
      return;
    }
    this.logger.debug({ sink: this.id, events: records.length, bytes: attempt.bytes }, "the cluster refused a _bulk body as too large (413); splitting the batch");
    const half = Math.ceil(records.length / 2);
    await this.deliver(records.slice(0, half), tally);
    await this.deliver(records.slice(half), tally);
  }

  /** The error for a batch some of whose items failed: refused ones dead-lettered, the accepted kept, the rest written again. */
  private partialFailure(tally: Tally, total: number): Error {
    const retries = [...tally.retry.values()];
    const setup = retries.find((r) => r.kind === "config");
    const where = `${this.http.name} at ${this.http.address}`;
    if (tally.rejected.size === 0 && tally.accepted.size === 0) {
      const first = retries[0]?.reason ?? "no reason given";
      if (setup) return new ClusterSetupError(`${where} could not take any of ${total} events (${this.http.redact(setup.reason)}).`, itemSetupFix(setup.reason, this.setupContext));
      return new SinkUnavailableError(`${where} could not take any of ${total} events now (${this.http.redact(first)}); the batch is written again after backoff.`);
    }
    if (tally.rejected.size > 0) {
      this.logger.warn({ sink: this.id, refused: tally.rejected.size, retried: tally.retry.size, batch: total }, "the cluster refused some events for good; they go to the dead-letter table with its reason");
    }
    const rejected = new Map([...tally.rejected].map(([eventId, reason]) => [eventId, this.http.redact(reason)]));
    const error = new SinkRejectedError(rejected, tally.accepted);
    const parts = [`${where} took ${tally.accepted.size} of ${total} events`];
    if (rejected.size > 0) parts.push(`refused ${rejected.size} for good (first: ${[...rejected.values()][0] ?? ""})`);
    if (retries.length > 0) {
      const first = setup ?? (retries[0] as { reason: string });
      parts.push(`could not take ${retries.length} now (first: ${this.http.redact(first.reason)})${setup ? `. Fix: ${itemSetupFix(setup.reason, this.setupContext)}` : "; they are written again"}`);
    }
    error.message = `${parts.join(", ")}.`;
    return error;
  }
}

/**
 * Request bodies (a megabyte or more each) reused from batch to batch: no fresh allocation, page faults and
 * release per batch. Holds at most a few spare buffers (as many as requests ran at once, up to 8). A buffer
 * comes back only after the cluster's whole answer was read: by then the body has left the process (a
 * server answers a request it has read; one that answers early drops the connection or discards the rest).
 */
class BodyBufferPool {
  private readonly spare: Buffer[] = [];

  readonly allocate = (bytes: number): Buffer => {
    const at = this.spare.findIndex((b) => b.length >= bytes);
    if (at >= 0) return this.spare.splice(at, 1)[0] as Buffer;
    // Rounded up, so a slightly larger batch next time still fits.
    return Buffer.allocUnsafeSlow(Math.ceil(bytes / 65536) * 65536);
  };

  release(buffer: Buffer): void {
    // Only the sizes a batch needs (not a 3x buffer for a multi-byte batch).
    if (this.spare.length < 8 && buffer.length <= 64 * 1024 * 1024) this.spare.push(buffer);
  }
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host === "[::1]" || host.startsWith("127.");
}
