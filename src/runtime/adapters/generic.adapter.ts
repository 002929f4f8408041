import type { WizSeverity } from "../../model/runtime-alert.js";
import { genericRuntimeAlertInputSchema } from "../../model/runtime-alert.js";
import { AdapterInputError } from "./adapter-input-error.js";
import { completeMitre, techniquesForAttackClass } from "./mitre-derivation.js";
import { isoFromText, readPayload } from "./payload-reader.js";
import type { AdaptedAlertDraft, RuntimeAdapter } from "./runtime-adapter.js";
import { cvssBandSeverity, GENERIC_SEVERITY_WORDS } from "./severity-tables.js";

/** The documented generic format (`GenericRuntimeAlertInput`, docs/runtime-sources.md) for RASP/app-level products. */
function adaptGeneric(payload: unknown): AdaptedAlertDraft {
  const p = readPayload("generic", genericRuntimeAlertInputSchema, payload);
  let severity: WizSeverity | undefined = p.severity;
  if (!severity && p.originalSeverity !== undefined) {
    const o = p.originalSeverity;
    const n = typeof o === "number" ? o : /^\d+(\.\d+)?$/u.test(o.trim()) ? Number(o) : NaN;
    severity = Number.isFinite(n) && n >= 0 && n <= 10 ? cvssBandSeverity(n) : GENERIC_SEVERITY_WORDS[String(o).trim().toLowerCase()];
    if (!severity) throw new AdapterInputError("generic", "originalSeverity", `"${String(o).slice(0, 30)}" is neither a known severity word nor a 0-10 score; send "severity" as CRITICAL, HIGH, MEDIUM, LOW or INFORMATIONAL`);
  }
  if (!severity) throw new AdapterInputError("generic", "severity", "missing: send severity (CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL) or originalSeverity");
  const attackClass = p.attackClass ?? p.context?.request?.attackClass ?? null;
  const given = p.mitre && (p.mitre.tactics.length > 0 || p.mitre.techniques.length > 0);
  const mitre = given
    ? completeMitre("generic", { tactics: p.mitre?.tactics ?? [], techniques: p.mitre?.techniques ?? [] }, "payload")
    : completeMitre("generic", { tactics: [], techniques: techniquesForAttackClass(attackClass) }, "derived");
  const request = p.context?.request ? { ...p.context.request, attackClass: p.context.request.attackClass ?? attackClass } : attackClass ? { attackClass } : null;
  return {
    source: "generic",
    sensor: p.sensor,
    ruleId: p.ruleId,
    ruleName: p.ruleName ?? p.ruleId,
    title: p.title,
    description: p.description ?? p.title,
    occurredAt: isoFromText("generic", "occurredAt", p.occurredAt),
    severity,
    originalSeverity: p.originalSeverity === undefined ? null : String(p.originalSeverity),
    mitre,
    context: { ...(p.context ?? {}), request },
    identifiers: p.identifiers ?? {},
    salient: p.salient ?? [],
    sensorLink: p.sensorLink ?? null,
    raw: payload,
  };
}

export const genericAdapter: RuntimeAdapter = { source: "generic", sensor: "generic", adapt: adaptGeneric };
