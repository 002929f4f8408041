import { pino, type Logger } from "pino";
import { z } from "zod";
import type { RuntimeAlert } from "../model/runtime-alert.js";
import type { Store } from "../store/store-database.js";
import type { RuntimeConfig } from "./runtime-config.js";
import type { WizClient } from "../wiz/index.js";
import { IssueEnricher, wizIssueApi, type IssueApi } from "./enricher/issue-enricher.js";
import { DeliveryRepository } from "./fold/delivery.repository.js";
import { ResolutionCache } from "./resolver/resolution-cache.js";
import { wizResourceDirectory, type ResourceDirectory } from "./resolver/resource-directory.js";
import { RuntimeResolver } from "./resolver/runtime-resolver.js";
import { dataSourceIdOf } from "./uploader/enrichment-document.builder.js";
import { RuntimeUploader, wizUploadApi, type UploadApi, type UploaderEvent } from "./uploader/runtime-uploader.js";

const ms = (fallback: number) => z.number().int().nonnegative().default(fallback);

/** The delivery half of the `runtime` config section (resolution, fold, upload, enrichment). */
export const runtimeDeliveryConfigSchema = z.strictObject({
  /** Environment per source (prod, staging...), the second half of each data source id. */
  environments: z.record(z.string(), z.string().min(1)).default({}),
  /** Data source id per `<source>:<environment>`; default `wizbridge-<source>-<environment>`. */
  dataSourceIds: z.record(z.string(), z.string().min(1)).default({}),
  clusters: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        providerUniqueId: z.string().min(1).optional(),
        matchClusterName: z.string().min(1).optional(),
        matchSource: z.string().min(1).optional(),
        matchNodePrefix: z.string().min(1).optional(),
      }),
    )
    .default([]),
  /** Service name, host or endpoint URL prefix -> Wiz provider id of the resource serving it. */
  services: z.array(z.strictObject({ match: z.string().min(1), providerUniqueId: z.string().min(1) })).default([]),
  /** How long new alerts gather before an upload (micro-batch). */
  batchWindowMs: ms(5_000),
  /** Repeats of one fingerprint this close together fold into one event. */
  foldWindowMs: ms(10 * 60_000),
  /** Events re-sent in every upload for this long after their last repeat. */
  retentionMs: ms(3 * 86_400_000),
  /** Failed upload attempts before an unconfirmed event is dead-lettered. */
  uploadRetryBudget: z.number().int().positive().default(12),
  backoffBaseMs: ms(2_000),
  backoffMaxMs: ms(5 * 60_000),
  pollIntervalMs: ms(3_000),
  pollTimeoutMs: ms(15 * 60_000),
  /** Resolution attempts before an unresolvable alert is dead-lettered. */
  resolveRetryBudget: z.number().int().positive().default(30),
  positiveCacheTtlMs: ms(6 * 3_600_000),
  negativeCacheTtlMs: ms(60_000),
  enrichRetryMs: ms(30_000),
  /** Alerts resolved per step. */
  batchSize: z.number().int().positive().max(10_000).default(2_000),
  /** Idle wait between steps when there is nothing to do. */
  tickMs: ms(250),
  /**
   * Where events without a sensor deep link point (`<base><event id>`). The main job passes its own
   * GET /api/runtime/alerts/ unless the config's runtime.alertLinkBase says otherwise.
   */
  alertLinkBase: z.url().default("http://127.0.0.1:8787/api/runtime/alerts/"),
  integrationId: z.string().min(1).optional(),
});
export type RuntimeDeliveryConfig = z.output<typeof runtimeDeliveryConfigSchema>;
export type RuntimeDeliveryConfigInput = z.input<typeof runtimeDeliveryConfigSchema>;

/** The delivery settings from the config file's `runtime` section (what `wizbridge start` passes). */
export function deliveryConfigFromRuntimeConfig(runtime: RuntimeConfig, overrides: RuntimeDeliveryConfigInput = {}): RuntimeDeliveryConfigInput {
  return {
    environments: Object.fromEntries(Object.entries(runtime.sources).flatMap(([source, settings]) => (settings ? [[source, settings.environment]] : []))),
    dataSourceIds: runtime.dataSourceIds,
    clusters: runtime.clusterIdentities.map((c) => ({
      name: c.cluster.name,
      ...(c.cluster.providerId ? { providerUniqueId: c.cluster.providerId } : {}),
      ...(c.match.clusterName ? { matchClusterName: c.match.clusterName } : {}),
      ...(c.match.source ? { matchSource: c.match.source } : {}),
      ...(c.match.nodeNamePrefix ? { matchNodePrefix: c.match.nodeNamePrefix } : {}),
    })),
    services: runtime.serviceMappings.map((m) => ({ match: m.match, providerUniqueId: m.providerId })),
    batchWindowMs: runtime.batchWindowMs,
    retentionMs: runtime.retentionMs,
    uploadRetryBudget: runtime.retryBudget,
    ...(runtime.alertLinkBase ? { alertLinkBase: runtime.alertLinkBase } : {}),
    ...overrides,
  };
}

export interface RuntimePipelineDeps {
  store: Store;
  /** The Wiz client; or the three narrow APIs (tests wrap the real ones). */
  wiz: WizClient | { directory: ResourceDirectory; uploads: UploadApi; issues: IssueApi };
  config?: RuntimeDeliveryConfigInput;
  now?: () => number;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  logger?: Logger;
  onUploadEvent?: (event: UploaderEvent) => void;
}

export interface RuntimePipeline {
  /** Finishes the current step and stops; state stays in the store for the next start. */
  stop(): Promise<void>;
  /** Runs one step of every stage now (tests, `alerts` commands); true when anything moved. */
  step(): Promise<boolean>;
  readonly resolver: RuntimeResolver;
}

/**
 * The delivery worker: drives intake's alerts from `received` through resolution, folding, upload,
 * confirmation and the issue note. Everything it knows is in the store, so a restart (even after
 * kill -9) picks up exactly where it stopped: unresolved alerts, due uploads, uploads to poll.
 */
export function startRuntimePipeline(deps: RuntimePipelineDeps): RuntimePipeline {
  const config = runtimeDeliveryConfigSchema.parse(deps.config ?? {});
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const logger = deps.logger ?? pino({ level: "silent" });
  const apis = "directory" in deps.wiz ? deps.wiz : { directory: wizResourceDirectory(deps.wiz), uploads: wizUploadApi(deps.wiz), issues: wizIssueApi(deps.wiz) };
  const repository = new DeliveryRepository(deps.store.db);
  const cache = new ResolutionCache({ now, positiveTtlMs: config.positiveCacheTtlMs, negativeTtlMs: config.negativeCacheTtlMs });
  const resolver = new RuntimeResolver(apis.directory, { clusters: config.clusters, services: config.services }, cache);
  let stopped = false;
  let wake: (() => void) | undefined;
  const sleep =
    deps.sleep ??
    ((wait: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(done, wait);
        function done(): void {
          clearTimeout(timer);
          wake = undefined;
          resolve();
        }
        wake = done;
      }));
  const uploader = new RuntimeUploader({
    repository,
    api: apis.uploads,
    now,
    sleep: (wait) => (stopped ? Promise.resolve() : sleep(wait)),
    random,
    options: {
      batchWindowMs: config.batchWindowMs,
      retentionMs: config.retentionMs,
      retryBudget: config.uploadRetryBudget,
      backoffBaseMs: config.backoffBaseMs,
      backoffMaxMs: config.backoffMaxMs,
      pollIntervalMs: config.pollIntervalMs,
      pollTimeoutMs: config.pollTimeoutMs,
      alertLinkBase: config.alertLinkBase,
      ...(config.integrationId ? { integrationId: config.integrationId } : {}),
    },
    onEvent: (event) => {
      logger.info({ upload: event }, `runtime upload ${event.kind}`);
      deps.onUploadEvent?.(event);
    },
  });
  const enricher = new IssueEnricher({ repository, api: apis.issues, now, options: { alertLinkBase: config.alertLinkBase, retryMs: config.enrichRetryMs, batchSize: 200 } });
  const foldOptions = {
    foldWindowMs: config.foldWindowMs,
    resolveBudget: config.resolveRetryBudget,
    resolveRetryMs: config.negativeCacheTtlMs,
    dataSourceIdOf: (alert: RuntimeAlert) => {
      const environment = config.environments[alert.source] ?? "default";
      return config.dataSourceIds[`${alert.source}:${environment}`] ?? dataSourceIdOf(alert.source, environment);
    },
  };

  async function resolveStep(): Promise<boolean> {
    const pending = await repository.alertsToResolve(now(), config.batchSize);
    if (pending.length === 0) return false;
    const resolutions = await resolver.resolveBatch(
      pending.map((p) => p.alert),
      new Map(pending.map((p) => [p.alert.id, p.refused])),
    );
    const batch = pending.flatMap((p) => {
      const resolution = resolutions.get(p.alert.id);
      return resolution ? [{ pending: p, resolution }] : [];
    });
    const stats = await repository.applyResolutions(batch, now(), foldOptions);
    logger.debug({ stats }, "runtime alerts resolved");
    // A full batch means more may be waiting; unresolved ones wait for their retry time instead.
    return pending.length === config.batchSize || stats.folded > 0;
  }

  let recovered = false;
  async function step(): Promise<boolean> {
    if (!recovered) {
      await uploader.recover();
      recovered = true;
    }
    let moved = false;
    for (const stage of [resolveStep, () => uploader.runDue().then((n) => n > 0), () => enricher.runDue().then((n) => n > 0)]) {
      try {
        if (await stage()) moved = true;
      } catch (error) {
        // Wiz or the store failing in one stage must not stop the worker; the work stays in the store.
        logger.warn({ err: error }, "runtime delivery step failed; retrying on the next step");
      }
    }
    return moved;
  }

  const loop = (async () => {
    while (!stopped) {
      const moved = await step();
      if (!moved && !stopped) await sleep(config.tickMs);
    }
  })();

  return {
    resolver,
    step,
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      await uploader.stop();
    },
  };
}
