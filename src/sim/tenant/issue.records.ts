/**
 * Issues: the generated rows (pure functions of seed, index and generation time), columns, and the issue
 * node built from the base (generated or recorded) plus current columns plus overlay (notes, resolution).
 */
import { parseWizTimestamp } from "../clock.js";
import { NOTE_TEXTS, RESOLUTION_REASONS_REJECTED, RESOLUTION_REASONS_RESOLVED, RESOLUTION_REASONS_THREAT } from "./catalogue.js";
import { recordId } from "./record-ids.js";
import { KIND } from "./record-kinds.js";
import { entitySnapshot, environmentsOf, graphEntity } from "./resource-shapes.js";
import { controlRecord, sourceRuleRecord } from "./rule-shapes.js";
import type { TenantRule } from "./rule.catalogue.js";
import { fieldUnit, recordRandom, rowKey, streamKey } from "./seeded-random.js";
import { at, between, DAY, HISTORY, MINUTE, wizTime, type ResourceFacts, type TenantModel } from "./tenant-model.js";
import { ISSUE_STATUSES, ISSUE_TYPES, SEVERITIES, type Millis, type WizRecord } from "./types.js";

export const TOXIC = 0;
export const THREAT = 1;
export const CONFIGURATION = 2;
export const OPEN = 0;
export const IN_PROGRESS = 1;
export const RESOLVED = 2;
export const REJECTED = 3;

const TYPE_WEIGHTS = [0.3, 0.2, 0.5];
const STATUS_WEIGHTS = [0.45, 0.15, 0.28, 0.12];

export interface IssueSubject {
  type: number;
  rule: number;
  resource: number;
  severity: number;
}

export interface IssueRow extends IssueSubject {
  project: number;
  status: number;
  createdAt: Millis;
  statusChangedAt: Millis;
  updatedAt: Millis;
  resolvedAt: Millis;
  dueAt: Millis;
}

function pickWeighted(weights: readonly number[], u: number): number {
  let acc = 0;
  for (let k = 0; k < weights.length; k += 1) {
    acc += weights[k] ?? 0;
    if (u < acc) return k;
  }
  return weights.length - 1;
}

function rulesForType(model: TenantModel, type: number, u: number): Int32Array {
  const picks = model.picks;
  if (type === TOXIC) return picks.toxicControls;
  if (type === CONFIGURATION) return picks.configurationRules;
  const preferEvents = u < 0.7;
  const first = preferEvents ? picks.eventRules : picks.threatControls;
  return first.length > 0 ? first : preferEvents ? picks.threatControls : picks.eventRules;
}

/** Picks type, rule, resource and severity from a stream of uniform numbers; undefined if no rule can be placed. */
export function pickIssueSubject(model: TenantModel, next: () => number, type?: number): IssueSubject | undefined {
  const wanted = type ?? pickWeighted(TYPE_WEIGHTS, next());
  const u = next();
  for (let attempt = 0; attempt < ISSUE_TYPES.length; attempt += 1) {
    const t = (wanted + attempt) % ISSUE_TYPES.length;
    const rules = rulesForType(model, t, u);
    if (rules.length === 0) continue;
    const rule = rules[Math.floor(next() * rules.length)] ?? 0;
    const resources = model.picks.byRule[rule];
    if (!resources || resources.length === 0) continue;
    const resource = resources[Math.floor(next() * resources.length)] ?? 0;
    const base = SEVERITIES.indexOf(model.rules[rule]?.severity ?? "MEDIUM");
    const shift = next();
    const severity = Math.min(SEVERITIES.length - 1, Math.max(0, base + (shift < 0.15 ? -1 : shift > 0.92 ? 1 : 0)));
    return { type: t, rule, resource, severity };
  }
  return undefined;
}

/** The generated row of issue `index`: a pure function of (seed, index, generation time). */
export function generateIssueRow(model: TenantModel, index: number): IssueRow | undefined {
  const row = rowKey(streamKey(model.seed, KIND.issue), index);
  let field = 10;
  const subject = pickIssueSubject(model, () => fieldUnit(row, field++));
  if (!subject) return undefined;
  const now = model.createdAt;
  const status = pickWeighted(STATUS_WEIGHTS, fieldUnit(row, 20));
  const createdAt = at(now - MINUTE - (HISTORY - MINUTE) * fieldUnit(row, 21));
  const statusChangedAt = status === OPEN && fieldUnit(row, 22) < 0.7 ? createdAt : between(createdAt, now, fieldUnit(row, 23));
  const updatedAt = fieldUnit(row, 24) < 0.4 ? statusChangedAt : between(statusChangedAt, now, fieldUnit(row, 25));
  // An explicit literal (not a spread): one hidden class for every row keeps this loop fast.
  return {
    type: subject.type,
    rule: subject.rule,
    resource: subject.resource,
    severity: subject.severity,
    project: model.stores.cloudResources.cols.project[subject.resource] ?? -1,
    status,
    createdAt,
    statusChangedAt,
    updatedAt,
    resolvedAt: status === RESOLVED ? statusChangedAt : Number.NaN,
    dueAt: fieldUnit(row, 26) < 0.3 ? at(createdAt + (7 + Math.floor(fieldUnit(row, 27) * 53)) * DAY) : Number.NaN,
  };
}

export function writeIssueRow(model: TenantModel, index: number, row: IssueRow): void {
  const cols = model.stores.issues.cols;
  cols.type[index] = row.type;
  cols.rule[index] = row.rule;
  cols.resource[index] = row.resource;
  cols.project[index] = row.project;
  cols.severity[index] = row.severity;
  cols.status[index] = row.status;
  cols.createdAt[index] = row.createdAt;
  cols.statusChangedAt[index] = row.statusChangedAt;
  cols.updatedAt[index] = row.updatedAt;
  cols.resolvedAt[index] = row.resolvedAt;
  cols.dueAt[index] = row.dueAt;
}

export function fillIssueColumns(model: TenantModel): void {
  const size = model.stores.issues.size();
  for (let i = 0; i < size; i += 1) {
    const row = generateIssueRow(model, i);
    if (!row) throw new RangeError("cannot generate issues: the tenant has no cloud resource any rule applies to; raise counts.cloudResources");
    writeIssueRow(model, i, row);
  }
}

/** Appends an issue row (growing the columns) and returns its index. */
export function appendIssue(model: TenantModel, row: IssueRow): number {
  const index = model.stores.issues.append();
  model.stores.issueLinks.append();
  writeIssueRow(model, index, row);
  return index;
}

function generatedNotes(model: TenantModel, index: number): WizRecord[] {
  if (index >= model.baseCounts.issues || model.loaded) return [];
  const rng = recordRandom(model.seed, KIND.issue, index, 2);
  if (!rng.chance(0.3)) return [];
  const row = generateIssueRow(model, index);
  if (!row) return [];
  const users = model.stores.users.size();
  const count = rng.between(1, 2);
  const notes: WizRecord[] = [];
  let last = row.createdAt;
  for (let k = 0; k < count; k += 1) {
    last = between(last, row.updatedAt, rng.next());
    notes.push({
      id: recordId(model.seed, KIND.issueNote, index, k + 1),
      createdAt: wizTime(last),
      updatedAt: wizTime(last),
      text: rng.pick(NOTE_TEXTS),
      user: users > 0 ? model.records.user(rng.int(users)) : null,
      serviceAccount: null,
    });
  }
  return notes;
}

/** The notes an issue had before any mutation: recorded or generated. Fresh objects. */
export function baseIssueNotes(model: TenantModel, index: number): WizRecord[] {
  const loaded = model.loaded?.records.issues?.[index];
  if (loaded) return Array.isArray(loaded.notes) ? (structuredClone(loaded.notes) as WizRecord[]) : [];
  return generatedNotes(model, index);
}

/** Current notes: the overlay once mutated, else the base notes. Fresh objects. */
export function currentIssueNotes(model: TenantModel, index: number): WizRecord[] {
  const overlay = model.issueOverlays.get(index)?.notes;
  return overlay ? structuredClone(overlay) : baseIssueNotes(model, index);
}

function defaultResolutionReason(model: TenantModel, index: number, status: number, type: number): string {
  const rng = recordRandom(model.seed, KIND.issue, index, 10 + status);
  if (status === REJECTED) return rng.pick(RESOLUTION_REASONS_REJECTED);
  return type === THREAT ? rng.pick(RESOLUTION_REASONS_THREAT) : rng.pick(RESOLUTION_REASONS_RESOLVED);
}

function defaultResolutionNote(model: TenantModel, index: number, status: number, type: number): string | null {
  const rng = recordRandom(model.seed, KIND.issue, index, 20 + status);
  if (status === REJECTED) return rng.pick(["Accepted risk until the platform migration completes.", "False positive: the resource only serves public assets.", "Compensating control in place (network ACL)."]);
  if (status === RESOLVED && type === THREAT && rng.chance(0.6)) return rng.pick(["Confirmed benign: scheduled maintenance job.", "Contained: credentials rotated and instance re-imaged.", "Red team exercise."]);
  return null;
}

function evidenceQuery(f: ResourceFacts, rule: TenantRule | undefined, type: number): WizRecord {
  const query: WizRecord = { type: [f.type], select: true, where: { id: { EQUALS: [f.id] } } };
  if (type === TOXIC) {
    query.relationships = [{ type: [{ type: "EXPOSES", reverse: true }], with: { type: ["NETWORK_ADDRESS"], select: true, where: { address: { EQUALS: ["0.0.0.0/0"] } } } }];
  } else if (type === CONFIGURATION) {
    query.relationships = [{ type: [{ type: "APPLIES_TO", reverse: true }], with: { type: ["CONFIGURATION_FINDING"], select: true, where: { rule: { EQUALS: [rule?.id ?? ""] } } } }];
  } else {
    query.relationships = [{ type: [{ type: "ALERTED_ON", reverse: true }], with: { type: ["SECURITY_EVENT_FINDING"], select: true } }];
  }
  return query;
}

function serviceTicket(model: TenantModel, index: number): WizRecord {
  const rng = recordRandom(model.seed, KIND.serviceTicket, index);
  const jira = rng.chance(0.7);
  const key = jira ? `SEC-${rng.between(1000, 9999)}` : `INC00${rng.digits(5)}`;
  return {
    id: recordId(model.seed, KIND.serviceTicket, index),
    externalId: key,
    name: key,
    url: jira ? `https://${model.names.company}.atlassian.net/browse/${key}` : `https://${model.names.company}.service-now.com/nav_to.do?uri=incident.do?sys_id=${rng.hex(32)}`,
    project: null,
    integration: { id: recordId(model.seed, KIND.connector, jira ? 900_001 : 900_002), name: jira ? "Jira" : "ServiceNow", type: jira ? "JIRA" : "SERVICE_NOW", typeConfiguration: null },
  };
}

/** The generated base of an issue node; status-dependent fields are filled by applyIssueState. */
export function generateIssueBase(model: TenantModel, index: number): WizRecord {
  const cols = model.stores.issues.cols;
  const id = recordId(model.seed, KIND.issue, index);
  const type = cols.type[index] ?? 0;
  const rule = model.rules[cols.rule[index] ?? -1];
  const resource = cols.resource[index] ?? -1;
  const facts = resource >= 0 ? model.facts.resource(resource) : undefined;
  const project = cols.project[index] ?? -1;
  const rng = recordRandom(model.seed, KIND.issue, index, 1);
  const hasTicket = index < model.baseCounts.issues && rng.chance(0.15);
  return {
    id,
    type: ISSUE_TYPES[type],
    status: null,
    severity: null,
    createdAt: null,
    updatedAt: null,
    statusChangedAt: null,
    dueAt: null,
    resolvedAt: null,
    rejectionExpiredAt: null,
    resolutionReason: null,
    resolutionNote: null,
    resolvedBy: null,
    url: `https://app.wiz.io/issues#~(issue~'${id})`,
    evidenceQuery: facts ? evidenceQuery(facts, rule, type) : null,
    environments: facts ? environmentsOf(facts) : [],
    sourceRule: rule ? sourceRuleRecord(rule) : null,
    sourceRules: rule ? [sourceRuleRecord(rule)] : [],
    control: rule?.__typename === "Control" ? controlRecord(rule) : null,
    projects: project >= 0 && project < model.stores.projects.size() ? [model.records.project(project)] : [],
    entitySnapshot: facts ? entitySnapshot(facts) : null,
    entity: facts ? graphEntity(model, facts) : null,
    serviceTickets: hasTicket ? [serviceTicket(model, index)] : [],
    notes: [],
    cloudAccounts: facts && facts.accountIndex >= 0 && facts.accountIndex < model.stores.cloudAccounts.size() ? [model.records.cloudAccount(facts.accountIndex)] : [],
    cloudOrganizations: [],
    threatDetectionDetails: null,
    applicationServices: [],
    commentThread: { id: recordId(model.seed, KIND.commentThread, index), hasComments: false },
    threatCenterActors: [],
  };
}

/** Detections linked to an issue, oldest first. */
export function issueDetections(model: TenantModel, index: number): number[] {
  const out: number[] = [];
  const next = model.stores.detectionLinks.cols.nextDetection;
  for (let d = model.stores.issueLinks.cols.firstDetection[index] ?? -1; d >= 0; d = next[d] ?? -1) out.push(d);
  const created = model.stores.detections.cols.createdAt;
  return out.sort((a, b) => (created[a] ?? 0) - (created[b] ?? 0) || a - b);
}

function threatDetails(model: TenantModel, index: number): WizRecord {
  const linked = issueDetections(model, index);
  const main = linked[0];
  const mainDetection = main === undefined ? null : model.records.detection(main, true);
  const overlay = model.issueOverlays.get(index)?.threat;
  const originCol = main === undefined ? -1 : (model.stores.detections.cols.origin[main] ?? -1);
  const rule = model.rules[model.stores.issues.cols.rule[index] ?? -1];
  const actors = Array.isArray(mainDetection?.actors) ? (mainDetection.actors as WizRecord[]) : [];
  const resources = Array.isArray(mainDetection?.resources) ? (mainDetection.resources as WizRecord[]) : [];
  return {
    actors,
    actorsTotalCount: actors.length,
    actorsMaxCountReached: false,
    resources,
    resourcesTotalCount: resources.length,
    resourcesMaxCountReached: false,
    mainDetection,
    detections: linked.map((d) => model.records.detection(d, true)),
    eventOrigin: overlay?.origin ?? model.detectionOrigins[originCol] ?? rule?.origins?.[0] ?? null,
    cloudEventGroups: [],
  };
}

/** Writes the fields that follow the issue's current columns and overlay onto a base record. */
export function applyIssueState(model: TenantModel, index: number, record: WizRecord, nested: boolean): WizRecord {
  const cols = model.stores.issues.cols;
  const status = cols.status[index] ?? 0;
  const type = cols.type[index] ?? 0;
  const overlay = model.issueOverlays.get(index);
  const closed = status === RESOLVED || status === REJECTED;
  const statusChangedAt = cols.statusChangedAt[index] ?? Number.NaN;
  record.type = ISSUE_TYPES[type];
  record.status = ISSUE_STATUSES[status];
  record.severity = SEVERITIES[cols.severity[index] ?? 0];
  record.createdAt = wizTime(cols.createdAt[index] ?? Number.NaN);
  record.updatedAt = wizTime(cols.updatedAt[index] ?? Number.NaN);
  record.statusChangedAt = wizTime(statusChangedAt);
  record.dueAt = wizTime(cols.dueAt[index] ?? Number.NaN);
  record.resolvedAt = wizTime(cols.resolvedAt[index] ?? Number.NaN);
  const recordedReason = typeof record.resolutionReason === "string" ? record.resolutionReason : null;
  const recordedNote = typeof record.resolutionNote === "string" ? record.resolutionNote : null;
  record.resolutionReason =
    overlay?.resolutionReason !== undefined ? overlay.resolutionReason : closed ? (recordedReason ?? defaultResolutionReason(model, index, status, type)) : null;
  record.resolutionNote = overlay?.resolutionNote !== undefined ? overlay.resolutionNote : closed ? (recordedNote ?? defaultResolutionNote(model, index, status, type)) : null;
  record.rejectionExpiredAt = status === REJECTED && recordRandom(model.seed, KIND.issue, index, 3).chance(0.5) ? wizTime(at(statusChangedAt + 90 * DAY)) : null;
  if (overlay?.resolvedBy !== undefined) {
    record.resolvedBy = closed && overlay.resolvedBy ? { user: null, serviceAccount: { ...overlay.resolvedBy } } : null;
  } else if (!closed) {
    record.resolvedBy = null;
  } else if (record.resolvedBy === null || record.resolvedBy === undefined) {
    const users = model.stores.users.size();
    const byUser = status === REJECTED || type === THREAT;
    record.resolvedBy = byUser && users > 0 ? { user: model.records.user(recordRandom(model.seed, KIND.issue, index, 4).int(users)), serviceAccount: null } : null;
  }
  const notes = currentIssueNotes(model, index);
  record.notes = notes;
  const thread = record.commentThread as { id?: unknown } | null | undefined;
  record.commentThread = { id: typeof thread?.id === "string" ? thread.id : recordId(model.seed, KIND.commentThread, index), hasComments: notes.length > 0 };
  const recordedDetails = model.loaded !== undefined && index < model.baseCounts.issues && typeof record.threatDetectionDetails === "object" && record.threatDetectionDetails !== null;
  // Recorded threat details are kept as recorded; generated and created threats are built from linked detections.
  if (nested || type !== THREAT) record.threatDetectionDetails = null;
  else if (!recordedDetails) record.threatDetectionDetails = threatDetails(model, index);
  return record;
}

/** Issue fields that follow the columns and overlays; a replayed issue keeps its recorded values of them until it changes. */
const STATEFUL_ISSUE_FIELDS = [
  "type",
  "status",
  "severity",
  "createdAt",
  "updatedAt",
  "statusChangedAt",
  "dueAt",
  "resolvedAt",
  "resolutionReason",
  "resolutionNote",
  "rejectionExpiredAt",
  "resolvedBy",
  "notes",
  "commentThread",
  "threatDetectionDetails",
] as const;
const ISSUE_TIME_FIELDS = ["createdAt", "updatedAt", "statusChangedAt", "dueAt", "resolvedAt"] as const;

/**
 * A replayed issue: as recorded while nothing changed it (only the fields it lacks come from the current
 * state); once a mutation or activity changed it, the current state, still with the recorded text of each
 * timestamp whose instant did not move.
 */
function replayedIssue(model: TenantModel, index: number, loaded: WizRecord, nested: boolean): WizRecord {
  const state = applyIssueState(model, index, structuredClone(loaded) as WizRecord, nested);
  if (model.changed.issues.has(index)) {
    for (const field of ISSUE_TIME_FIELDS) {
      const recorded = loaded[field];
      if (typeof recorded === "string" && typeof state[field] === "string" && at(parseWizTimestamp(recorded)) === at(parseWizTimestamp(state[field]))) state[field] = recorded;
    }
    return state;
  }
  const record = structuredClone(loaded) as WizRecord;
  const absent = model.loaded?.absent.issues?.[index];
  for (const field of STATEFUL_ISSUE_FIELDS) if (absent === undefined || absent.has(field)) record[field] = state[field];
  if (nested) record.threatDetectionDetails = null;
  return record;
}

/** The issue node for any issue: recorded base (loaded tenants) or generated base, then current state. */
export function buildIssueRecord(model: TenantModel, index: number, nested: boolean): WizRecord {
  const loaded = index < model.baseCounts.issues ? model.loaded?.records.issues?.[index] : undefined;
  return loaded ? replayedIssue(model, index, loaded, nested) : applyIssueState(model, index, generateIssueBase(model, index), nested);
}
