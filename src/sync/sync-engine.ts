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
import type { OutboxDispatcher, SinkDeliveryStatus } from "./outbox-dispatcher.js";
import type { SyncClient } from "./stream-runner.js";
import { nextRunAt } from "./stream-schedule.js";
import type { ConnectorConfig, SinkConfig, SyncConfig } from "./sync-config.js";
import { connectorDispatchers } from "./connector-dispatchers.js";
import { forgetSinkOffset, purgeConnectorData, type ConnectorPurgeCounts } from "../store/connector-purge.js";
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
 * connector x sink. `runOnce` is `wizbridge sync`; `runScheduled` is `wizbridge start`. Connectors and sinks
 * can be added, replaced, disabled and removed while `runScheduled` runs (the API's managed connectors).
 */
export class SyncEngine {
  private readonly now: () => number;
  private readonly sleep: Sleep;
  private readonly sinks: Map<string, Sink>;
  private readonly sinkSettings: Map<string, SinkConfig>;
  private readonly connectors = new Map<string, ConnectorConfig>();
  private readonly clients: SyncClients;
  private readonly dispatchers = new Map<string, OutboxDispatcher[]>();
  private readonly runtimes = new Map<string, ConnectorRuntime>();
  private readonly delivery = new AbortController();
  /** Per connector: stops its dispatchers (remove, replace) without stopping the others. */
  private readonly connectorDelivery = new Map<string, { stop: AbortController; loops: Array<Promise<void>> }>();
  /** Per running connector scheduler: stops it (disable, remove, replace) and resolves when its run in progress ended. */
  private readonly schedulers = new Map<string, { stop: AbortController; done: Promise<void> }>();
  /** "Sync now" requests waiting for their connector's scheduler. */
  private readonly manualRuns = new Map<string, { streams: Set<StreamName>; full: boolean }>();
  /** Wakes a connector's scheduler from its sleep until the next scheduled run. */
  private readonly wakeSchedulers = new Map<string, AbortController>();
  /** Set while runScheduled runs: connectors added or enabled then start their scheduler under it. */
  private scheduleSignal: AbortSignal | undefined;
  private deliveryStarted = false;
  private prepared = false;

  constructor(private readonly options: SyncEngineOptions) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? abortableSleep;
    this.sinkSettings = new Map(Object.entries(options.config.sinks));
    this.sinks = new Map(options.sinks ?? [...this.sinkSettings].map(([id, spec]) => [id, createSink(id, spec, this.sinkContext())] as const));
    this.clients = options.clients ?? new TenantClients(options.logger);
    for (const connector of options.config.connectors) {
      this.connectors.set(connector.id, connector);
      this.dispatchers.set(connector.id, this.dispatchersOf(connector));
    }
  }

  /** The config with the connectors and sinks as they are now (the file's, plus those added through the API). */
  get config(): SyncConfig {
    return { ...this.options.config, connectors: [...this.connectors.values()], sinks: Object.fromEntries(this.sinkSettings) };
  }

  /** One connector's settings as the engine runs them, or undefined. */
  connector(id: string): ConnectorConfig | undefined {
    return this.connectors.get(id);
  }

  /** Registers the config's connectors and closes the run history a crashed process left open. */
  async prepare(): Promise<void> {
    if (this.prepared) return;
    this.prepared = true;
    const abandoned = await new RunRepository(this.options.store.db).abandonRunning(this.now());
    if (abandoned > 0) this.options.logger.warn({ runs: abandoned }, "runs left open by a stopped process are marked abandoned; their streams resume from their checkpoints");
    for (const connector of this.connectors.values()) await this.register(connector);
  }

  /** Starts the dispatchers (once); connectors added later start theirs as they come. */
  startDelivery(): void {
    if (this.deliveryStarted) return;
    this.deliveryStarted = true;
    for (const id of this.connectors.keys()) this.startConnectorDelivery(id);
  }

  /** Runs the selected connectors' streams once (connectors in parallel) and returns their summaries. */
  async runOnce(options: RunOnceOptions = {}): Promise<ConnectorRunSummary[]> {
    await this.prepare();
    this.startDelivery();
    const selected = [...this.connectors.values()].filter((c) => c.enabled && (!options.connectors || options.connectors.includes(c.id)));
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

  /**
   * Each enabled connector on its streams' schedules until the signal aborts (the main job). Connectors
   * added or enabled meanwhile start their own scheduler; it returns once every scheduler has stopped.
   */
  async runScheduled(signal: AbortSignal): Promise<void> {
    await this.prepare();
    this.startDelivery();
    this.scheduleSignal = signal;
    for (const connector of this.connectors.values()) if (connector.enabled) this.startScheduler(connector);
    if (!signal.aborted) await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
    await Promise.all([...this.schedulers.values()].map((s) => s.done));
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
    return this.clients.clientFor(this.known(connectorId));
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
    const connector = this.known(connectorId);
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

  /** A new sink (the API's POST /api/sinks): connectors added or replaced afterwards may feed it. */
  addSink(id: string, settings: SinkConfig): void {
    if (this.sinks.has(id)) throw new Error(`a sink named "${id}" exists already; pick another id or replace it.`);
    this.sinks.set(id, createSink(id, settings, this.sinkContext()));
    this.sinkSettings.set(id, settings);
  }

  /**
   * New settings for a sink: the connectors feeding it stop delivering (after their batch in flight), the old
   * sink closes, and they resume on the new one from where the old one was acknowledged.
   */
  async replaceSink(id: string, settings: SinkConfig): Promise<void> {
    const old = this.sinks.get(id);
    if (!old) throw new Error(`no sink named "${id}".`);
    const fresh = createSink(id, settings, this.sinkContext());
    const feeding = this.feedersOf(id);
    for (const c of feeding) await this.stopConnectorDelivery(c.id);
    this.sinks.set(id, fresh);
    this.sinkSettings.set(id, settings);
    for (const c of feeding) {
      this.dispatchers.set(c.id, this.dispatchersOf(c));
      if (this.deliveryStarted) this.startConnectorDelivery(c.id);
    }
    await old.close().catch((error: unknown) => this.options.logger.warn({ sink: id, err: error }, "the replaced sink did not close cleanly"));
  }

  /** Removes a sink no connector feeds (the caller checks; this refuses otherwise) and closes it. */
  async removeSink(id: string): Promise<void> {
    const feeding = this.feedersOf(id);
    if (feeding.length > 0) throw new Error(`sink "${id}" is fed by ${feeding.map((c) => c.id).join(", ")}; remove it from their sinks first.`);
    const sink = this.sinks.get(id);
    this.sinks.delete(id);
    this.sinkSettings.delete(id);
    await sink?.close();
  }

  /** The connectors that feed a sink. */
  feedersOf(sinkId: string): ConnectorConfig[] {
    return [...this.connectors.values()].filter((c) => c.sinks.includes(sinkId));
  }

  /** A new connector: registered, delivering, and (enabled, while runScheduled runs) on its schedule. */
  async addConnector(connector: ConnectorConfig): Promise<void> {
    if (this.connectors.has(connector.id)) throw new Error(`a connector named "${connector.id}" exists already.`);
    const dispatchers = this.dispatchersOf(connector);
    this.connectors.set(connector.id, connector);
    this.dispatchers.set(connector.id, dispatchers);
    if (this.prepared) await this.register(connector);
    if (this.deliveryStarted) this.startConnectorDelivery(connector.id);
    if (connector.enabled) this.startScheduler(connector);
  }

  /**
   * New settings for a connector: its scheduler stops once the run in progress ends (the page in flight is
   * read again; cursors never pass an uncommitted page), its dispatchers after their batch in flight, then it
   * starts again with the new settings from its cursors.
   */
  async replaceConnector(connector: ConnectorConfig): Promise<void> {
    const old = this.known(connector.id);
    const dispatchers = this.dispatchersOf(connector);
    await this.stopScheduler(connector.id);
    await this.stopConnectorDelivery(connector.id);
    this.connectors.set(connector.id, connector);
    this.dispatchers.set(connector.id, dispatchers);
    this.runtimes.delete(connector.id);
    for (const sinkId of old.sinks) if (!connector.sinks.includes(sinkId)) await forgetSinkOffset(this.options.store.db, connector.id, sinkId);
    if (this.prepared) await this.register(connector);
    if (this.deliveryStarted) this.startConnectorDelivery(connector.id);
    if (connector.enabled) this.startScheduler(connector);
  }

  /** Stops (after the run in progress) or starts a connector's scheduler; delivery of what is in the outbox goes on. */
  async setEnabled(connectorId: string, enabled: boolean): Promise<void> {
    const connector = { ...this.known(connectorId), enabled };
    if (!enabled) await this.stopScheduler(connectorId);
    this.connectors.set(connectorId, connector);
    if (this.prepared) await this.register(connector);
    if (enabled) this.startScheduler(connector);
  }

  /**
   * Stops a connector (scheduler after its run in progress, dispatchers after their batch in flight) and
   * forgets it. With `purge` (a disconnect) its cursors, outbox, dead letters and run history go too.
   */
  async removeConnector(connectorId: string, options: { purge: boolean }): Promise<ConnectorPurgeCounts | undefined> {
    this.known(connectorId);
    await this.stopScheduler(connectorId);
    await this.stopConnectorDelivery(connectorId);
    this.connectors.delete(connectorId);
    this.dispatchers.delete(connectorId);
    this.runtimes.delete(connectorId);
    this.manualRuns.delete(connectorId);
    return options.purge ? purgeConnectorData(this.options.store.db, connectorId) : undefined;
  }

  /** Stops the dispatchers and schedulers after their work in flight, closes sinks and clients. The store stays open (the caller owns it). */
  async close(): Promise<void> {
    this.delivery.abort();
    for (const s of this.schedulers.values()) s.stop.abort();
    await Promise.all([...this.connectorDelivery.values()].flatMap((d) => d.loops));
    await Promise.all([...this.schedulers.values()].map((s) => s.done));
    this.connectorDelivery.clear();
    await Promise.all([...this.sinks.values()].map((s) => s.close()));
    await this.clients.close();
  }

  private known(connectorId: string): ConnectorConfig {
    const connector = this.connectors.get(connectorId);
    if (!connector) throw new Error(`no connector named ${connectorId}.`);
    return connector;
  }

  private async register(connector: ConnectorConfig): Promise<void> {
    await new ConnectorRepository(this.options.store.db).register(connector.id, connector.connection.endpoint, connector.enabled, this.now());
  }

  private sinkContext() {
    return { logger: this.options.logger, baseDir: process.cwd(), now: this.options.now ?? Date.now };
  }

  private dispatchersOf(connector: ConnectorConfig): OutboxDispatcher[] {
    const { store, logger } = this.options;
    return connectorDispatchers(connector, this.sinks, (id) => this.sinkSettings.get(id), {
      db: store.db,
      delivery: this.options.config.delivery,
      idlePollMs: this.options.idlePollMs ?? 1000,
      now: this.now,
      sleep: this.sleep,
      random: this.options.random ?? Math.random,
      logger,
    });
  }

  private startConnectorDelivery(connectorId: string): void {
    if (this.connectorDelivery.has(connectorId) || this.delivery.signal.aborted) return;
    const stop = new AbortController();
    const signal = AbortSignal.any([this.delivery.signal, stop.signal]);
    this.connectorDelivery.set(connectorId, { stop, loops: (this.dispatchers.get(connectorId) ?? []).map((d) => d.run(signal)) });
  }

  private async stopConnectorDelivery(connectorId: string): Promise<void> {
    const delivery = this.connectorDelivery.get(connectorId);
    if (!delivery) return;
    this.connectorDelivery.delete(connectorId);
    delivery.stop.abort();
    await Promise.all(delivery.loops);
  }

  private startScheduler(connector: ConnectorConfig): void {
    const signal = this.scheduleSignal;
    if (!signal || signal.aborted || this.schedulers.has(connector.id)) return;
    const stop = new AbortController();
    const done = this.scheduleConnector(connector, AbortSignal.any([signal, stop.signal])).catch((error: unknown) => {
      this.options.logger.error({ connector: connector.id, err: error }, "the connector's scheduler stopped on an error; disable and enable it (or restart) to run it again");
    });
    this.schedulers.set(connector.id, { stop, done });
  }

  private async stopScheduler(connectorId: string): Promise<void> {
    const scheduler = this.schedulers.get(connectorId);
    if (!scheduler) return;
    scheduler.stop.abort();
    await scheduler.done;
    if (this.schedulers.get(connectorId) === scheduler) this.schedulers.delete(connectorId);
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
    const connector = this.connectors.get(connectorId);
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
