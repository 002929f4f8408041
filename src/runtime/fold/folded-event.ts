import { runtimeAlertSchema, type RuntimeAlert } from "../../model/runtime-alert.js";
import type { RuntimeDeliveryEventTable } from "../../store/runtime-delivery.tables.js";

/** A folded event as delivery reads it: the row plus its first alert, parsed. */
export interface FoldedEvent {
  eventId: string;
  dataSourceId: string;
  entityId: string;
  providerId: string;
  cloudPlatform: string;
  rung: string;
  exact: boolean;
  matchedBy: string;
  alert: RuntimeAlert;
  severity: RuntimeAlert["severity"];
  count: number;
  firstSeen: number;
  lastSeen: number;
  issueId: string | null;
  noteId: string | null;
}

export function foldedEventOf(row: Pick<RuntimeDeliveryEventTable, "event_id" | "data_source_id" | "entity_id" | "provider_id" | "cloud_platform" | "rung" | "exact" | "matched_by" | "alert_json" | "severity" | "count" | "first_seen" | "last_seen" | "issue_id" | "note_id">): FoldedEvent {
  const alert = runtimeAlertSchema.parse(JSON.parse(row.alert_json));
  return {
    eventId: row.event_id,
    dataSourceId: row.data_source_id,
    entityId: row.entity_id,
    providerId: row.provider_id,
    cloudPlatform: row.cloud_platform,
    rung: row.rung,
    exact: row.exact === 1,
    matchedBy: row.matched_by,
    alert,
    severity: runtimeAlertSchema.shape.severity.parse(row.severity),
    count: row.count,
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    issueId: row.issue_id,
    noteId: row.note_id,
  };
}

const SEVERITY_RANK: Readonly<Record<RuntimeAlert["severity"], number>> = { INFORMATIONAL: 0, LOW: 1, MEDIUM: 2, HIGH: 3, CRITICAL: 4 };

/** The higher of two Wiz severities (a folded event carries the worst of its repeats). */
export function maxSeverity(a: RuntimeAlert["severity"], b: RuntimeAlert["severity"]): RuntimeAlert["severity"] {
  return SEVERITY_RANK[a] >= SEVERITY_RANK[b] ? a : b;
}

/** "k8s-pod (exact match: pod uid 6f1c...)": how the resource was found, stated to Wiz and in the note. */
export function resolutionStatement(event: Pick<FoldedEvent, "rung" | "exact" | "matchedBy">): string {
  return `${event.rung} (${event.exact ? "exact match" : "fallback: the workload itself is not in Wiz"}: ${event.matchedBy})`;
}

const clip = (value: string, max: number): string => (value.length > max ? `${value.slice(0, max - 1)}…` : value);

/** The runtime context of an alert as short "label: value" lines (process tree or request, container, pod...). */
export function runtimeContextLines(alert: RuntimeAlert): string[] {
  const lines: string[] = [];
  const c = alert.context;
  const p = c.process;
  if (p) {
    const self = [p.name, p.pid !== null ? `pid ${p.pid}` : null, p.user ? `user ${p.user}` : null].filter(Boolean).join(", ");
    if (self) lines.push(`Process: ${self}`);
    if (p.commandLine) lines.push(`Command line: ${clip(p.commandLine, 500)}`);
    const tree = [p.parentName ?? p.parentCommandLine, ...p.ancestors].filter((v): v is string => typeof v === "string" && v !== "");
    if (tree.length > 0) lines.push(`Process tree: ${[p.name ?? p.executable ?? "?", ...tree].join(" <- ")}`);
  }
  const r = c.request;
  if (r) {
    const line = [r.method, r.url ?? (r.host || r.path ? `${r.host ?? ""}${r.path ?? ""}` : null)].filter(Boolean).join(" ");
    if (line) lines.push(`Request: ${clip(line, 500)}`);
    const meta = [r.clientIp ? `from ${r.clientIp}` : null, r.status !== null ? `status ${r.status}` : null, r.action ? `action ${r.action}` : null, r.attackClass ? `attack ${r.attackClass}` : null]
      .filter(Boolean)
      .join(", ");
    if (meta) lines.push(`Request details: ${meta}`);
    if (r.matchedData) lines.push(`Matched: ${clip(r.matchedData, 300)}`);
  }
  if (c.container && (c.container.id || c.container.name || c.container.image)) {
    lines.push(`Container: ${[c.container.name, c.container.id, c.container.image].filter(Boolean).join(" / ")}`);
  }
  if (c.pod?.name || c.namespace) lines.push(`Pod: ${[c.namespace, c.pod?.name].filter(Boolean).join("/")}`);
  if (c.workload?.name) lines.push(`Workload: ${[c.workload.kind, c.workload.name].filter(Boolean).join(" ")}`);
  if (c.node) lines.push(`Node: ${c.node}`);
  if (c.cluster) lines.push(`Cluster: ${c.cluster}`);
  return lines;
}
