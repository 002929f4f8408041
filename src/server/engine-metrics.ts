import { ConnectorRepository } from "../store/connector.repository.js";
import type { StoreDb } from "../store/store-database.js";
import type { SyncEngine } from "../sync/sync-engine.js";
import type { WizWebhookIntake } from "../sync/wiz-webhook-intake.js";

const STATES = ["registered", "scheduled", "processing", "processed", "failed", "disabled"] as const;

function label(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/** Prometheus text for the main job: connector states, outbox backlog and deliveries per sink, webhook intake. */
export async function engineMetrics(engine: SyncEngine, db: StoreDb, webhooks?: WizWebhookIntake): Promise<string> {
  const lines: string[] = [];
  lines.push("# HELP wizbridge_connector_state 1 for the state each connector is in.", "# TYPE wizbridge_connector_state gauge");
  for (const c of await new ConnectorRepository(db).list()) {
    for (const state of STATES) lines.push(`wizbridge_connector_state{connector="${label(c.id)}",state="${state}"} ${c.state === state ? 1 : 0}`);
  }
  const delivery = await engine.deliveryStatus();
  lines.push("# HELP wizbridge_outbox_pending Events committed but not yet acknowledged by the sink.", "# TYPE wizbridge_outbox_pending gauge");
  for (const d of delivery) lines.push(`wizbridge_outbox_pending{connector="${label(d.connectorId)}",sink="${label(d.sinkId)}"} ${d.pending}`);
  lines.push("# HELP wizbridge_events_delivered_total Events the sink acknowledged since start.", "# TYPE wizbridge_events_delivered_total counter");
  for (const d of delivery) lines.push(`wizbridge_events_delivered_total{connector="${label(d.connectorId)}",sink="${label(d.sinkId)}"} ${d.delivered}`);
  lines.push("# HELP wizbridge_sink_down 1 while the sink's writes fail (events wait in the outbox).", "# TYPE wizbridge_sink_down gauge");
  for (const d of delivery) lines.push(`wizbridge_sink_down{connector="${label(d.connectorId)}",sink="${label(d.sinkId)}"} ${d.down ? 1 : 0}`);
  if (webhooks) {
    lines.push("# HELP wizbridge_webhook_events_total Wiz webhook events accepted into the outbox since start.", "# TYPE wizbridge_webhook_events_total counter");
    for (const [key, n] of webhooks.accepted()) lines.push(`wizbridge_webhook_events_total{connector="${label(key.connector)}",stream="${key.stream}"} ${n}`);
  }
  return `${lines.join("\n")}\n`;
}
