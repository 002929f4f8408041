import { objectOf, objectsOf, type RawNode } from "./raw-fields.js";

/**
 * An issue's rules: `sourceRules` (what current Wiz records carry), else the deprecated single `sourceRule`
 * (older exports and webhook bodies), so both shapes give the same rule.
 */
export function sourceRulesOf(raw: RawNode): RawNode[] {
  const rules = objectsOf(raw.sourceRules);
  if (rules.length > 0) return rules;
  const single = objectOf(raw.sourceRule);
  return single ? [single] : [];
}
