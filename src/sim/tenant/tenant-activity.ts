/**
 * Background activity between two simulator times: new issues, findings and detections, updates and
 * resolutions, all stamped inside (previous, now]. Deterministic given the seed, the two times and the
 * tenant's current state, so a replayed clock replays the same activity.
 */
import { appendDetection, issueDetectionRow, matchOnlyDetectionRow } from "./detection.records.js";
import { appendIssue, IN_PROGRESS, OPEN, pickIssueSubject, RESOLVED, THREAT } from "./issue.records.js";
import { KIND } from "./record-kinds.js";
import { mix32, SeededRandom, streamKey } from "./seeded-random.js";
import { at, DAY, HOUR, markChanged, MINUTE, type TenantModel } from "./tenant-model.js";
import type { ActivitySummary, Millis } from "./types.js";
import { appendFinding, assetClassOfTypes, cveClassLists, FINDING_OPEN, FINDING_RESOLVED } from "./vulnerability-finding.records.js";

/** Bounds one call's work when the clock jumps far ahead. */
export const MAX_ACTIVITY_EVENTS = 50_000;

const CREATE_ISSUE = 0;
const UPDATE_ISSUE = 1;
const RESOLVE_ISSUE = 2;
const CREATE_FINDING = 3;
const UPDATE_FINDING = 4;
const CREATE_DETECTION = 5;
const WEIGHTS = [0.22, 0.22, 0.12, 0.2, 0.14, 0.1];
const PICK_ATTEMPTS = 8;

function activityRandom(seed: number, previous: Millis, now: Millis): SeededRandom {
  const fold = (x: number): number => mix32((Math.floor(x) >>> 0) ^ mix32(Math.floor(x / 4294967296)));
  return new SeededRandom(mix32(streamKey(seed, KIND.activity) ^ fold(previous)) ^ mix32(fold(now) + 0x632be5ab));
}

function pickKind(u: number): number {
  let acc = 0;
  for (let k = 0; k < WEIGHTS.length; k += 1) {
    acc += WEIGHTS[k] ?? 0;
    if (u < acc) return k;
  }
  return WEIGHTS.length - 1;
}

/** A random issue that is open or in progress (and of `type`, when given); undefined after a few misses. */
function pickOpenIssue(model: TenantModel, rng: SeededRandom, type?: number): number | undefined {
  const cols = model.stores.issues.cols;
  const size = model.stores.issues.size();
  if (size === 0) return undefined;
  for (let attempt = 0; attempt < PICK_ATTEMPTS; attempt += 1) {
    const i = rng.int(size);
    if ((cols.status[i] ?? 0) <= IN_PROGRESS && (type === undefined || cols.type[i] === type)) return i;
  }
  return undefined;
}

/** A time for a change to issue i at simulated time t, never before its existing timestamps. */
function issueTime(model: TenantModel, i: number, t: Millis): Millis {
  const cols = model.stores.issues.cols;
  return Math.max(t, cols.createdAt[i] ?? -Infinity, cols.statusChangedAt[i] ?? -Infinity, cols.updatedAt[i] ?? -Infinity);
}

export function simulateActivity(model: TenantModel, now: Millis, previous: Millis, ratePerHour: number): ActivitySummary {
  const summary: ActivitySummary = { createdIssues: [], updatedIssues: [], resolvedIssues: [], createdFindings: 0, updatedFindings: 0, createdDetections: [] };
  const end = at(now);
  if (!Number.isFinite(now) || !Number.isFinite(previous) || !(end > previous) || !(ratePerHour > 0) || !Number.isFinite(ratePerHour)) return summary;
  const rng = activityRandom(model.seed, previous, now);
  const expected = (ratePerHour * (now - previous)) / HOUR;
  const count = Math.min(MAX_ACTIVITY_EVENTS, Math.floor(expected) + (rng.next() < expected - Math.floor(expected) ? 1 : 0));
  const events: Array<{ t: Millis; kind: number; k: number }> = [];
  for (let k = 0; k < count; k += 1) {
    let t = at(now - (now - previous) * rng.next());
    if (!(t > previous)) t = end;
    events.push({ t, kind: pickKind(rng.next()), k });
  }
  events.sort((a, b) => a.t - b.t || a.k - b.k);

  const issues = model.stores.issues;
  const findings = model.stores.vulnerabilityFindings;
  const classes = cveClassLists(model.cves);
  const classOfType = assetClassOfTypes(model);
  const next = (): number => rng.next();
  const updated = new Set<number>();
  const created = new Set<number>();
  const resolved = new Set<number>();
  for (const { t, kind } of events) {
    switch (kind) {
      case CREATE_ISSUE: {
        const subject = pickIssueSubject(model, next);
        if (!subject) break;
        const index = appendIssue(model, {
          ...subject,
          project: model.stores.cloudResources.cols.project[subject.resource] ?? -1,
          status: OPEN,
          createdAt: t,
          statusChangedAt: t,
          updatedAt: t,
          resolvedAt: Number.NaN,
          dueAt: rng.chance(0.2) ? at(t + 14 * DAY) : Number.NaN,
        });
        created.add(index);
        summary.createdIssues.push(index);
        if (subject.type === THREAT) {
          const row = issueDetectionRow(model, index, true, next);
          summary.createdDetections.push(appendDetection(model, { ...row, createdAt: t, updatedAt: t, startedAt: at(t - MINUTE * (1 + rng.int(20))) }));
        }
        break;
      }
      case UPDATE_ISSUE: {
        const i = pickOpenIssue(model, rng);
        if (i === undefined) break;
        const time = issueTime(model, i, t);
        const u = rng.next();
        if (u < 0.5) {
          const severity = issues.cols.severity[i] ?? 2;
          issues.cols.severity[i] = Math.min(4, Math.max(0, severity + (rng.chance(0.5) ? 1 : -1)));
        } else if (u < 0.8) {
          issues.cols.status[i] = issues.cols.status[i] === OPEN ? IN_PROGRESS : OPEN;
          issues.cols.statusChangedAt[i] = time;
        } else if (issues.cols.type[i] === THREAT) {
          const row = issueDetectionRow(model, i, false, next);
          summary.createdDetections.push(appendDetection(model, { ...row, createdAt: time, updatedAt: time, startedAt: at(time - MINUTE * (1 + rng.int(9))) }));
        }
        issues.cols.updatedAt[i] = time;
        markChanged(model, "issues", i);
        updated.add(i);
        break;
      }
      case RESOLVE_ISSUE: {
        const i = pickOpenIssue(model, rng);
        if (i === undefined) break;
        const time = issueTime(model, i, t);
        issues.cols.status[i] = RESOLVED;
        issues.cols.statusChangedAt[i] = time;
        issues.cols.resolvedAt[i] = time;
        issues.cols.updatedAt[i] = time;
        markChanged(model, "issues", i);
        // Wiz resolved it (the cause went away): resolution fields fall back to the generated defaults.
        const overlay = model.issueOverlays.get(i);
        if (overlay) {
          overlay.resolutionReason = undefined;
          overlay.resolutionNote = undefined;
          overlay.resolvedBy = undefined;
        }
        resolved.add(i);
        break;
      }
      case CREATE_FINDING: {
        const vulnerable = model.picks.vulnerable;
        if (vulnerable.length === 0) break;
        const resource = vulnerable[rng.int(vulnerable.length)] ?? 0;
        const list = classes[classOfType[model.stores.cloudResources.cols.type[resource] ?? 0] ?? 0];
        if (!list || list.length === 0) break;
        appendFinding(model, { resource, cve: list[rng.int(list.length)] ?? 0, status: FINDING_OPEN, firstDetectedAt: t, lastDetectedAt: t, resolvedAt: Number.NaN, updatedAt: t });
        summary.createdFindings += 1;
        break;
      }
      case UPDATE_FINDING: {
        const size = findings.size();
        if (size === 0) break;
        const f = rng.int(size);
        const cols = findings.cols;
        const time = Math.max(t, cols.updatedAt[f] ?? -Infinity, cols.firstDetectedAt[f] ?? -Infinity);
        const status = cols.status[f] ?? 0;
        if (status === FINDING_OPEN) {
          if (rng.chance(0.6)) {
            cols.lastDetectedAt[f] = time;
          } else {
            cols.status[f] = FINDING_RESOLVED;
            cols.resolvedAt[f] = time;
          }
        } else if (status === FINDING_RESOLVED && rng.chance(0.3)) {
          cols.status[f] = FINDING_OPEN;
          cols.resolvedAt[f] = Number.NaN;
          cols.lastDetectedAt[f] = time;
        } else {
          break;
        }
        cols.updatedAt[f] = time;
        markChanged(model, "vulnerabilityFindings", f);
        summary.updatedFindings += 1;
        break;
      }
      case CREATE_DETECTION: {
        const i = rng.chance(0.6) ? pickOpenIssue(model, rng, THREAT) : undefined;
        if (i !== undefined) {
          const time = issueTime(model, i, t);
          const row = issueDetectionRow(model, i, false, next);
          summary.createdDetections.push(appendDetection(model, { ...row, createdAt: time, updatedAt: time, startedAt: at(time - MINUTE * (1 + rng.int(9))) }));
          issues.cols.severity[i] = Math.max(issues.cols.severity[i] ?? 0, row.severity);
          issues.cols.updatedAt[i] = time;
          markChanged(model, "issues", i);
          updated.add(i);
        } else {
          const row = matchOnlyDetectionRow(model, t, next);
          if (row) summary.createdDetections.push(appendDetection(model, row));
        }
        break;
      }
    }
  }
  summary.resolvedIssues = [...resolved];
  summary.updatedIssues = [...updated].filter((i) => !created.has(i) && !resolved.has(i));
  if (summary.createdIssues.length + summary.updatedIssues.length + summary.resolvedIssues.length + summary.createdFindings + summary.updatedFindings + summary.createdDetections.length > 0) {
    model.version += 1;
  }
  return summary;
}
