import {
  DEFAULT_TECHNIQUE_BY_TACTIC,
  MITRE_FALLBACK_BY_SOURCE,
  TACTIC_ID_BY_NAME,
  TACTIC_ID_BY_TECHNIQUE,
  TECHNIQUES_BY_ATTACK_CLASS,
} from "./mitre-tables.js";
import { distinct } from "./payload-reader.js";

export interface MitreDraft {
  tactics: string[];
  techniques: string[];
  origin: "payload" | "derived" | "fallback";
}

const TECHNIQUE = /(?:^|[^A-Z0-9])T(\d{4})(?:[._](\d{3}))?(?!\d)/u;
const TACTIC = /(?:^|[^A-Z0-9])TA(\d{4})(?!\d)/u;

/** Technique/tactic ids and tactic names found in free-form tags (`T1555`, `mitre_credential_access`, `MITRE_T1036_masquerading`). */
export function mitreHintsOf(tags: readonly string[]): { tactics: string[]; techniques: string[] } {
  const tactics: string[] = [];
  const techniques: string[] = [];
  for (const raw of tags) {
    const tag = raw.trim();
    const tech = TECHNIQUE.exec(tag.toUpperCase());
    if (tech) techniques.push(tech[2] ? `T${tech[1]}.${tech[2]}` : `T${tech[1]}`);
    const tac = TACTIC.exec(tag.toUpperCase());
    if (tac) tactics.push(`TA${tac[1]}`);
    const name = tag
      .toLowerCase()
      .replace(/^mitre[_:\s-]*/u, "")
      .replace(/[\s-]+/gu, "_");
    const byName = TACTIC_ID_BY_NAME[name];
    if (byName) tactics.push(byName);
  }
  return { tactics: distinct(tactics), techniques: distinct(techniques) };
}

/**
 * Completes partial MITRE data so both lists are non-empty: tactics missing -> from the techniques'
 * primary tactic; techniques missing -> the tactic's representative technique; nothing at all ->
 * the per-source fallback. `origin` says how much came from the payload.
 */
export function completeMitre(
  source: string,
  hints: { tactics: readonly string[]; techniques: readonly string[] },
  origin: "payload" | "derived",
): MitreDraft {
  let tactics = distinct(hints.tactics);
  let techniques = distinct(hints.techniques);
  if (tactics.length === 0 && techniques.length === 0) {
    const fb = MITRE_FALLBACK_BY_SOURCE[source] ?? { tactics: ["TA0002"], techniques: ["T1059"] };
    return { tactics: [...fb.tactics], techniques: [...fb.techniques], origin: "fallback" };
  }
  let completed = false;
  if (tactics.length === 0) {
    tactics = distinct(techniques.map((t) => TACTIC_ID_BY_TECHNIQUE[t.slice(0, 5)]));
    completed = true;
    if (tactics.length === 0) tactics = [...(MITRE_FALLBACK_BY_SOURCE[source]?.tactics ?? ["TA0002"])];
  }
  if (techniques.length === 0) {
    techniques = distinct(tactics.map((t) => DEFAULT_TECHNIQUE_BY_TACTIC[t]));
    completed = true;
    if (techniques.length === 0) techniques = [...(MITRE_FALLBACK_BY_SOURCE[source]?.techniques ?? ["T1059"])];
  }
  return { tactics, techniques, origin: completed ? "derived" : origin };
}

/** Techniques for a web/app attack class name (`SQL_INJECTION`, `attack-sqli`, `xss`...). */
export function techniquesForAttackClass(attackClass: string | null | undefined): string[] {
  if (!attackClass) return [];
  const key = attackClass
    .toLowerCase()
    .replace(/^attack[-_]/u, "")
    .replace(/[\s-]+/gu, "_");
  return [...(TECHNIQUES_BY_ATTACK_CLASS[key] ?? [])];
}
