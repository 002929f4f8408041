import { portalLinkOf } from "./portal-links.js";
import type { StreamName } from "./stream-name.js";
import type { NormalisedRecord } from "./wiz-event.js";

type Raw = Record<string, unknown>;

function text(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

function child(value: unknown, key: string): unknown {
  return value !== null && typeof value === "object" ? (value as Raw)[key] : undefined;
}

interface Extracted {
  type: string | null;
  title: string | null;
  status: string | null;
  severity: string | null;
  createdAt: string | null;
  updatedAt: string | null;
  portalUrl: string | null;
}

/** Per stream: where the common fields live in that stream's Wiz payload. */
const EXTRACTORS: Readonly<Record<StreamName, (r: Raw) => Extracted>> = {
  issues: issueFields,
  threats: issueFields,
  vulnerabilityFindings: (r) => ({
    type: text(child(r.vulnerableAsset, "type")),
    title: joinTitle(text(r.name), text(child(r.vulnerableAsset, "name"))),
    status: text(r.status),
    severity: text(r.vendorSeverity) ?? text(r.CVSSSeverity),
    createdAt: text(r.firstDetectedAt),
    updatedAt: text(r.updatedAt),
    portalUrl: text(r.portalUrl),
  }),
  cloudResources: (r) => ({
    type: text(r.type),
    title: text(r.name),
    status: text(r.status),
    severity: null,
    createdAt: text(r.createdAt) ?? text(r.firstSeen),
    updatedAt: text(r.updatedAt),
    portalUrl: null,
  }),
  configurationFindings: (r) => ({
    type: text(r.result),
    title: text(r.name) ?? text(child(r.rule, "name")),
    status: text(r.status),
    severity: text(r.severity),
    createdAt: text(r.analyzedAt),
    updatedAt: text(r.updatedAt),
    portalUrl: null,
  }),
  detections: (r) => ({
    type: text(r.type),
    title: text(child(child(r.ruleMatch, "rule"), "name")),
    status: text(r.status),
    severity: text(r.severity),
    createdAt: text(r.createdAt),
    updatedAt: text(r.updatedAt),
    portalUrl: null,
  }),
  auditLogEntries: (r) => ({
    type: text(r.action),
    title: text(r.action),
    status: text(r.status),
    severity: null,
    createdAt: text(r.timestamp),
    updatedAt: text(r.timestamp),
    portalUrl: null,
  }),
  projects: (r) => ({
    type: r.isFolder === true ? "FOLDER" : "PROJECT",
    title: text(r.name),
    status: r.archived === true ? "ARCHIVED" : "ACTIVE",
    severity: null,
    createdAt: null,
    updatedAt: null,
    portalUrl: null,
  }),
  versionControlResources: (r) => ({
    type: text(r.type),
    title: text(r.name),
    status: null,
    severity: null,
    createdAt: null,
    updatedAt: null,
    // `url` is the repository's own page; the event links to the record in Wiz.
    portalUrl: null,
  }),
};

function issueFields(r: Raw): Extracted {
  return {
    type: text(r.type),
    title: joinTitle(text(child(r.sourceRule, "name")), text(child(r.entitySnapshot, "name"))),
    status: text(r.status),
    severity: text(r.severity),
    createdAt: text(r.createdAt),
    updatedAt: text(r.updatedAt),
    portalUrl: text(r.url),
  };
}

function joinTitle(what: string | null, where: string | null): string | null {
  if (what && where) return `${what} on ${where}`;
  return what ?? where;
}

/**
 * Extracts the common fields of one Wiz record; the full payload travels beside it as `raw`. Records
 * without a portal link in their payload get one built from the portal origin.
 */
export function normaliseRecord(stream: StreamName, raw: Raw, portalOrigin: string): NormalisedRecord {
  const id = String(raw.id);
  const fields = EXTRACTORS[stream](raw);
  return { id, ...fields, portalUrl: fields.portalUrl ?? portalLinkOf(portalOrigin, stream, id, fields.type) };
}
