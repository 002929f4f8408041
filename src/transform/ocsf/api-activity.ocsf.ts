import type { AuditLogEntryRecord } from "../../model/canonical/index.js";
import { compact } from "../compact.js";
import { OCSF_CLASSES, type OcsfEvent } from "./ocsf-event.js";
import { ocsfBase, ocsfMetadata } from "./ocsf-base.js";

/** An audit action's verb -> API Activity activity_id (Create, Read, Update, Delete; Other for the rest). */
const ACTIVITIES: ReadonlyArray<[RegExp, number, string]> = [
  [/^(create|add|new|invite|generate|upload|run|start)/i, 1, "Create"],
  [/^(get|list|read|view|download|export|search|query|login|logout)/i, 2, "Read"],
  [/^(update|set|edit|modify|change|enable|disable|rotate|assign|resolve|reopen|rename)/i, 3, "Update"],
  [/^(delete|remove|revoke|deactivate)/i, 4, "Delete"],
];

function activityOf(action: string | null): [number, string] {
  const verb = action?.trim() ?? "";
  for (const [pattern, id, name] of ACTIVITIES) if (pattern.test(verb)) return [id, name];
  return [99, verb === "" ? "Other" : verb];
}

function statusOf(status: string | null): Record<string, unknown> {
  const s = status?.toUpperCase() ?? "";
  const [id, name] = s.includes("SUCCESS") ? [1, "Success"] : s.includes("FAIL") ? [2, "Failure"] : status === null ? [0, "Unknown"] : [99, "Other"];
  return compact({ status_id: id, status: name, status_code: status ?? undefined });
}

function epochMs(value: string | null, fallback: number): number {
  const ms = value === null ? Number.NaN : Date.parse(value);
  return Number.isNaN(ms) ? fallback : ms;
}

/**
 * An audit log entry as OCSF 1.8.0 API Activity (6003), as AWS's Wiz pipeline into Security Lake maps it:
 * api.operation = the action, api.request.uid = the request id, actor.user (or the service account as the
 * actor's app), src_endpoint.ip = the caller's IP, http_request.user_agent, status from the entry's status.
 */
export function apiActivityOf(record: AuditLogEntryRecord, options: { observedAtMs: number; raw: unknown }): OcsfEvent {
  const cls = OCSF_CLASSES.apiActivity;
  const user = record.user && (record.user.id ?? record.user.name) !== null ? compact({ uid: record.user.id ?? undefined, name: record.user.name ?? undefined, email_addr: record.user.email ?? undefined }) : undefined;
  const account = record.serviceAccount;
  return {
    // Audit entries carry no severity: Informational, as AWS's pipeline sets it.
    ...ocsfBase(cls, activityOf(record.action), 1, epochMs(record.timestamp, options.observedAtMs), ocsfMetadata(record.id, record.recordType, record.timestamp), options.raw),
    ...statusOf(record.status),
    message: record.action ?? undefined,
    // OCSF requires an actor with a user or an application: a service account acts as an application.
    actor: user ? { user } : compact({ app_uid: account?.id ?? undefined, app_name: account?.name ?? "unknown" }),
    api: compact({ operation: record.action ?? "unknown", request: record.requestId ? { uid: record.requestId } : undefined }),
    // The source endpoint is required; entries without a caller IP say so rather than invent one.
    src_endpoint: record.sourceIP ? { ip: record.sourceIP } : { name: "unknown" },
    ...(record.userAgent ? { http_request: { user_agent: record.userAgent } } : {}),
    ...(user && account ? { unmapped: { serviceAccount: account } } : {}),
  } as OcsfEvent;
}
