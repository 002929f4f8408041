import type { Logger } from "pino";
import type { Sleep } from "../wiz/index.js";
import type { Sink } from "../sinks/sink.js";
import { SINK_DELIVERY_DEFAULTS } from "../sinks/sink-settings.js";
import type { StoreDb } from "../store/store-database.js";
import { OutboxDispatcher } from "./outbox-dispatcher.js";
import type { ConnectorConfig, SinkConfig, SyncConfig } from "./sync-config.js";

export interface DispatcherDeps {
  db: StoreDb;
  delivery: SyncConfig["delivery"];
  idlePollMs: number;
  now: () => number;
  sleep: Sleep;
  random: () => number;
  logger: Logger;
}

/**
 * One dispatcher per sink a connector feeds, with the sink's own batch, retry and circuit settings (the
 * config's delivery defaults otherwise). Built when a connector starts, and again when it or a sink it feeds
 * is replaced, since a dispatcher holds the sink it writes to.
 */
export function connectorDispatchers(connector: ConnectorConfig, sinks: ReadonlyMap<string, Sink>, settingsOf: (sinkId: string) => SinkConfig | undefined, deps: DispatcherDeps): OutboxDispatcher[] {
  return connector.sinks.map((sinkId) => {
    const sink = sinks.get(sinkId);
    if (!sink) throw new Error(`connector ${connector.id} feeds the sink "${sinkId}", which is not configured; define it under sinks: (or POST /api/sinks) first.`);
    const settings = settingsOf(sinkId);
    return new OutboxDispatcher({
      db: deps.db,
      connectorId: connector.id,
      sink,
      connectorSinkIds: connector.sinks,
      batchSize: settings?.batch?.maxEvents ?? deps.delivery.batchSize,
      maxBatchBytes: settings?.batch?.maxBytes ?? SINK_DELIVERY_DEFAULTS.maxBytes,
      maxWaitMs: settings?.batch?.maxWaitMs ?? SINK_DELIVERY_DEFAULTS.maxWaitMs,
      maxInFlight: settings?.maxInFlight ?? SINK_DELIVERY_DEFAULTS.maxInFlight,
      retry: { initialMs: settings?.retry?.initialMs ?? deps.delivery.retryInitialMs, maxMs: settings?.retry?.maxMs ?? deps.delivery.retryMaxMs },
      circuitBreaker: {
        failureThreshold: settings?.circuitBreaker?.failureThreshold ?? SINK_DELIVERY_DEFAULTS.failureThreshold,
        cooldownMs: settings?.circuitBreaker?.cooldownMs ?? SINK_DELIVERY_DEFAULTS.cooldownMs,
      },
      idlePollMs: deps.idlePollMs,
      now: deps.now,
      sleep: deps.sleep,
      random: deps.random,
      logger: deps.logger,
    });
  });
}
