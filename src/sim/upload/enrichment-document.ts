import { z } from "zod";
import type { Severity } from "../tenant/types.js";

/**
 * Validator for the V1 "Wiz Ingestion Model" enrichment document (the JSON a client PUTs to the
 * presigned upload URL). Field lists and required flags follow the published JSON Schema
 * (fixtures/runtime/wiz-ingestion-model-v1.schema.json); its enum values were never rendered, so the
 * enums here are the values public connectors send. Objects are strict because the published schema
 * sets `additionalProperties: false`: a misspelt key fails the upload instead of being ignored.
 */

// RFC 3339 with an offset or Z, as JSON Schema `format: date-time` requires.
const dateTime = z.iso.datetime({ offset: true });

/**
 * Severities as connectors write them: Wiz enum style (HIGH) or capitalised (High, as the Semgrep
 * connector and the tutorial's dataFindings send). Matching is case-insensitive.
 */
const SEVERITY_ALIASES: Readonly<Record<string, Severity>> = {
  informational: "INFORMATIONAL",
  info: "INFORMATIONAL",
  none: "INFORMATIONAL",
  low: "LOW",
  medium: "MEDIUM",
  moderate: "MEDIUM",
  high: "HIGH",
  critical: "CRITICAL",
};

/** Maps an uploaded severity (any case) to the Wiz Severity enum; undefined when not recognised. */
export function toWizSeverity(value: string): Severity | undefined {
  return SEVERITY_ALIASES[value.toLowerCase()];
}

const severity = z.string().refine((s) => toWizSeverity(s) !== undefined, {
  message: `unknown severity; expected one of ${Object.keys(SEVERITY_ALIASES).join(", ")} (any case)`,
});

// MITRE ATT&CK ids: tactics TA0001, techniques T1059 or sub-techniques T1059.001.
const mitreTacticId = z.string().regex(/^TA\d{4}$/, "expected a MITRE ATT&CK tactic id such as TA0002");
const mitreTechniqueId = z.string().regex(/^T\d{4}(\.\d{3})?$/, "expected a MITRE ATT&CK technique id such as T1059 or T1059.001");

const nonEmpty = z.string().min(1);

const assetIdentifier = z
  .strictObject({
    cloudPlatform: nonEmpty,
    providerId: nonEmpty.optional(),
    networkAddress: nonEmpty.optional(),
    endpointUrl: nonEmpty.optional(),
  })
  .refine((a) => [a.providerId, a.networkAddress, a.endpointUrl].filter((v) => v !== undefined).length === 1, {
    message: "assetIdentifier needs exactly one of providerId, networkAddress, endpointUrl",
  });

const cloudConfigFinding = z.strictObject({
  id: z.string().optional(),
  name: nonEmpty,
  status: nonEmpty,
  severity: severity.optional(),
  externalDetectionSource: z.string().optional(),
  detailedName: z.string().optional(),
  version: z.string().optional(),
  externalFindingLink: z.string().optional(),
  source: z.string().optional(),
  description: z.string().optional(),
  remediation: z.string().optional(),
});

const hostConfigFinding = z.strictObject({
  id: z.string().optional(),
  name: nonEmpty,
  status: nonEmpty,
  severity: severity.optional(),
  externalFindingLink: z.string().optional(),
  source: z.string().optional(),
  description: z.string().optional(),
  remediation: z.string().optional(),
});

const vulnerabilityFinding = z.strictObject({
  id: z.string().optional(),
  name: nonEmpty,
  severity,
  externalDetectionSource: z.string().optional(),
  detailedName: z.string().optional(),
  version: z.string().optional(),
  fixedVersion: z.string().optional(),
  externalFindingLink: z.string().optional(),
  source: z.string().optional(),
  description: z.string().optional(),
  remediation: z.string().optional(),
  validatedAtRuntime: z.boolean().optional(),
});

const webAppVulnerabilityFinding = z.strictObject({
  id: z.string().optional(),
  name: nonEmpty,
  severity,
  detailedName: z.string().optional(),
  externalFindingLink: z.string().optional(),
  source: z.string().optional(),
  description: z.string().optional(),
  remediation: z.string().optional(),
  // Not in the published V1 schema, but the Semgrep and Veracode SAST connectors send it.
  sastFinding: z
    .strictObject({
      commitHash: z.string().optional(),
      filename: z.string().optional(),
      lineNumbers: z.string().optional(),
    })
    .optional(),
});

const dataFinding = z.strictObject({
  id: z.string().optional(),
  name: nonEmpty,
  source: z.string().optional(),
  externalFindingLink: z.string().optional(),
  dataCategory: nonEmpty,
  severity: severity.optional(),
  dataClassifierId: nonEmpty,
});

const event = z.strictObject({
  id: nonEmpty,
  timestamp: dateTime,
  name: nonEmpty,
  description: z.string().optional(),
  externalFindingLink: nonEmpty,
  severity,
  // Appmixer's Wiz connector: "at least one value must be present".
  mitreTacticIds: z.array(mitreTacticId).min(1),
  mitreTacticNames: z.array(z.string()).optional(),
  mitreTechniqueIds: z.array(mitreTechniqueId),
  mitreTechniqueNames: z.array(z.string()).optional(),
  principal: z.string().optional(),
  ipAddress: z.string().optional(),
  commandLine: z.string().optional(),
  path: z.string().optional(),
  hash: z.string().optional(),
});

const keyValue = z.strictObject({ key: nonEmpty, value: z.string() });

const asset = z.strictObject({
  assetIdentifier,
  cloudConfigurationFindings: z.array(cloudConfigFinding).optional(),
  hostConfigurationFindings: z.array(hostConfigFinding).optional(),
  vulnerabilityFindings: z.array(vulnerabilityFinding).optional(),
  webAppVulnerabilityFindings: z.array(webAppVulnerabilityFinding).optional(),
  dataFindings: z.array(dataFinding).optional(),
  events: z.array(event).optional(),
  customTags: z.array(keyValue).optional(),
});

const dataSource = z.strictObject({
  id: nonEmpty,
  analysisDate: dateTime.optional(),
  assets: z.array(asset),
});

export const enrichmentDocumentSchema = z.strictObject({
  integrationId: nonEmpty,
  dataSources: z.array(dataSource),
});

/** The object schemas by the definition names the published JSON Schema uses, for cross-checking. */
export const ingestionModelDefinitions = {
  root: enrichmentDocumentSchema,
  dataSource,
  asset,
  cloudConfigFinding,
  hostConfigFinding,
  vulnerabilityFinding,
  webAppVulnerabilityFinding,
  dataFinding,
  event,
  keyValue,
} as const;

export type EnrichmentDocument = z.infer<typeof enrichmentDocumentSchema>;
export type EnrichmentAsset = z.infer<typeof asset>;
export type EnrichmentEvent = z.infer<typeof event>;

/** The finding arrays of an asset; each counts towards the `findings` statistic. */
export const FINDING_CATEGORIES = [
  "vulnerabilityFindings",
  "webAppVulnerabilityFindings",
  "dataFindings",
  "cloudConfigurationFindings",
  "hostConfigurationFindings",
] as const;
export type FindingCategory = (typeof FINDING_CATEGORIES)[number];

export type ParseResult = { ok: true; document: EnrichmentDocument } | { ok: false; statusInfo: string };

// Enough issues to fix a document in one round trip without flooding statusInfo.
const MAX_REPORTED_ISSUES = 5;

/** Parses and validates an uploaded body; on failure returns the message shown as systemActivity.statusInfo. */
export function parseEnrichmentDocument(body: Buffer): ParseResult {
  let text = body.toString("utf8");
  // Editors on Windows add a BOM; it says nothing about the content, so it should not fail the upload.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, statusInfo: `Failed to parse uploaded file: not valid JSON (${reason})` };
  }
  const result = enrichmentDocumentSchema.safeParse(json);
  if (result.success) return { ok: true, document: result.data };
  const issues = result.error.issues;
  const shown = issues.slice(0, MAX_REPORTED_ISSUES).map((issue) => `${formatPath(issue.path)}: ${describe(issue)}`);
  const more = issues.length > MAX_REPORTED_ISSUES ? ` (and ${issues.length - MAX_REPORTED_ISSUES} more)` : "";
  return { ok: false, statusInfo: `Uploaded file does not match the Wiz ingestion model: ${shown.join("; ")}${more}` };
}

/** zod words a missing field as "expected string, received undefined"; "required" is what a reader needs. */
function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type" && issue.message.endsWith("received undefined")) return `required field missing (${issue.expected})`;
  return issue.message;
}

/** `dataSources[0].assets[2].events[0].mitreTacticIds`, the way a reader locates the field in the file. */
function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out === "" ? "(document)" : out;
}
