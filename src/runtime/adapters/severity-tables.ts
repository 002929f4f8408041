import type { WizSeverity } from "../../model/runtime-alert.js";

/**
 * Explicit per-source severity tables to Wiz's enum (documented in docs/runtime-sources.md).
 * Kept as data so an operator reading the docs sees exactly what the code does.
 */

/** Falco / falcosidekick `priority` (syslog levels), lower-cased. */
export const FALCO_PRIORITY_SEVERITY: Readonly<Record<string, WizSeverity>> = {
  emergency: "CRITICAL",
  alert: "CRITICAL",
  critical: "CRITICAL",
  error: "HIGH",
  warning: "MEDIUM",
  notice: "LOW",
  informational: "INFORMATIONAL",
  info: "INFORMATIONAL",
  debug: "INFORMATIONAL",
};

/** Tracee signature `metadata.Properties.Severity` (0..4). */
export const TRACEE_SEVERITY: readonly WizSeverity[] = ["INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL"];

/** KubeArmor `Severity` "1".."10" -> Wiz (index = severity). */
export function kubeArmorSeverity(level: number): WizSeverity {
  if (level >= 9) return "CRITICAL";
  if (level >= 7) return "HIGH";
  if (level >= 4) return "MEDIUM";
  if (level >= 2) return "LOW";
  return "INFORMATIONAL";
}

/** Sysdig Secure numeric severity: 0 = highest ... 7 = info (0-3 "high", 4-5 "medium", 6 "low", 7 "info"). */
export const SYSDIG_SEVERITY: readonly WizSeverity[] = [
  "CRITICAL",
  "HIGH",
  "HIGH",
  "HIGH",
  "MEDIUM",
  "MEDIUM",
  "LOW",
  "INFORMATIONAL",
];

/** AWS GuardDuty decimal score: 9.0-10 critical, 7.0-8.9 high, 4.0-6.9 medium, 1.0-3.9 low, below 1 informational. */
export function guardDutySeverity(score: number): WizSeverity {
  if (score >= 9) return "CRITICAL";
  if (score >= 7) return "HIGH";
  if (score >= 4) return "MEDIUM";
  if (score >= 1) return "LOW";
  return "INFORMATIONAL";
}

/** AWS WAF terminating `action`: an attack that reached the app (COUNT) outranks one that was blocked. */
export const AWS_WAF_ACTION_SEVERITY: Readonly<Record<string, WizSeverity>> = {
  COUNT: "HIGH",
  BLOCK: "MEDIUM",
  CAPTCHA: "LOW",
  CHALLENGE: "LOW",
  ALLOW: "INFORMATIONAL",
};

/** ModSecurity / OWASP CRS message severity (syslog names or 0..7). */
export const MODSECURITY_SEVERITY: Readonly<Record<string, WizSeverity>> = {
  emergency: "CRITICAL",
  "0": "CRITICAL",
  alert: "CRITICAL",
  "1": "CRITICAL",
  critical: "HIGH",
  "2": "HIGH",
  error: "HIGH",
  "3": "HIGH",
  warning: "MEDIUM",
  "4": "MEDIUM",
  notice: "LOW",
  "5": "LOW",
  info: "INFORMATIONAL",
  "6": "INFORMATIONAL",
  debug: "INFORMATIONAL",
  "7": "INFORMATIONAL",
};

/** Generic `originalSeverity` words (case-insensitive). Numbers 0-10 use the CVSS bands instead. */
export const GENERIC_SEVERITY_WORDS: Readonly<Record<string, WizSeverity>> = {
  critical: "CRITICAL",
  fatal: "CRITICAL",
  emergency: "CRITICAL",
  alert: "CRITICAL",
  high: "HIGH",
  error: "HIGH",
  severe: "HIGH",
  major: "HIGH",
  medium: "MEDIUM",
  moderate: "MEDIUM",
  warning: "MEDIUM",
  warn: "MEDIUM",
  low: "LOW",
  minor: "LOW",
  notice: "LOW",
  info: "INFORMATIONAL",
  informational: "INFORMATIONAL",
  debug: "INFORMATIONAL",
  none: "INFORMATIONAL",
};

/** CVSS-style bands for numeric generic severities (0-10). */
export function cvssBandSeverity(score: number): WizSeverity {
  if (score >= 9) return "CRITICAL";
  if (score >= 7) return "HIGH";
  if (score >= 4) return "MEDIUM";
  if (score > 0) return "LOW";
  return "INFORMATIONAL";
}
