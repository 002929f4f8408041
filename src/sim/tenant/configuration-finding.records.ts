/** Cloud configuration findings: a Cloud Configuration Rule evaluated on one resource (FAIL while open). */
import { recordId } from "./record-ids.js";
import { KIND } from "./record-kinds.js";
import { configurationFindingResource } from "./resource-shapes.js";
import { configurationRuleRecord } from "./rule-shapes.js";
import { fieldUnit, rowKey, streamKey } from "./seeded-random.js";
import { at, between, HISTORY, HOUR, MINUTE, wizTime, type TenantModel } from "./tenant-model.js";
import { SEVERITIES, type WizRecord } from "./types.js";

export function fillConfigurationFindingColumns(model: TenantModel): void {
  const store = model.stores.configurationFindings;
  const size = store.size();
  const rules = model.picks.configurationRules;
  if (size > 0 && rules.length === 0) throw new RangeError("cannot generate configuration findings: no cloud resource matches a configuration rule; raise counts.cloudResources");
  const cols = store.cols;
  const resourceProject = model.stores.cloudResources.cols.project;
  const stream = streamKey(model.seed, KIND.configurationFinding);
  const now = model.createdAt;
  for (let i = 0; i < size; i += 1) {
    const row = rowKey(stream, i);
    const rule = rules[Math.floor(fieldUnit(row, 0) * rules.length)] ?? 0;
    const resources = model.picks.byRule[rule] ?? new Int32Array(1);
    const resource = resources[Math.floor(fieldUnit(row, 1) * resources.length)] ?? 0;
    const updatedAt = at(now - MINUTE - HISTORY * fieldUnit(row, 3));
    cols.rule[i] = rule;
    cols.resource[i] = resource;
    cols.project[i] = resourceProject[resource] ?? -1;
    cols.severity[i] = Math.max(0, SEVERITIES.indexOf(model.rules[rule]?.severity ?? "MEDIUM"));
    cols.status[i] = fieldUnit(row, 2) < 0.6 ? 0 : 1;
    cols.updatedAt[i] = updatedAt;
    cols.analyzedAt[i] = between(Math.max(updatedAt, now - 48 * HOUR), now, fieldUnit(row, 4));
  }
}

/** The configuration finding node. */
export function buildConfigurationFindingRecord(model: TenantModel, index: number): WizRecord {
  const cols = model.stores.configurationFindings.cols;
  const open = (cols.status[index] ?? 0) === 0;
  const loaded = model.loaded?.records.configurationFindings?.[index];
  if (loaded) {
    // Configuration findings never change after load: served as recorded, with only the non-null fields they lack derived.
    const record = structuredClone(loaded) as WizRecord;
    const absent = model.loaded?.absent.configurationFindings?.[index];
    const lacks = (field: string): boolean => absent === undefined || absent.has(field);
    if (lacks("updatedAt")) record.updatedAt = wizTime(cols.updatedAt[index] ?? Number.NaN);
    if (lacks("analyzedAt")) record.analyzedAt = wizTime(cols.analyzedAt[index] ?? Number.NaN);
    if (lacks("severity")) record.severity = SEVERITIES[cols.severity[index] ?? 2];
    if (lacks("result")) record.result = open ? "FAIL" : "PASS";
    return record;
  }
  const rule = model.rules[cols.rule[index] ?? 0];
  const facts = model.facts.resource(cols.resource[index] ?? 0);
  return {
    id: recordId(model.seed, KIND.configurationFinding, index),
    name: rule?.name ?? null,
    analyzedAt: wizTime(cols.analyzedAt[index] ?? Number.NaN),
    updatedAt: wizTime(cols.updatedAt[index] ?? Number.NaN),
    deletedAt: wizTime(facts.deletedAt),
    severity: SEVERITIES[cols.severity[index] ?? 2],
    result: open ? "FAIL" : "PASS",
    status: open ? "OPEN" : "RESOLVED",
    remediation: rule?.remediation ?? null,
    resource: configurationFindingResource(model, facts),
    rule: rule ? configurationRuleRecord(rule) : null,
    evidence: {
      currentValue: open ? (rule?.currentValue ?? null) : (rule?.expectedValue ?? null),
      expectedValue: rule?.expectedValue ?? null,
      configurationPath: rule?.configurationPath ?? null,
      cloudConfigurationLink: facts.cloudProviderURL,
    },
  };
}
