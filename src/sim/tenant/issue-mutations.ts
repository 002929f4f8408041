/**
 * Issue mutations (updateIssue, notes, threat issues raised from uploaded events). Every change moves
 * the issue's updatedAt to `now` and bumps the tenant version, so incremental syncs and list caches see it.
 */
import { appendDetection, detectionOriginIndex } from "./detection.records.js";
import { appendIssue, baseIssueNotes, currentIssueNotes, OPEN, RESOLVED, THREAT } from "./issue.records.js";
import { decodeRecordId, recordId } from "./record-ids.js";
import { KIND } from "./record-kinds.js";
import type { TenantRule } from "./rule.catalogue.js";
import { at, markChanged, wizTime, type IssueOverlay, type TenantModel } from "./tenant-model.js";
import { ISSUE_STATUSES, SEVERITIES, type IssueChange, type Millis, type NoteInput, type ThreatIssueInit, type WizRecord } from "./types.js";

const MAX_NOTE_ORDINAL = 0xffff;

function checkIssue(model: TenantModel, index: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= model.stores.issues.size()) {
    throw new RangeError(`issues: no issue at index ${index} (size ${model.stores.issues.size()}); look the id up with tenant.issues.indexOf first`);
  }
}

function overlayOf(model: TenantModel, index: number): IssueOverlay {
  let overlay = model.issueOverlays.get(index);
  if (!overlay) {
    overlay = {};
    model.issueOverlays.set(index, overlay);
  }
  return overlay;
}

/** A change time that keeps createdAt <= statusChangedAt <= updatedAt even if a caller's clock lags. */
function changeTime(model: TenantModel, index: number, now: Millis): Millis {
  const cols = model.stores.issues.cols;
  return Math.max(at(now), cols.createdAt[index] ?? -Infinity, cols.statusChangedAt[index] ?? -Infinity);
}

function touch(model: TenantModel, index: number, time: Millis): void {
  const cols = model.stores.issues.cols;
  cols.updatedAt[index] = Math.max(time, cols.statusChangedAt[index] ?? -Infinity);
  markChanged(model, "issues", index);
  model.version += 1;
}

function pushNote(model: TenantModel, index: number, text: string, by: NoteInput["serviceAccount"], time: Millis): WizRecord {
  if (typeof text !== "string" || text.trim() === "") throw new RangeError("an issue note needs non-empty text");
  const overlay = overlayOf(model, index);
  const notes = currentIssueNotes(model, index);
  const ordinal = overlay.nextNoteOrdinal ?? baseIssueNotes(model, index).length + 1;
  if (ordinal > MAX_NOTE_ORDINAL) throw new RangeError(`issue ${index} already has ${MAX_NOTE_ORDINAL} notes; delete some before adding more`);
  const note: WizRecord = {
    id: recordId(model.seed, KIND.issueNote, index, ordinal),
    createdAt: wizTime(time),
    updatedAt: wizTime(time),
    text,
    user: null,
    serviceAccount: { id: by.id, name: by.name },
  };
  overlay.notes = [...notes, note];
  overlay.nextNoteOrdinal = ordinal + 1;
  return structuredClone(note);
}

/** `override` may set dueAt, resolutionReason and resolutionNote to null; `patch` ignores nulls. */
export function updateIssue(model: TenantModel, index: number, change: IssueChange, override: boolean, by: NoteInput["serviceAccount"], now: Millis): void {
  checkIssue(model, index);
  const cols = model.stores.issues.cols;
  const time = changeTime(model, index, now);
  let changed = false;
  if (change.status !== undefined && change.status !== null) {
    const status = ISSUE_STATUSES.indexOf(change.status as (typeof ISSUE_STATUSES)[number]);
    if (status < 0) throw new RangeError(`unknown issue status ${JSON.stringify(change.status)}; use one of ${ISSUE_STATUSES.join(", ")}`);
    if (status !== cols.status[index]) {
      const overlay = overlayOf(model, index);
      cols.status[index] = status;
      cols.statusChangedAt[index] = time;
      // Only RESOLVED carries resolvedAt; reopening (or rejecting) clears it.
      cols.resolvedAt[index] = status === RESOLVED ? time : Number.NaN;
      if (status <= 1) {
        overlay.resolutionReason = null;
        overlay.resolutionNote = null;
        overlay.resolvedBy = null;
      } else {
        overlay.resolvedBy = { id: by.id, name: by.name };
        overlay.resolutionReason = undefined;
        overlay.resolutionNote = undefined;
      }
      changed = true;
    }
  }
  for (const field of ["resolutionReason", "resolutionNote"] as const) {
    const value = change[field];
    if (value === undefined || (value === null && !override)) continue;
    overlayOf(model, index)[field] = value;
    changed = true;
  }
  if (change.dueAt !== undefined && (change.dueAt !== null || override)) {
    if (change.dueAt !== null && !Number.isFinite(change.dueAt)) throw new RangeError(`dueAt must be epoch milliseconds, got ${change.dueAt}`);
    cols.dueAt[index] = change.dueAt === null ? Number.NaN : at(change.dueAt);
    changed = true;
  }
  if (typeof change.note === "string" && change.note.trim() !== "") {
    pushNote(model, index, change.note, by, time);
    changed = true;
  }
  if (changed) touch(model, index, time);
}

export function addIssueNote(model: TenantModel, index: number, note: NoteInput, now: Millis): WizRecord {
  checkIssue(model, index);
  const time = changeTime(model, index, now);
  const record = pushNote(model, index, note.text, note.serviceAccount, time);
  touch(model, index, time);
  return record;
}

export function deleteIssueNote(model: TenantModel, noteId: string, now: Millis): boolean {
  if (typeof noteId !== "string") return false;
  const index = decodeRecordId(model.seed, KIND.issueNote, noteId)?.index ?? model.loaded?.noteOwners.get(noteId);
  if (index === undefined || index >= model.stores.issues.size()) return false;
  const notes = currentIssueNotes(model, index);
  const wanted = noteId.toLowerCase();
  const position = notes.findIndex((n) => typeof n.id === "string" && n.id.toLowerCase() === wanted);
  if (position < 0) return false;
  const overlay = overlayOf(model, index);
  overlay.nextNoteOrdinal ??= baseIssueNotes(model, index).length + 1;
  overlay.notes = notes.filter((_, k) => k !== position);
  touch(model, index, changeTime(model, index, now));
  return true;
}

/** The Cloud Event Rule for an uploaded event name: a built-in one of that name, else a custom rule (created once). */
function threatRule(model: TenantModel, init: ThreatIssueInit): number {
  const existing = model.rules.findIndex((r) => r.__typename === "CloudEventRule" && r.name === init.name);
  if (existing >= 0) return existing;
  const techniques = Array.isArray(init.details?.mitreTechniqueIds) ? init.details.mitreTechniqueIds.filter((t): t is string => typeof t === "string") : [];
  const custom = model.rules.filter((r) => !r.builtin).length;
  const rule: TenantRule = {
    id: recordId(model.seed, KIND.customRule, custom),
    name: init.name,
    description: init.description ?? init.name,
    __typename: "CloudEventRule",
    severity: init.severity,
    issueType: "THREAT_DETECTION",
    builtin: false,
    family: "ANY",
    subjectTypes: [],
    techniques,
    risks: ["THREAT"],
    remediation: "Investigate the event in the source tool and contain the affected resource if the activity is not expected.",
    origins: [init.origin],
  };
  model.rules.push(rule);
  model.picks.byRule.push(new Int32Array(0));
  return model.rules.length - 1;
}

/** Raises a THREAT_DETECTION issue for an event on a resource, or updates the open one of the same name there. */
export function raiseThreatIssue(model: TenantModel, init: ThreatIssueInit, now: Millis): number {
  const resource = init.resourceIndex;
  if (!Number.isInteger(resource) || resource < 0 || resource >= model.stores.cloudResources.size()) {
    throw new RangeError(`raiseThreatIssue: no cloud resource at index ${resource}; resolve the asset with tenant.resourceByProviderId first`);
  }
  const severity = SEVERITIES.indexOf(init.severity);
  if (severity < 0) throw new RangeError(`raiseThreatIssue: unknown severity ${JSON.stringify(init.severity)}; use one of ${SEVERITIES.join(", ")}`);
  if (typeof init.name !== "string" || init.name.trim() === "") throw new RangeError("raiseThreatIssue: the event needs a name");
  const time = at(now);
  const rule = threatRule(model, init);
  const origin = detectionOriginIndex(model, init.origin);
  const cols = model.stores.issues.cols;
  const project = model.stores.cloudResources.cols.project[resource] ?? -1;
  let index = -1;
  for (let i = model.stores.issues.size() - 1; i >= 0; i -= 1) {
    if (cols.resource[i] !== resource || cols.type[i] !== THREAT || (cols.status[i] ?? 0) > 1) continue;
    if (model.rules[cols.rule[i] ?? -1]?.name === init.name) {
      index = i;
      break;
    }
  }
  const threat = { origin: init.origin, description: init.description ?? null, details: init.details ? structuredClone(init.details) : null };
  if (index >= 0) {
    const updated = changeTime(model, index, time);
    cols.severity[index] = Math.max(cols.severity[index] ?? 0, severity);
    overlayOf(model, index).threat = threat;
    addThreatDetection(model, index, resource, project, rule, origin, severity, updated, threat);
    touch(model, index, updated);
    return index;
  }
  index = appendIssue(model, {
    type: THREAT,
    rule,
    resource,
    project,
    severity,
    status: OPEN,
    createdAt: time,
    statusChangedAt: time,
    updatedAt: time,
    resolvedAt: Number.NaN,
    dueAt: Number.NaN,
  });
  overlayOf(model, index).threat = threat;
  addThreatDetection(model, index, resource, project, rule, origin, severity, time, threat);
  model.version += 1;
  return index;
}

function addThreatDetection(
  model: TenantModel,
  issue: number,
  resource: number,
  project: number,
  rule: number,
  origin: number,
  severity: number,
  time: Millis,
  threat: { description: string | null; details: WizRecord | null },
): void {
  const detection = appendDetection(model, { type: 0, issue, resource, project, rule, origin, severity, createdAt: time, startedAt: time, updatedAt: time });
  model.detectionOverlays.set(detection, { description: threat.description, details: threat.details });
}
