import { connectorStatuses } from "../sync/connector-status.js";
import type { StoreDb } from "../store/store-database.js";
import { BATCH_LATENCY_BUCKETS } from "../sync/sink-delivery-stats.js";
import type { SyncEngine } from "../sync/sync-engine.js";
import type { WizWebhookIntake } from "../sync/wiz-webhook-intake.js";

const CIRCUIT_STATES = ["closed", "open", "half-open"] as const;

const STATES = ["registered", "scheduled", "processing", "processed", "failed", "disabled"] as const;

function label(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/** Prometheus text for the main job: connector states, outbox backlog and deliveries per sink, webhook intake. */
export async function engineMetrics(engine: SyncEngine, db: StoreDb, webhooks?: WizWebhookIntake): Promise<string> {
  const lines: string[] = [];
  lines.push("# HELP wizbridge_connector_state 1 for the state each connector is in.", "# TYPE wizbridge_connector_state gauge");
  // One read of the connectors: their states, and the health derived from runs and sinks.
  const statuses = await connectorStatuses(db, { runs: 0 });
  for (const c of statuses) {
    for (const state of STATES) lines.push(`wizbridge_connector_state{connector="${label(c.id)}",state="${state}"} ${c.state === state ? 1 : 0}`);
  }
  lines.push("# HELP wizbridge_connector_healthy 0 when the connector failed, a stream's latest runs failed, or a sink is failing.", "# TYPE wizbridge_connector_healthy gauge");
  for (const c of statuses) lines.push(`wizbridge_connector_healthy{connector="${label(c.id)}"} ${c.healthy ? 1 : 0}`);
  lines.push("# HELP wizbridge_stream_consecutive_failures Runs of the stream that failed since its last success.", "# TYPE wizbridge_stream_consecutive_failures gauge");
  for (const c of statuses) for (const st of c.streams) lines.push(`wizbridge_stream_consecutive_failures{connector="${label(c.id)}",stream="${label(st.stream)}"} ${st.consecutiveFailures}`);
  lines.push("# HELP wizbridge_stream_last_success_timestamp_seconds When a run of the stream last succeeded (absent: never).", "# TYPE wizbridge_stream_last_success_timestamp_seconds gauge");
  for (const c of statuses) for (const st of c.streams) if (st.lastSuccessAt) lines.push(`wizbridge_stream_last_success_timestamp_seconds{connector="${label(c.id)}",stream="${label(st.stream)}"} ${Date.parse(st.lastSuccessAt) / 1000}`);
  lines.push("# HELP wizbridge_stream_failing 1 for the error class of a stream's latest failure while it is failing.", "# TYPE wizbridge_stream_failing gauge");
  for (const c of statuses) for (const st of c.streams) if (st.consecutiveFailures > 0) lines.push(`wizbridge_stream_failing{connector="${label(c.id)}",stream="${label(st.stream)}",error="${label(st.lastErrorClass ?? "unknown")}"} 1`);
  const delivery = await engine.deliveryStatus();
  lines.push("# HELP wizbridge_outbox_pending Events committed but not yet acknowledged by the sink.", "# TYPE wizbridge_outbox_pending gauge");
  for (const d of delivery) lines.push(`wizbridge_outbox_pending{connector="${label(d.connectorId)}",sink="${label(d.sinkId)}"} ${d.pending}`);
  lines.push("# HELP wizbridge_events_delivered_total Events the sink acknowledged since start.", "# TYPE wizbridge_events_delivered_total counter");
  for (const d of delivery) lines.push(`wizbridge_events_delivered_total{connector="${label(d.connectorId)}",sink="${label(d.sinkId)}"} ${d.delivered}`);
  lines.push("# HELP wizbridge_sink_down 1 while the sink's writes fail (events wait in the outbox).", "# TYPE wizbridge_sink_down gauge");
  for (const d of delivery) lines.push(`wizbridge_sink_down{connector="${label(d.connectorId)}",sink="${label(d.sinkId)}"} ${d.down ? 1 : 0}`);
  lines.push("# HELP wizbridge_sink_retried_total Event writes that failed and were tried again.", "# TYPE wizbridge_sink_retried_total counter");
  for (const d of delivery) lines.push(`wizbridge_sink_retried_total{connector="${label(d.connectorId)}",sink="${label(d.sinkId)}"} ${d.retried}`);
  lines.push("# HELP wizbridge_sink_dead_lettered_total Events the sink refused for good (in the dead-letter table).", "# TYPE wizbridge_sink_dead_lettered_total counter");
  for (const d of delivery) lines.push(`wizbridge_sink_dead_lettered_total{connector="${label(d.connectorId)}",sink="${label(d.sinkId)}"} ${d.deadLettered}`);
  lines.push("# HELP wizbridge_sink_circuit_state 1 for the state the sink's circuit breaker is in.", "# TYPE wizbridge_sink_circuit_state gauge");
  for (const d of delivery) for (const state of CIRCUIT_STATES) lines.push(`wizbridge_sink_circuit_state{connector="${label(d.connectorId)}",sink="${label(d.sinkId)}",state="${state}"} ${d.state === state ? 1 : 0}`);
  lines.push("# HELP wizbridge_sink_batch_seconds Time from a batch's first write to its acknowledgement, retries included.", "# TYPE wizbridge_sink_batch_seconds histogram");
  for (const d of delivery) {
    const labels = `connector="${label(d.connectorId)}",sink="${label(d.sinkId)}"`;
    BATCH_LATENCY_BUCKETS.forEach((bound, i) => lines.push(`wizbridge_sink_batch_seconds_bucket{${labels},le="${bound}"} ${d.latencyBuckets[i] ?? 0}`));
    lines.push(`wizbridge_sink_batch_seconds_bucket{${labels},le="+Inf"} ${d.batches}`, `wizbridge_sink_batch_seconds_sum{${labels}} ${d.latencySumSeconds}`, `wizbridge_sink_batch_seconds_count{${labels}} ${d.batches}`);
  }
  if (webhooks) {
    lines.push("# HELP wizbridge_webhook_events_total Wiz webhook events accepted into the outbox since start.", "# TYPE wizbridge_webhook_events_total counter");
    for (const [key, n] of webhooks.accepted()) lines.push(`wizbridge_webhook_events_total{connector="${label(key.connector)}",stream="${key.stream}"} ${n}`);
  }
  return `${lines.join("\n")}\n`;
}
