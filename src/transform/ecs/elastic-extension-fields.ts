/**
 * Fields outside ECS that Elastic's own Wiz integration writes for its cloud security (CDR) views, declared in
 * that package's field files rather than in ECS. We write them with the same values so those views work; the
 * ECS validation in the golden tests accepts exactly these beyond `EcsFlat` (docs/output-profiles.md).
 */
export const ELASTIC_WIZ_EXTENSION_FIELDS: Readonly<Record<string, "keyword" | "object">> = Object.freeze({
  "resource.id": "keyword",
  "resource.name": "keyword",
  "resource.type": "keyword",
  "resource.sub_type": "keyword",
  "result.evaluation": "keyword",
  "result.evidence": "object",
  "rule.remediation": "keyword",
  "package.fixed_version": "keyword",
  "vulnerability.cwe": "keyword",
  "vulnerability.package.name": "keyword",
  "vulnerability.package.version": "keyword",
  "vulnerability.package.fixed_version": "keyword",
});
