/** Rules as Wiz returns them: the IssueSourceRule members (Control, CloudConfigurationRule, CloudEventRule). */
import { CIS_FRAMEWORK, MITRE_FRAMEWORK, MITRE_TACTICS, MITRE_TECHNIQUES, WIZ_FRAMEWORK } from "./catalogue.js";
import type { TenantRule } from "./rule.catalogue.js";
import type { WizRecord } from "./types.js";

function mitreSubCategories(rule: TenantRule): WizRecord[] {
  return rule.techniques.map((techniqueId) => {
    const technique = MITRE_TECHNIQUES.find((t) => t.id === techniqueId);
    const tactic = MITRE_TACTICS.find((t) => t.id === technique?.tactic);
    return {
      id: `wsct-id-${techniqueId.toLowerCase().replace(/\./g, "-")}`,
      title: `${techniqueId} ${technique?.name ?? ""}`.trim(),
      description: null,
      resolutionRecommendation: null,
      category: { id: `wct-id-${(tactic?.id ?? "unknown").toLowerCase()}`, name: tactic ? `${tactic.id} ${tactic.name}` : "Unknown", framework: { ...MITRE_FRAMEWORK } },
    };
  });
}

/** Framework sub-categories of a rule: MITRE ATT&CK for threats, CIS / Wiz categories otherwise. */
export function securitySubCategories(rule: TenantRule): WizRecord[] {
  if (rule.techniques.length > 0) return mitreSubCategories(rule);
  if (rule.__typename === "CloudConfigurationRule") {
    return [
      {
        id: `wsct-id-cis-${(rule.shortId ?? rule.id).toLowerCase()}`,
        title: `${rule.serviceType ?? "Cloud"} hardening`,
        description: null,
        resolutionRecommendation: rule.remediation,
        category: { id: "wct-id-cis-secure-configuration", name: "Secure Configuration of Enterprise Assets and Software", framework: { ...CIS_FRAMEWORK } },
      },
    ];
  }
  return rule.risks.map((risk) => ({
    id: `wsct-id-${risk.toLowerCase().replace(/_/g, "-")}`,
    title: risk.replace(/_/g, " ").toLowerCase().replace(/^\w/, (c) => c.toUpperCase()),
    description: null,
    resolutionRecommendation: null,
    category: { id: "wct-id-toxic-combinations", name: "Toxic Combinations", framework: { ...WIZ_FRAMEWORK } },
  }));
}

/** The Control object (also used for `Issue.control`). */
export function controlRecord(rule: TenantRule): WizRecord {
  return {
    __typename: "Control",
    id: rule.id,
    name: rule.name,
    description: rule.description,
    severity: rule.severity,
    type: "SECURITY_GRAPH",
    query: { type: rule.subjectTypes.length > 0 ? [...rule.subjectTypes] : ["CLOUD_RESOURCE"], select: true, where: {} },
    enabled: true,
    enabledForLBI: true,
    enabledForMBI: true,
    enabledForHBI: true,
    enabledForUnattributed: true,
    builtin: rule.builtin,
    createdBy: null,
    resolutionRecommendation: rule.remediation,
    tagsV2: [],
    risks: [...rule.risks],
    threats: rule.techniques.length > 0 ? ["THREAT_ACTIVITY"] : [],
    securitySubCategories: securitySubCategories(rule),
    sourceCloudConfigurationRule: null,
    serviceTickets: [],
  };
}

/** The CloudConfigurationRule object (issue sourceRule and configuration finding rule). */
export function configurationRuleRecord(rule: TenantRule): WizRecord {
  return {
    __typename: "CloudConfigurationRule",
    id: rule.id,
    shortId: rule.shortId ?? null,
    name: rule.name,
    description: rule.description,
    remediationInstructions: rule.remediation,
    serviceType: rule.serviceType ?? null,
    subjectEntityType: rule.subjectTypes[0] ?? null,
    cloudProvider: rule.cloudProvider ?? null,
    severity: rule.severity,
    builtin: rule.builtin,
    enabled: true,
    hasAutoRemediation: false,
    createdBy: null,
    tags: [],
    risks: [...rule.risks],
    threats: [],
    control: null,
    securitySubCategories: securitySubCategories(rule),
  };
}

/** The CloudEventRule object (issue sourceRule and detection ruleMatch.rule). */
export function cloudEventRuleRecord(rule: TenantRule): WizRecord {
  const subCategories = securitySubCategories(rule);
  return {
    __typename: "CloudEventRule",
    id: rule.id,
    name: rule.name,
    description: rule.description,
    builtInId: rule.builtin ? `wiz-${(rule.origins?.[0] ?? "event").toLowerCase().replace(/_/g, "-")}-${rule.id.slice(0, 8)}` : null,
    sourceType: rule.origins?.[0] === "WIZ_SENSOR" ? "RUNTIME" : "CLOUD_EVENTS",
    type: rule.builtin ? "BUILT_IN" : "CUSTOM",
    severity: rule.severity,
    origins: [...(rule.origins ?? [])],
    builtin: rule.builtin,
    enabled: true,
    generateIssues: true,
    generateFindings: true,
    createdBy: null,
    risks: [...rule.risks],
    threats: ["THREAT_ACTIVITY"],
    securitySubCategories: subCategories,
    subCategories: securitySubCategories(rule),
    params: null,
  };
}

/** The issue's `sourceRule` union member for its rule. */
export function sourceRuleRecord(rule: TenantRule): WizRecord {
  switch (rule.__typename) {
    case "Control":
      return controlRecord(rule);
    case "CloudConfigurationRule":
      return configurationRuleRecord(rule);
    case "CloudEventRule":
      return cloudEventRuleRecord(rule);
  }
}
