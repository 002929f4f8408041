import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { abortableSleep, type Sleep } from "../wiz/index.js";
import { portalOriginOf } from "../model/portal-links.js";
import type { StreamName } from "../model/stream-name.js";
import { createSink } from "../sinks/sink-registry.js";
import type { Sink } from "../sinks/sink.js";
import { ConnectorRepository } from "../store/connector.repository.js";
import { EventKeyRepository } from "../store/event-key.repository.js";
import { RunRepository } from "../store/run.repository.js";
import { SnapshotMemberRepository } from "../store/snapshot-member.repository.js";
import { StreamStateRepository } from "../store/stream-state.repository.js";
import type { Store } from "../store/store-database.js";
import { runConnector, type ConnectorRunDeps, type ConnectorRunSummary, type ConnectorRuntime } from "./connector-runner.js";
import { OutboxBackpressure } from "./outbox-backpressure.js";
import { OutboxDispatcher, type SinkDeliveryStatus } from "./outbox-dispatcher.js";
import { SINK_DELIVERY_DEFAULTS } from "../sinks/sink-settings.js";
import type { SyncClient } from "./stream-runner.js";
import { nextRunAt } from "./stream-schedule.js";
import type { ConnectorConfig, SyncConfig } from "./sync-config.js";
import { TenantClients } from "./tenant-clients.js";

export interface SyncClients {
  clientFor(connector: ConnectorConfig): SyncClient;
  close(): Promise<void>;
}

export interface SyncEngineOptions {
  config: SyncConfig;
  store: Store;
  logger: Logger;
  /** Sinks by id; default: built from the config's sinks map. */
  sinks?: ReadonlyMap<string, Sink>;
  /** Epoch ms. */
  now?: () => number;
  sleep?: Sleep;
  random?: () => number;
  newRunKey?: () => string;
  clients?: SyncClients;
  onProgress?: ConnectorRunDeps["onProgress"];
  /** How long an idle dispatcher waits before looking at the outbox again. Default 1 s. */
  idlePollMs?: number;
  /** How often a connector paused by backpressure looks again. Default 500 ms. */
  backpressurePollMs?: number;
}

export interface RunOnceOptions {
  connectors?: readonly string[];
  streams?: readonly StreamName[];
  full?: boolean;
  signal?: AbortSignal;
}

/**
 * The pull engine: connectors (many, several per tenant) -> stream runs -> outbox -> one dispatcher per
 * connector x sink. `runOnce` is `wizbridge sync`; `runScheduled` is `wizbridge start`.
 */
export class SyncEngine {
  private readonly now: () => number;
  private readonly sleep: Sleep;
  private readonly sinks: ReadonlyMap<string, Sink>;
  private readonly clients: SyncClients;
  private readonly dispatchers = new Map<string, OutboxDispatcher[]>();
  private readonly runtimes = new Map<string, ConnectorRuntime>();
  private readonly delivery = new AbortController();
  /** "Sync now" requests waiting for their connector's scheduler. */
  private readonly manualRuns = new Map<string, { streams: Set<StreamName>; full: boolean }>();
  /** Wakes a connector's scheduler from its sleep until the next scheduled run. */
  private readonly wakeSchedulers = new Map<string, AbortController>();
  private deliveryLoops: Array<Promise<void>> = [];
  private prepared = false;

  constructor(private readonly options: SyncEngineOptions) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? abortableSleep;
    this.sinks = options.sinks ?? new Map(Object.entries(options.config.sinks).map(([id, spec]) => [id, createSink(id, spec, { logger: options.logger, baseDir: process.cwd(), now: options.now ?? Date.now })]));
    this.clients = options.clients ?? new TenantClients(options.logger);
    const { config, store, logger } = options;
    for (const connector of config.connectors) {
      const sinkIds = connector.sinks;
      this.dispatchers.set(
        connector.id,
        sinkIds.map((sinkId) => {
          const sink = this.sinks.get(sinkId);
          if (!sink) throw new Error(`connector ${connector.id} feeds the sink "${sinkId}", which is not configured.`);
          const settings = config.sinks[sinkId];
          return new OutboxDispatcher({
            db: store.db,
            connectorId: connector.id,
            sink,
            connectorSinkIds: sinkIds,
            batchSize: settings?.batch?.maxEvents ?? config.delivery.batchSize,
            maxBatchBytes: settings?.batch?.maxBytes ?? SINK_DELIVERY_DEFAULTS.maxBytes,
            maxWaitMs: settings?.batch?.maxWaitMs ?? SINK_DELIVERY_DEFAULTS.maxWaitMs,
            maxInFlight: settings?.maxInFlight ?? SINK_DELIVERY_DEFAULTS.maxInFlight,
            retry: { initialMs: settings?.retry?.initialMs ?? config.delivery.retryInitialMs, maxMs: settings?.retry?.maxMs ?? config.delivery.retryMaxMs },
            circuitBreaker: {
              failureThreshold: settings?.circuitBreaker?.failureThreshold ?? SINK_DELIVERY_DEFAULTS.failureThreshold,
              cooldownMs: settings?.circuitBreaker?.cooldownMs ?? SINK_DELIVERY_DEFAULTS.cooldownMs,
            },
            idlePollMs: options.idlePollMs ?? 1000,
            now: this.now,
            sleep: this.sleep,
            random: options.random ?? Math.random,
            logger,
          });
        }),
      );
    }
  }

  get config(): SyncConfig {
    return this.options.config;
  }

  /** Registers the config's connectors and closes the run history a crashed process left open. */
  async prepare(): Promise<void> {
    if (this.prepared) return;
    this.prepared = true;
    const connectors = new ConnectorRepository(this.options.store.db);
    const abandoned = await new RunRepository(this.options.store.db).abandonRunning(this.now());
    if (abandoned > 0) this.options.logger.warn({ runs: abandoned }, "runs left open by a stopped process are marked abandoned; their streams resume from their checkpoints");
    for (const connector of this.options.config.connectors) {
      await connectors.register(connector.id, connector.connection.endpoint, connector.enabled, this.now());
    }
  }

  /** Starts the dispatchers (once). */
  startDelivery(): void {
    if (this.deliveryLoops.length > 0) return;
    for (const list of this.dispatchers.values()) for (const d of list) this.deliveryLoops.push(d.run(this.delivery.signal));
  }

  /** Runs the selected connectors' streams once (connectors in parallel) and returns their summaries. */
  async runOnce(options: RunOnceOptions = {}): Promise<ConnectorRunSummary[]> {
    await this.prepare();
    this.startDelivery();
    const selected = this.options.config.connectors.filter((c) => c.enabled && (!options.connectors || options.connectors.includes(c.id)));
    return Promise.all(
      selected.map((connector) =>
        runConnector(this.runDeps(), this.runtimeOf(connector), {
          trigger: options.full ? "manual-full" : "manual",
          ...(options.streams ? { streams: options.streams } : {}),
          ...(options.full ? { full: true } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
        }),
      ),
    );
  }

  /** Each enabled connector on its streams' schedules until the signal aborts (the main job). */
  async runScheduled(signal: AbortSignal): Promise<void> {
    await this.prepare();
    this.startDelivery();
    await Promise.all(this.options.config.connectors.filter((c) => c.enabled).map((c) => this.scheduleConnector(c, signal)));
  }

  /** Waits until every sink has every event, or the timeout; returns how many deliveries are still pending. */
  async drain(timeoutMs: number, signal?: AbortSignal): Promise<number> {
    this.startDelivery();
    const deadline = this.now() + timeoutMs;
    for (;;) {
      let pending = 0;
      for (const list of this.dispatchers.values()) {
        for (const d of list) {
          d.notify();
          pending += await d.pending();
        }
      }
      if (pending === 0 || this.now() >= deadline || signal?.aborted) return pending;
      await this.sleep(50, signal).catch(() => undefined);
    }
  }

  /** The SDK client of a connector's tenant (shared rate limiter and token cache), for the push path. */
  clientFor(connectorId: string): SyncClient {
    const connector = this.options.config.connectors.find((c) => c.id === connectorId);
    if (!connector) throw new Error(`no connector named ${connectorId}.`);
    return this.clients.clientFor(connector);
  }

  /** Events were committed to a connector's outbox outside a run (a webhook): wake its dispatchers. */
  notifyCommitted(connectorId: string): void {
    for (const d of this.dispatchers.get(connectorId) ?? []) d.notify();
  }

  /** Undelivered events per connector x sink, and whether the sink is failing. */
  async deliveryStatus(): Promise<Array<SinkDeliveryStatus & { connectorId: string; pending: number; down: boolean }>> {
    const out = [];
    for (const [connectorId, list] of this.dispatchers) {
      for (const d of list) out.push({ connectorId, pending: await d.pending(), down: d.down, ...d.status() });
    }
    return out;
  }

  /** Requests a full resync of a connector's streams (all, or the named ones) without touching the others. */
  async requestResync(connectorId: string, streams?: readonly StreamName[]): Promise<void> {
    const connector = this.options.config.connectors.find((c) => c.id === connectorId);
    if (!connector) throw new Error(`no connector named ${connectorId}.`);
    const db = this.options.store.db;
    for (const stream of connector.streams) {
      if (streams && !streams.includes(stream.name)) continue;
      await new StreamStateRepository(db).requestResync(connectorId, stream.name, this.now());
      await new EventKeyRepository(db).clear(connectorId, stream.name);
      await new SnapshotMemberRepository(db).clear(connectorId, stream.name);
    }
  }

  /** Writes a connector's dead letters to the sink again (after the cause was fixed); returns how many. */
  async replayDeadLetters(connectorId: string, sinkId: string): Promise<number> {
    const dispatcher = this.dispatchers.get(connectorId)?.find((d) => d.sinkId === sinkId);
    if (!dispatcher) throw new Error(`connector ${connectorId} does not feed a sink named ${sinkId}.`);
    return dispatcher.replayDeadLetters();
  }

  /** Stops the dispatchers after their batch in flight, closes sinks and clients. The store stays open (the caller owns it). */
  async close(): Promise<void> {
    this.delivery.abort();
    await Promise.all(this.deliveryLoops);
    this.deliveryLoops = [];
    await Promise.all([...this.sinks.values()].map((s) => s.close()));
    await this.clients.close();
  }

  private runDeps(): ConnectorRunDeps {
    return {
      db: this.options.store.db,
      pages: this.options.store.pages,
      now: this.now,
      newRunKey: this.options.newRunKey ?? randomUUID,
      logger: this.options.logger,
      onCommit: (connectorId) => this.notifyCommitted(connectorId),
      ...(this.options.onProgress ? { onProgress: this.options.onProgress } : {}),
    };
  }

  private runtimeOf(connector: ConnectorConfig): ConnectorRuntime {
    let runtime = this.runtimes.get(connector.id);
    if (!runtime) {
      const connectors = new ConnectorRepository(this.options.store.db);
      runtime = {
        config: connector,
        client: this.clients.clientFor(connector),
        portalOrigin: portalOriginOf(connector.connection.endpoint),
        backpressure: new OutboxBackpressure({
          db: this.options.store.db,
          connectorId: connector.id,
          sinkIds: connector.sinks,
          limit: connector.outboxLimit,
          pollMs: this.options.backpressurePollMs ?? 500,
          sleep: this.sleep,
          logger: this.options.logger,
          onChange: (paused, backlog) => {
            const detail = paused ? `paused: ${backlog} events wait for a sink (outbox limit ${connector.outboxLimit})` : "resumed: sinks caught up";
            void connectors.setState(connector.id, "processing", { detail }, this.now());
          },
        }),
      };
      this.runtimes.set(connector.id, runtime);
    }
    return runtime;
  }

  /**
   * "Sync now" for the main job (the API): the connector's scheduler runs it between its scheduled runs,
   * never at the same time as one, as soon as the run in progress (if any) ends. Requests made while one
   * waits are merged. Returns false when the connector is unknown or disabled.
   */
  requestRun(connectorId: string, request: { streams?: readonly StreamName[]; full?: boolean } = {}): boolean {
    const connector = this.options.config.connectors.find((c) => c.id === connectorId);
    if (!connector?.enabled) return false;
    const known = connector.streams.map((s) => s.name);
    const wanted = request.streams ? request.streams.filter((s) => known.includes(s)) : known;
    const pending = this.manualRuns.get(connectorId);
    this.manualRuns.set(connectorId, { streams: new Set([...(pending?.streams ?? []), ...wanted]), full: (pending?.full ?? false) || (request.full ?? false) });
    this.wakeSchedulers.get(connectorId)?.abort();
    return true;
  }

  /** A connector's scheduler waits here until its next run, a stop, or "sync now" (requestRun). */
  private async sleepUnlessWoken(connectorId: string, ms: number, signal: AbortSignal): Promise<void> {
    const wake = new AbortController();
    this.wakeSchedulers.set(connectorId, wake);
    await this.sleep(ms, AbortSignal.any([signal, wake.signal])).catch(() => undefined);
    this.wakeSchedulers.delete(connectorId);
  }

  private async scheduleConnector(connector: ConnectorConfig, signal: AbortSignal): Promise<void> {
    const connectors = new ConnectorRepository(this.options.store.db);
    const lastStarted = new Map<StreamName, number>();
    while (!signal.aborted) {
      const manual = this.manualRuns.get(connector.id);
      if (manual) {
        this.manualRuns.delete(connector.id);
        const streams = [...manual.streams];
        if (manual.full) await this.requestResync(connector.id, streams);
        for (const s of streams) lastStarted.set(s, this.now());
        await runConnector(this.runDeps(), this.runtimeOf(connector), { trigger: manual.full ? "manual-full" : "manual", streams, ...(manual.full ? { full: true } : {}), signal });
        continue;
      }
      const now = this.now();
      const due = connector.streams.filter((s) => {
        const next = nextRunAt(s.schedule, lastStarted.get(s.name), now);
        return next !== undefined && next <= now;
      });
      if (due.length > 0) {
        for (const s of due) lastStarted.set(s.name, now);
        await runConnector(this.runDeps(), this.runtimeOf(connector), { trigger: "schedule", streams: due.map((s) => s.name), signal });
        continue;
      }
      const upcoming = connector.streams.map((s) => nextRunAt(s.schedule, lastStarted.get(s.name), now)).filter((t): t is number => t !== undefined);
      if (upcoming.length === 0) {
        // Only one-shot streams, all done: stay up for delivery (and "sync now") until stopped.
        await this.sleepUnlessWoken(connector.id, 2 ** 31 - 1, signal);
        continue;
      }
      const next = Math.min(...upcoming);
      await connectors.setState(connector.id, "scheduled", { detail: `next run at ${new Date(next).toISOString()}`, nextRunAt: next }, now);
      await this.sleepUnlessWoken(connector.id, Math.max(0, next - now), signal);
    }
  }
}
