import { createHash } from "node:crypto";
import { toWizTimestamp, type SimClock } from "../clock.js";
import { ISSUE_STATUSES, type Tenant, type WizRecord } from "../tenant/types.js";
import { DataSourceStore, type Actor, type DataSourceStoreState, type DataSourceSummary, type IncomingContent } from "./data-source-store.js";
import {
  FINDING_CATEGORIES,
  parseEnrichmentDocument,
  toWizSeverity,
  type EnrichmentAsset,
  type EnrichmentDocument,
  type EnrichmentEvent,
} from "./enrichment-document.js";
import { presignUploadUrl, s3ErrorXml, verifyPresignedQuery } from "./presigned-url.js";

/**
 * The enrichment upload flow (REFERENCE §5): `requestSecurityScanUpload` hands out a presigned PUT
 * URL and a systemActivity id; the client PUTs a V1 ingestion document; after a processing delay
 * in simulator time the document is ingested (events become THREAT_DETECTION issues) and
 * `systemActivity` reports the counts.
 */

export interface UploadOptions {
  /** Lifetime of the presigned URL in simulator seconds. Wiz's example URL carries X-Amz-Expires=86400. */
  urlTtlSeconds?: number;
  /** Simulator time between the (last) PUT and the end of processing. Default 30 s. */
  processingDelayMs?: number;
  /** A data source's newest upload replaces what it sent before (absent items are resolved). Default true. */
  replaceOnNewUpload?: boolean;
  /** Items of a data source not re-sent for this many simulated days are resolved; null disables. Default 7. */
  staleAfterDays?: number | null;
  /**
   * Whether `systemActivity(id)` answers before the PUT arrives (IN_PROGRESS, result null). Default
   * false: early polls get NOT_FOUND, as the upload script's retry loop and the Appmixer mock expect.
   */
  activityVisibleBeforePut?: boolean;
  /**
   * Status of a valid upload in which some assets did not resolve (handled < incoming). Default
   * SKIPPED: the only public example of a finished upload shows SKIPPED with findings 3 incoming / 2
   * handled, and Endor Labs documents unresolved assets as "accepted but SKIPPED".
   */
  partialStatus?: "SKIPPED" | "SUCCESS";
  /** S3 rejects single PUTs over 5 GB; the simulator keeps bodies in memory, so it stops earlier. Default 100 MiB. */
  maxUploadBytes?: number;
  /** Finished uploads kept for systemActivity and the admin listing before the oldest are forgotten. Default 10000. */
  maxRetainedUploads?: number;
}

export interface UploadSlot {
  id: string;
  url: string;
  systemActivityId: string;
}

export interface PutResult {
  status: number;
  body: string;
  contentType: string;
  /** S3's ETag header value (quoted MD5 of the body) on success. */
  etag?: string;
}

export type UploadStatus = "AWAITING_UPLOAD" | "IN_PROGRESS" | "SUCCESS" | "FAILURE" | "SKIPPED";

export interface IngestionStats {
  dataSources: { incoming: number; handled: number };
  findings: { incoming: number; handled: number };
  events: { incoming: number; handled: number };
  tags: { incoming: number; handled: number };
  unresolvedAssets: { count: number; ids: string[] };
}

/** One row of the admin listing; timestamps are Wiz-style strings or null. */
export interface UploadSummary {
  id: string;
  systemActivityId: string;
  filename: string;
  requestedBy: string;
  status: UploadStatus;
  statusInfo: string | null;
  bytes: number;
  contentType: string | null;
  puts: number;
  /** PUTs that arrived after processing had started: S3 accepts them, ingestion ignores them. */
  ignoredPuts: number;
  requestedAt: string;
  urlExpiresAt: string;
  lastPutAt: string | null;
  processingDueAt: string | null;
  endedAt: string | null;
  result: IngestionStats | null;
}

export interface UploadService {
  /** Throws UploadInputError for a bad filename. */
  requestUpload(filename: string, by: Actor): UploadSlot;
  /** Handles `PUT /upload/<id>?<presigned query>` the way S3 would. Never throws. */
  acceptPut(uploadId: string, query: URLSearchParams, body: Buffer, contentType?: string): PutResult;
  /** The SystemActivity node, or undefined (→ "Resource not found", NOT_FOUND) for an unknown id. */
  systemActivity(id: string): WizRecord | undefined;
  /** Runs every processing step and staleness expiry due at or before `now`, in time order. */
  process(now: number): void;
  uploads(): UploadSummary[];
  uploadsInFlight(): UploadSummary[];
  dataSources(): DataSourceSummary[];
  /** Uploads (bodies still to process included), their activities and the data sources' content, as JSON-safe data. */
  snapshot(): UploadServiceState;
  /** Replaces the uploads and data sources with a snapshot (a simulator resuming its saved state). */
  restore(state: UploadServiceState): void;
  /** Stops listening to the clock. */
  close(): void;
}

/** One upload as saved: times in epoch ms (null for none), a body still to process as base64. */
export interface SavedUpload {
  id: string;
  systemActivityId: string;
  filename: string;
  by: Actor;
  requestedAt: number;
  urlExpiresAt: number;
  body: string | null;
  bytes: number;
  contentType: string | null;
  puts: number;
  ignoredPuts: number;
  lastPutAt: number | null;
  status: UploadStatus;
  statusInfo: string | null;
  endedAt: number | null;
  result: IngestionStats | null;
}

export interface UploadServiceState {
  /** Presigned URLs handed out before the save stay valid after it. */
  signingKey: string;
  nextUploadId: number;
  uploads: SavedUpload[];
  dataSources: DataSourceStoreState;
}

/** A client error in `requestSecurityScanUpload` input; the GraphQL layer reports it as BAD_USER_INPUT. */
export class UploadInputError extends Error {
  readonly code = "BAD_USER_INPUT";
  constructor(message: string) {
    super(message);
    this.name = "UploadInputError";
  }
}

export interface UploadServiceDeps {
  tenant: Tenant;
  clock: SimClock;
  publicBaseUrl: () => string;
  random: () => number;
  options?: UploadOptions;
  /** Told about every issue ingestion creates, updates or resolves, e.g. to send webhooks. */
  onIssueChanged?: (index: number, kind: "issue.created" | "issue.updated" | "issue.resolved") => void;
}

/** Origin recorded on issues raised from uploaded events (Wiz's DetectionOrigin for custom integrations). */
export const UPLOADED_EVENT_ORIGIN = "WIZ_CUSTOM_INTEGRATION";

const DAY_MS = 86_400_000;

interface UploadState {
  id: string;
  systemActivityId: string;
  filename: string;
  by: Actor;
  requestedAt: number;
  urlExpiresAt: number;
  body: Buffer | undefined;
  bytes: number;
  contentType: string | null;
  puts: number;
  ignoredPuts: number;
  lastPutAt: number; // NaN before the first PUT
  status: UploadStatus;
  statusInfo: string | null;
  endedAt: number; // NaN until finished
  result: IngestionStats | null;
}

export function createUploadService(deps: UploadServiceDeps): UploadService {
  const { tenant, clock, random } = deps;
  const opts = deps.options ?? {};
  const urlTtlSeconds = opts.urlTtlSeconds ?? 86_400;
  const processingDelayMs = opts.processingDelayMs ?? 30_000;
  const replaceOnNewUpload = opts.replaceOnNewUpload ?? true;
  const staleAfterDays = opts.staleAfterDays === undefined ? 7 : opts.staleAfterDays;
  const staleMs = staleAfterDays === null ? null : staleAfterDays * DAY_MS;
  const activityVisibleBeforePut = opts.activityVisibleBeforePut ?? false;
  const partialStatus = opts.partialStatus ?? "SKIPPED";
  const maxUploadBytes = opts.maxUploadBytes ?? 100 * 1024 * 1024;
  const maxRetainedUploads = opts.maxRetainedUploads ?? 10_000;

  const randomBytes = (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256) & 0xff));
  let signingKey = randomBytes(32);
  // Wiz upload ids are short numeric strings ("17768"); start somewhere plausible and count up.
  let nextUploadId = 10_000 + Math.floor(random() * 80_000);

  const uploads = new Map<string, UploadState>();
  const byActivity = new Map<string, string>();
  const pending = new Set<string>();
  const store = new DataSourceStore({
    isIssueOpen(index) {
      const status = ISSUE_STATUSES[tenant.issues.cols.status[index] ?? 0];
      return status === "OPEN" || status === "IN_PROGRESS";
    },
    resolveIssue(index, by, at) {
      tenant.updateIssue(index, { status: "RESOLVED", resolutionReason: "OBJECT_DELETED" }, false, by, at);
      deps.onIssueChanged?.(index, "issue.resolved");
    },
  });

  function uuid(): string {
    const b = randomBytes(16);
    b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
    b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
    const h = b.toString("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  // Error request ids come from a counter, not `random`, so failed PUTs do not shift the seeded sequence.
  let errorCount = 0;
  function requestId(): string {
    return createHash("sha256").update(signingKey).update(String(errorCount++)).digest("hex").slice(0, 16).toUpperCase();
  }

  function evictIfFull(): void {
    if (uploads.size <= maxRetainedUploads) return;
    const now = clock.now();
    for (const [id, u] of uploads) {
      if (uploads.size <= maxRetainedUploads) break;
      const finished = !Number.isNaN(u.endedAt);
      const abandoned = u.puts === 0 && now > u.urlExpiresAt;
      if (!finished && !abandoned) continue;
      uploads.delete(id);
      byActivity.delete(u.systemActivityId);
    }
  }

  function requestUpload(filename: string, by: Actor): UploadSlot {
    if (typeof filename !== "string" || filename.trim() === "") throw new UploadInputError("filename must be a non-empty string ending in .json");
    if (!filename.toLowerCase().endsWith(".json")) throw new UploadInputError(`filename "${filename}" is not supported: upload files must be .json`);
    if (/[/\\]/.test(filename)) throw new UploadInputError(`filename "${filename}" must not contain path separators`);
    const now = clock.now();
    const id = String(nextUploadId++);
    // A restored simulator draws from the same seeded sequence again: skip ids its saved uploads already hold.
    let systemActivityId = uuid();
    while (byActivity.has(systemActivityId)) systemActivityId = uuid();
    const state: UploadState = {
      id,
      systemActivityId,
      filename,
      by: { id: by.id, name: by.name },
      requestedAt: now,
      urlExpiresAt: now + urlTtlSeconds * 1000,
      body: undefined,
      bytes: 0,
      contentType: null,
      puts: 0,
      ignoredPuts: 0,
      lastPutAt: Number.NaN,
      status: "AWAITING_UPLOAD",
      statusInfo: null,
      endedAt: Number.NaN,
      result: null,
    };
    uploads.set(id, state);
    byActivity.set(systemActivityId, id);
    evictIfFull();
    const url = presignUploadUrl({ baseUrl: deps.publicBaseUrl(), uploadId: id, signedAt: now, expiresSeconds: urlTtlSeconds, key: signingKey });
    return { id, url, systemActivityId };
  }

  function acceptPut(uploadId: string, query: URLSearchParams, body: Buffer, contentType?: string): PutResult {
    const now = clock.now();
    const xml = (status: number, code: string, message: string, extra?: Record<string, string>): PutResult => ({
      status,
      body: s3ErrorXml(code, message, requestId(), extra),
      contentType: "application/xml",
    });
    const upload = uploads.get(uploadId);
    const check = verifyPresignedQuery(uploadId, query, signingKey, now);
    if (!check.ok && check.reason === "missing-parameters") {
      return xml(403, "AccessDenied", "Query-string authentication requires the X-Amz-Date, X-Amz-Expires and X-Amz-Signature parameters");
    }
    // An id the simulator never issued cannot carry a valid signature either; S3 answers the same way.
    if (!upload || (!check.ok && check.reason === "bad-signature")) {
      return xml(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method.");
    }
    if (!check.ok) {
      const expiresAt = check.reason === "expired" ? check.expiredAt : Number.NaN;
      return xml(403, "AccessDenied", "Request has expired", {
        "X-Amz-Expires": query.get("X-Amz-Expires") ?? "",
        Expires: Number.isFinite(expiresAt) ? new Date(expiresAt).toISOString() : "",
        ServerTime: new Date(now).toISOString(),
      });
    }
    if (body.length > maxUploadBytes) {
      return xml(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size", {
        ProposedSize: String(body.length),
        MaxSizeAllowed: String(maxUploadBytes),
      });
    }
    const etag = `"${createHash("md5").update(body).digest("hex")}"`;
    upload.puts++;
    if (upload.status === "AWAITING_UPLOAD" || upload.status === "IN_PROGRESS") {
      // S3 keeps the last object written; processing starts `processingDelayMs` after it lands.
      upload.body = Buffer.from(body);
      upload.bytes = body.length;
      upload.contentType = contentType ?? null;
      upload.lastPutAt = now;
      upload.status = "IN_PROGRESS";
      pending.add(upload.id);
    } else {
      // The object is overwritten in S3 but the ingestion already ran; Wiz does not re-run it.
      upload.ignoredPuts++;
    }
    return { status: 200, body: "", contentType: "text/plain", etag };
  }

  function dueAt(u: UploadState): number {
    return u.lastPutAt + processingDelayMs;
  }

  function process(now: number): void {
    for (;;) {
      let next: UploadState | undefined;
      for (const id of pending) {
        const u = uploads.get(id);
        if (!u) continue;
        if (!next || dueAt(u) < dueAt(next) || (dueAt(u) === dueAt(next) && Number(u.id) < Number(next.id))) next = u;
      }
      const uploadDue = next ? dueAt(next) : Number.POSITIVE_INFINITY;
      const staleDue = staleMs === null ? Number.POSITIVE_INFINITY : store.nextStaleAt(staleMs);
      if (uploadDue > now && staleDue > now) return;
      if (next && uploadDue <= staleDue) {
        pending.delete(next.id);
        ingest(next, uploadDue);
      } else if (staleMs !== null) {
        store.sweep(staleDue, staleMs);
      }
    }
  }

  function ingest(upload: UploadState, at: number): void {
    const body = upload.body ?? Buffer.alloc(0);
    upload.body = undefined; // only the compact per-data-source content outlives processing
    upload.endedAt = at;
    const parsed = parseEnrichmentDocument(body);
    if (!parsed.ok) {
      upload.status = "FAILURE";
      upload.statusInfo = parsed.statusInfo;
      return;
    }
    try {
      const stats = ingestDocument(parsed.document, upload, at);
      upload.result = stats;
      const partial = [stats.dataSources, stats.findings, stats.events, stats.tags].some((s) => s.handled < s.incoming);
      upload.status = partial ? partialStatus : "SUCCESS";
      upload.statusInfo = null;
    } catch (error) {
      // A tenant fault must not break the clock's listener chain; it shows up on the activity instead.
      upload.status = "FAILURE";
      upload.statusInfo = `Internal error during ingestion: ${error instanceof Error ? error.message : String(error)}`;
      upload.result = null;
    }
  }

  function resolveAsset(asset: EnrichmentAsset): number | undefined {
    const providerId = asset.assetIdentifier.providerId;
    // Only provider ids resolve: the simulated tenant has no network-address or endpoint inventory.
    if (providerId === undefined) return undefined;
    const index = tenant.resourceByProviderId(providerId);
    if (index === undefined) return undefined;
    // A deleted resource is no longer in the graph, so Wiz has nothing to attach the finding to.
    if (!Number.isNaN(tenant.cloudResources.cols.deletedAt[index] ?? Number.NaN)) return undefined;
    return index;
  }

  function ingestDocument(doc: EnrichmentDocument, upload: UploadState, at: number): IngestionStats {
    const stats: IngestionStats = {
      dataSources: { incoming: doc.dataSources.length, handled: 0 },
      findings: { incoming: 0, handled: 0 },
      events: { incoming: 0, handled: 0 },
      tags: { incoming: 0, handled: 0 },
      unresolvedAssets: { count: 0, ids: [] },
    };
    const unresolved = new Set<string>();
    // One document may list the same data source twice; its blocks are merged before applying.
    const blocks = new Map<string, IncomingContent>();
    for (const source of doc.dataSources) {
      const key = `${doc.integrationId}/${source.id}`;
      let content = blocks.get(key);
      if (!content) {
        content = { findings: new Set(), tags: new Set(), events: new Map() };
        blocks.set(key, content);
      }
      for (const asset of source.assets) {
        const findingCount = FINDING_CATEGORIES.reduce((n, c) => n + (asset[c]?.length ?? 0), 0);
        const events = asset.events ?? [];
        const tags = asset.customTags ?? [];
        stats.findings.incoming += findingCount;
        stats.events.incoming += events.length;
        stats.tags.incoming += tags.length;
        const resourceIndex = resolveAsset(asset);
        if (resourceIndex === undefined) {
          const ident = asset.assetIdentifier;
          unresolved.add(ident.providerId ?? ident.networkAddress ?? ident.endpointUrl ?? "");
          continue;
        }
        stats.findings.handled += findingCount;
        stats.events.handled += events.length;
        stats.tags.handled += tags.length;
        for (const category of FINDING_CATEGORIES) {
          for (const finding of asset[category] ?? []) content.findings.add(`${category}|${resourceIndex}|${finding.id ?? finding.name}`);
        }
        for (const tag of tags) content.tags.add(`${resourceIndex}|${tag.key}=${tag.value}`);
        for (const event of events) {
          content.events.set(`${resourceIndex}|${event.id}`, () => raiseEvent(event, resourceIndex, doc.integrationId, source.id, upload.id, at));
        }
      }
      stats.dataSources.handled++;
    }
    for (const [key, content] of blocks) store.apply(key, content, replaceOnNewUpload, upload.by, upload.id, at);
    stats.unresolvedAssets = { count: unresolved.size, ids: [...unresolved] };
    return stats;
  }

  function raiseEvent(event: EnrichmentEvent, resourceIndex: number, integrationId: string, dataSourceId: string, uploadId: string, at: number): number {
    const details: WizRecord = {
      eventId: event.id,
      integrationId,
      dataSourceId,
      uploadId,
      timestamp: event.timestamp,
      externalFindingLink: event.externalFindingLink,
      mitreTacticIds: event.mitreTacticIds,
      mitreTechniqueIds: event.mitreTechniqueIds,
      mitreTacticNames: event.mitreTacticNames ?? [],
      mitreTechniqueNames: event.mitreTechniqueNames ?? [],
      principal: event.principal ?? null,
      ipAddress: event.ipAddress ?? null,
      commandLine: event.commandLine ?? null,
      path: event.path ?? null,
      hash: event.hash ?? null,
    };
    const sizeBefore = tenant.issues.size();
    const index = tenant.raiseThreatIssue(
      {
        resourceIndex,
        severity: toWizSeverity(event.severity) ?? "MEDIUM",
        name: event.name,
        description: event.description,
        origin: UPLOADED_EVENT_ORIGIN,
        details,
      },
      at,
    );
    deps.onIssueChanged?.(index, index >= sizeBefore ? "issue.created" : "issue.updated");
    return index;
  }

  const ts = (ms: number): string | null => (Number.isNaN(ms) ? null : toWizTimestamp(ms));

  function systemActivity(id: string): WizRecord | undefined {
    // Catch up first, so a poll never sees IN_PROGRESS for work whose time has already come.
    process(clock.now());
    const uploadId = byActivity.get(id);
    const u = uploadId === undefined ? undefined : uploads.get(uploadId);
    if (!u) return undefined;
    if (u.status === "AWAITING_UPLOAD" && !activityVisibleBeforePut) return undefined;
    const finished = u.status === "SUCCESS" || u.status === "SKIPPED" || u.status === "FAILURE";
    return {
      id: u.systemActivityId,
      status: u.status === "AWAITING_UPLOAD" ? "IN_PROGRESS" : u.status,
      statusInfo: u.statusInfo,
      createdAt: toWizTimestamp(u.requestedAt),
      startedAt: ts(u.lastPutAt),
      endedAt: finished ? ts(u.endedAt) : null,
      result:
        finished && u.result
          ? {
              __typename: "SystemActivityEnrichmentIntegrationResult",
              dataSources: { ...u.result.dataSources },
              findings: { ...u.result.findings },
              events: { ...u.result.events },
              tags: { ...u.result.tags },
              unresolvedAssets: { count: u.result.unresolvedAssets.count, ids: [...u.result.unresolvedAssets.ids] },
            }
          : null,
      context: { __typename: "SystemActivityEnrichmentIntegrationContext", fileUploadId: u.id },
    };
  }

  function summary(u: UploadState): UploadSummary {
    return {
      id: u.id,
      systemActivityId: u.systemActivityId,
      filename: u.filename,
      requestedBy: u.by.name,
      status: u.status,
      statusInfo: u.statusInfo,
      bytes: u.bytes,
      contentType: u.contentType,
      puts: u.puts,
      ignoredPuts: u.ignoredPuts,
      requestedAt: toWizTimestamp(u.requestedAt),
      urlExpiresAt: toWizTimestamp(u.urlExpiresAt),
      lastPutAt: ts(u.lastPutAt),
      processingDueAt: u.status === "IN_PROGRESS" ? ts(dueAt(u)) : null,
      endedAt: ts(u.endedAt),
      result: u.result,
    };
  }

  const unsubscribe = clock.onAdvance((now) => process(now));
  const orNull = (ms: number): number | null => (Number.isNaN(ms) ? null : ms);
  const orNaN = (ms: number | null): number => (ms === null ? Number.NaN : ms);

  function snapshot(): UploadServiceState {
    return {
      signingKey: signingKey.toString("base64"),
      nextUploadId,
      uploads: [...uploads.values()].map((u) => ({
        ...u,
        by: { ...u.by },
        body: u.body ? u.body.toString("base64") : null,
        lastPutAt: orNull(u.lastPutAt),
        endedAt: orNull(u.endedAt),
        result: u.result ? structuredClone(u.result) : null,
      })),
      dataSources: store.snapshot(),
    };
  }

  function restore(state: UploadServiceState): void {
    signingKey = Buffer.from(state.signingKey, "base64");
    nextUploadId = state.nextUploadId;
    uploads.clear();
    byActivity.clear();
    pending.clear();
    for (const saved of state.uploads) {
      const u: UploadState = { ...saved, by: { ...saved.by }, body: saved.body === null ? undefined : Buffer.from(saved.body, "base64"), lastPutAt: orNaN(saved.lastPutAt), endedAt: orNaN(saved.endedAt), result: saved.result ? structuredClone(saved.result) : null };
      uploads.set(u.id, u);
      byActivity.set(u.systemActivityId, u.id);
      if (u.status === "IN_PROGRESS" && u.body !== undefined) pending.add(u.id);
    }
    store.restore(state.dataSources);
  }

  return {
    requestUpload,
    acceptPut,
    systemActivity,
    process,
    uploads: () => {
      process(clock.now());
      return [...uploads.values()].map(summary);
    },
    uploadsInFlight: () => {
      process(clock.now());
      const now = clock.now();
      // A slot whose URL expired unused can never receive its file, so it is no longer in flight.
      const inFlight = (u: UploadState): boolean => u.status === "IN_PROGRESS" || (u.status === "AWAITING_UPLOAD" && now <= u.urlExpiresAt);
      return [...uploads.values()].filter(inFlight).map(summary);
    },
    dataSources: () => store.summaries(staleMs),
    snapshot,
    restore,
    close: () => {
      unsubscribe();
    },
  };
}
