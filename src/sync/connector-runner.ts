import type { Logger } from "pino";
import { WizAuthError, WizError, WizInputError, WizNetworkError, WizNotFoundError, WizPermissionError, WizRateLimitError, WizResponseError, WizServerError, WizSettingsError } from "../wiz/index.js";
import type { StreamName } from "../model/stream-name.js";
import { ConnectorRepository } from "../store/connector.repository.js";
import { RunRepository, type RunError } from "../store/run.repository.js";
import type { PageWriter } from "../store/page-writer.js";
import type { StoreDb } from "../store/store-database.js";
import type { RunStatus } from "../store/store-schema.js";
import { runStream, type StreamProgress, type StreamRunStatus, type SyncClient } from "./stream-runner.js";
import { STREAM_CATALOGUE } from "./streams/stream-catalogue.js";
import type { ConnectorConfig } from "./sync-config.js";
import { topRiskAssetIds } from "./top-risk-assets.js";
import type { OutputProfile } from "../transform/output-profile.js";
import { outputProfileFromStore } from "./connector-output-profile.js";

export interface ConnectorRuntime {
  config: ConnectorConfig;
  client: SyncClient;
  backpressure: { waitForRoom(signal?: AbortSignal): Promise<void> };
  portalOrigin: string;
  /** Resolved on the first run (user maps live in the store). */
  outputProfile?: OutputProfile;
}

export interface ConnectorRunDeps {
  db: StoreDb;
  pages: PageWriter;
  now: () => number;
  newRunKey: () => string;
  logger: Logger;
  onCommit?: (connectorId: string) => void;
  onProgress?: (connectorId: string, progress: StreamProgress, final?: StreamOutcome) => void;
}

export interface ConnectorRunOptions {
  streams?: readonly StreamName[];
  full?: boolean;
  trigger: string;
  signal?: AbortSignal;
}

export interface StreamOutcome extends StreamProgress {
  status: StreamRunStatus | "failed";
  error?: RunError;
}

export interface ConnectorRunSummary {
  connectorId: string;
  runId: number;
  status: RunStatus;
  streams: StreamOutcome[];
  error?: RunError;
}

/**
 * One run of one connector: its due streams one after another (each stream's slices in parallel), with
 * the connector's state (Processing -> Processed or Failed) and a run-history row per run and stream.
 */
export async function runConnector(deps: ConnectorRunDeps, runtime: ConnectorRuntime, options: ConnectorRunOptions): Promise<ConnectorRunSummary> {
  const { config } = runtime;
  const connectors = new ConnectorRepository(deps.db);
  const runs = new RunRepository(deps.db);
  const logger = deps.logger.child({ connector: config.id });
  await connectors.setState(config.id, "processing", { detail: `run started (${options.trigger})` }, deps.now());
  const runId = await runs.start(config.id, options.trigger, deps.now());
  const outcomes: StreamOutcome[] = [];
  let runError: RunError | undefined;
  const selected = config.streams.filter((s) => !options.streams || options.streams.includes(s.name));

  let sampleIds: string[] | undefined;
  try {
    if (!runtime.outputProfile && config.output) runtime.outputProfile = await outputProfileFromStore(config.output, deps.db);
    if (config.sampling) {
      sampleIds = await topRiskAssetIds(runtime.client, config.sampling.assets, options.signal);
      logger.info({ assets: sampleIds.length }, "sampling mode: syncing the top assets by risk and their findings only");
    }
  } catch (error) {
    runError = runErrorOf(error);
  }

  const outcomeAt: Array<StreamOutcome | undefined> = [];
  const runOne = async (stream: (typeof selected)[number], index: number): Promise<void> => {
    if (options.signal?.aborted) return;
    await runs.startStream(runId, stream.name, deps.now());
    let outcome: StreamOutcome;
    try {
      const result = await runStream(
        {
          connectorId: config.id,
          definition: STREAM_CATALOGUE[stream.name],
          client: runtime.client,
          db: deps.db,
          pages: deps.pages,
          now: deps.now,
          newRunKey: deps.newRunKey,
          portalOrigin: runtime.portalOrigin,
          ...(runtime.outputProfile ? { outputProfile: runtime.outputProfile } : {}),
          backpressure: runtime.backpressure,
          logger,
          signal: options.signal,
          onPage: (progress) => deps.onProgress?.(config.id, progress),
          onCommit: () => deps.onCommit?.(config.id),
        },
        {
          pageSize: stream.pageSize,
          filter: stream.filter,
          mode: stream.mode,
          overlapUs: (stream.overlapSeconds ?? config.overlapSeconds) * 1_000_000,
          ...(stream.lagSeconds ? { lagUs: stream.lagSeconds * 1_000_000 } : {}),
          concurrency: config.concurrency,
          ...(stream.backfillDays !== undefined ? { backfillDays: stream.backfillDays } : {}),
          ...(stream.budget ? { budget: stream.budget } : {}),
          ...(sampleIds ? { sampleAssetIds: sampleIds } : {}),
          ...(options.full ? { full: true } : {}),
        },
      );
      outcome = { ...result };
    } catch (error) {
      const failure = runErrorOf(error);
      logger.error({ stream: stream.name, code: failure.code, fix: failure.fix }, `wiz: ${stream.name} failed: ${failure.message}`);
      outcome = { stream: stream.name, elapsedMs: 0, pages: 0, records: 0, emitted: 0, requests: 0, status: "failed", error: failure };
      runError ??= failure;
    }
    outcomeAt[index] = outcome;
    deps.onProgress?.(config.id, outcome, outcome);
    const status: RunStatus = outcome.status === "completed" ? "succeeded" : outcome.status === "failed" ? "failed" : "partial";
    await runs.finishStream(runId, stream.name, status, { pages: outcome.pages, records: outcome.records, emitted: outcome.emitted, requests: outcome.requests }, outcome.error, deps.now());
  };
  // Due streams run side by side (a long findings export does not hold up issues), all under the tenant's one rate limiter.
  const queue = (runError ? [] : selected).map((stream, index) => ({ stream, index }));
  const streamWorker = async (): Promise<void> => {
    for (let next = queue.shift(); next; next = queue.shift()) await runOne(next.stream, next.index);
  };
  await Promise.all(Array.from({ length: Math.min(config.streamConcurrency, queue.length) }, streamWorker));
  for (const outcome of outcomeAt) if (outcome) outcomes.push(outcome);

  const status: RunStatus = runError ? "failed" : outcomes.length < selected.length || outcomes.some((o) => o.status !== "completed") ? "partial" : "succeeded";
  await runs.finish(runId, status, runError, deps.now());
  if (runError) {
    await connectors.setState(config.id, "failed", { detail: runError.message, errorCode: runError.code, errorFix: runError.fix ?? null }, deps.now());
  } else {
    await connectors.setState(config.id, "processed", { detail: `run ${runId} ${status}` }, deps.now());
  }
  return { connectorId: config.id, runId, status, streams: outcomes, ...(runError ? { error: runError } : {}) };
}

/** What the run history and the connector state keep of a failure: the typed error's code, what happened and the fix. */
export function runErrorOf(error: unknown): RunError {
  if (error instanceof WizError) return { code: error.code, message: error.what, fix: error.fix, kind: failureKindOf(error) };
  if (error instanceof Error) return { code: error.name, message: error.message };
  return { code: "UNKNOWN", message: String(error) };
}

function failureKindOf(error: WizError): NonNullable<RunError["kind"]> {
  if (error instanceof WizAuthError) return "auth";
  if (error instanceof WizPermissionError) return "permission";
  if (error instanceof WizRateLimitError) return "rateLimit";
  // DNS, refused connections, TLS, timeouts, 5xx and a proxy answering instead of Wiz: the path to Wiz is broken.
  if (error instanceof WizNetworkError || error instanceof WizServerError || error instanceof WizResponseError) return "network";
  if (error instanceof WizNotFoundError) return "notFound";
  if (error instanceof WizInputError || error instanceof WizSettingsError) return "input";
  return "other";
}
