import { z } from "zod";
import { WIZ_SEVERITIES, type WizSeverity } from "../../model/canonical/index.js";

/** Maps Wiz's five tiers to the levels a destination knows. Data, so users can write their own per connector. */
export interface SeverityLadder {
  name: string;
  levels: Readonly<Record<WizSeverity, string>>;
}

export const WIZ_LADDER: SeverityLadder = Object.freeze({
  name: "wiz",
  levels: Object.freeze({ INFORMATIONAL: "INFORMATIONAL", LOW: "LOW", MEDIUM: "MEDIUM", HIGH: "HIGH", CRITICAL: "CRITICAL" }),
});

/** What vulnerability managers ship: critical and high fold into one "high". */
export const FOUR_TIER_LADDER: SeverityLadder = Object.freeze({
  name: "four-tier",
  levels: Object.freeze({ INFORMATIONAL: "info", LOW: "low", MEDIUM: "medium", HIGH: "high", CRITICAL: "high" }),
});

export const BUILT_IN_LADDERS: Readonly<Record<string, SeverityLadder>> = Object.freeze({ wiz: WIZ_LADDER, "four-tier": FOUR_TIER_LADDER });

/** A user's ladder: every Wiz tier must map somewhere, so no record loses its severity. */
export const customLadderSchema = z.strictObject({
  name: z.string().min(1).optional(),
  levels: z.strictObject({
    INFORMATIONAL: z.string().min(1),
    LOW: z.string().min(1),
    MEDIUM: z.string().min(1),
    HIGH: z.string().min(1),
    CRITICAL: z.string().min(1),
  }),
});

export const severityLadderSettingSchema = z.union([z.enum(["wiz", "four-tier"]), customLadderSchema]);
export type SeverityLadderSetting = z.input<typeof severityLadderSettingSchema>;

export function resolveSeverityLadder(setting: SeverityLadderSetting | undefined): SeverityLadder {
  if (setting === undefined || setting === "wiz") return WIZ_LADDER;
  if (setting === "four-tier") return FOUR_TIER_LADDER;
  return { name: setting.name ?? "custom", levels: { ...setting.levels } };
}

/** OCSF severity_id: 1 Informational .. 5 Critical; 0 Unknown when Wiz sent none. */
export const OCSF_SEVERITY_IDS: Readonly<Record<WizSeverity, number>> = Object.freeze({ INFORMATIONAL: 1, LOW: 2, MEDIUM: 3, HIGH: 4, CRITICAL: 5 });

/** ECS event.severity: the risk scale Elastic's detection rules use (21/47/73/99), informational 0 as Elastic's Wiz Defend pipeline writes it. */
export const ECS_EVENT_SEVERITY: Readonly<Record<WizSeverity, number>> = Object.freeze({ INFORMATIONAL: 0, LOW: 21, MEDIUM: 47, HIGH: 73, CRITICAL: 99 });

const TIERS = new Set<string>(WIZ_SEVERITIES);

/** A Wiz severity from a payload value; `NONE` and anything unknown are null (unknown severity). */
export function wizSeverityOf(value: unknown): WizSeverity | null {
  return typeof value === "string" && TIERS.has(value) ? (value as WizSeverity) : null;
}

export function ocsfSeverityIdOf(severity: WizSeverity | null): number {
  return severity === null ? 0 : OCSF_SEVERITY_IDS[severity];
}

export function ecsEventSeverityOf(severity: WizSeverity | null): number | null {
  return severity === null ? null : ECS_EVENT_SEVERITY[severity];
}
