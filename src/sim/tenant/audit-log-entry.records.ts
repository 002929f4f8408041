/** Audit log entries: who did what in the Wiz portal and API, in time order. */
import { AUDIT_ACTIONS, NOTE_TEXTS, USER_AGENTS } from "./catalogue.js";
import { recordId } from "./record-ids.js";
import { KIND } from "./record-kinds.js";
import { fieldUnit, recordRandom, rowKey, streamKey } from "./seeded-random.js";
import { at, HISTORY, wizTime, type TenantModel } from "./tenant-model.js";
import type { WizRecord } from "./types.js";

const SERVICE_ACCOUNTS = ["wizbridge-sync", "xsoar-integration", "terraform-provider", "splunk-addon", "jira-automation"] as const;

/** Timestamps increase with the index, as an audit log does. */
export function fillAuditColumns(model: TenantModel): void {
  const store = model.stores.auditLogEntries;
  const size = store.size();
  const stream = streamKey(model.seed, KIND.auditLogEntry);
  const start = model.createdAt - HISTORY;
  for (let i = 0; i < size; i += 1) store.cols.timestamp[i] = at(start + (HISTORY * (i + fieldUnit(rowKey(stream, i), 0))) / Math.max(1, size));
}

export function buildAuditLogRecord(model: TenantModel, index: number): WizRecord {
  const loaded = model.loaded?.records.auditLogEntries?.[index];
  if (loaded) return structuredClone(loaded) as WizRecord;
  const rng = recordRandom(model.seed, KIND.auditLogEntry, index);
  const action = rng.pick(AUDIT_ACTIONS);
  const users = model.stores.users.size();
  const issues = model.baseCounts.issues;
  const byUser = users > 0 && (action === "Login" || rng.chance(0.6));
  const accountName = rng.pick(SERVICE_ACCOUNTS);
  const issueId = issues > 0 ? recordId(model.seed, KIND.issue, rng.int(issues)) : null;
  const parameters: Readonly<Record<string, WizRecord>> = {
    Login: { method: rng.pick(["SSO", "PASSWORD", "API_TOKEN"]) },
    UpdateIssue: { input: { id: issueId, patch: { status: rng.pick(["IN_PROGRESS", "REJECTED", "OPEN"]) } } },
    CreateIssueNote: { input: { issueId, text: rng.pick(NOTE_TEXTS) } },
    DeleteIssueNote: { input: { id: recordId(model.seed, KIND.issueNote, rng.int(Math.max(1, issues)), 1) } },
    RunQuery: { query: { type: ["VIRTUAL_MACHINE"], select: true }, projectId: "*" },
    RequestSecurityScanUpload: { filename: `scan-${rng.hex(8)}.json` },
  };
  return {
    id: recordId(model.seed, KIND.auditLogEntry, index),
    action,
    requestId: rng.uuid(),
    status: rng.chance(0.95) ? "SUCCESS" : "FAILED",
    timestamp: wizTime(model.stores.auditLogEntries.cols.timestamp[index] ?? Number.NaN),
    actionParameters: parameters[action] ?? {},
    userAgent: rng.pick(USER_AGENTS),
    sourceIP: rng.ipv4(true),
    user: byUser ? model.records.user(rng.int(users)) : null,
    serviceAccount: byUser ? null : { id: rng.chars(52, "abcdefghijklmnopqrstuvwxyz0123456789"), name: accountName },
  };
}
