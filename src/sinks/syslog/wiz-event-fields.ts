import { WIZ_SEVERITIES, type WizSeverity } from "../../model/canonical/common.js";
import type { SinkRecord } from "../sink.js";
import { objectMembers, scanWizEvent, type MemberSpec, type WizEventScan } from "./wiz-event-scan.js";

/** The resource a record is about, as far as a SIEM field needs it. */
export interface SyslogResourceFields {
  id: string | null;
  name: string | null;
  type: string | null;
  providerUniqueId: string | null;
  cloudPlatform: string | null;
  region: string | null;
  account: string | null;
}

/**
 * What the syslog header, CEF and LEEF need of one WizEvent, read once. Canonical records fill all of it;
 * other profiles (ocsf, ecs, map:) have other shapes, so only the envelope and a few generic fields are
 * read from them (`canonical` false).
 */
export interface SyslogEventFields extends Omit<SyslogEventHeader, "recordStart"> {
  /** The Wiz id of the record. */
  wizId: string | null;
  title: string | null;
  status: string | null;
  portalUrl: string | null;
  /** Rule/control id, CVE or audit action: what a SIEM groups events of one kind by; the stream name when there is none. */
  signatureId: string;
  /** Title, else rule name, else a generic name. */
  name: string;
  ruleId: string | null;
  ruleName: string | null;
  cve: string | null;
  cvssScore: number | null;
  description: string | null;
  createdAt: string | null;
  updatedAt: string | null;
  resource: SyslogResourceFields | null;
  /** Audit log entries: who did it, from where (an IP address, else null: CEF and LEEF type `src` as one), with what. */
  user: string | null;
  sourceIp: string | null;
  userAgent: string | null;
}

/** The payload is not a WizEvent: refused for good (writing it again would fail again). */
export class MalformedEventError extends Error {
  override readonly name = "MalformedEventError";
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
/** An object value as objectMembers gives it (a Map of the read members), or a plain object. */
const obj = (v: unknown): ReadonlyMap<string, unknown> | null => (v instanceof Map ? v : isObj(v) ? new Map(Object.entries(v)) : null);

const SEVERITY_BY_UPPER = new Map<string, WizSeverity>(WIZ_SEVERITIES.map((s) => [s, s]));

/** A Wiz tier from a severity value in any case ("Critical" from OCSF is CRITICAL too); null otherwise. */
function wizSeverityOf(value: unknown): WizSeverity | null {
  return typeof value === "string" ? (SEVERITY_BY_UPPER.get(value.toUpperCase()) ?? null) : null;
}

/** What the syslog header needs of one event: found by a scan, without parsing the whole payload. */
export interface SyslogEventHeader {
  eventId: string;
  stream: string;
  connector: string;
  kind: string;
  observedAt: string | null;
  profile: string;
  /** A canonical record (profile canonical and a recordType). */
  canonical: boolean;
  recordType: string | null;
  severity: WizSeverity | null;
  /** Where `record` starts in the payload text. */
  recordStart: number | undefined;
}

/** The header fields of one outbox record; throws MalformedEventError when the payload is not a JSON object. */
export function eventHeaderOf(record: SinkRecord): SyslogEventHeader {
  let scan: WizEventScan;
  try {
    scan = scanWizEvent(record.payload);
  } catch (error) {
    throw new MalformedEventError(`payload is not JSON (${(error as Error).message}); it cannot be formatted as a syslog message`);
  }
  const profile = scan.profile ?? "canonical";
  const recordType = scan.recordType ?? null;
  return {
    eventId: record.eventId,
    stream: record.stream,
    connector: record.connectorId,
    kind: scan.kind || "upsert",
    observedAt: scan.observedAt || null,
    profile,
    canonical: profile === "canonical" && recordType !== null,
    recordType,
    severity: wizSeverityOf(scan.severity),
    recordStart: scan.recordStart,
  };
}

/** The record members CEF and LEEF read; the others (projects, notes, tags...) are skipped unparsed. */
const MAPPED_MEMBERS: MemberSpec = {
  id: true,
  title: true,
  status: true,
  portalUrl: true,
  rule: { id: true, name: true },
  cve: { id: true, score: true, description: true },
  action: true,
  user: { email: true, name: true },
  serviceAccount: { name: true },
  description: true,
  createdAt: true,
  firstDetectedAt: true,
  startedAt: true,
  timestamp: true,
  updatedAt: true,
  resource: { id: true, name: true, type: true, providerUniqueId: true, cloudPlatform: true, region: true, account: { externalId: true, name: true, id: true } },
  sourceIP: true,
  userAgent: true,
};

/** Everything CEF and LEEF map, from the header and the mapped members of `record` (`raw` is never parsed). */
export function eventFieldsOf(record: SinkRecord): SyslogEventFields {
  const header = eventHeaderOf(record);
  let body = new Map<string, unknown>();
  if (header.recordStart !== undefined) {
    try {
      body = objectMembers(record.payload, header.recordStart, MAPPED_MEMBERS);
    } catch (error) {
      throw new MalformedEventError(`payload is not JSON (${(error as Error).message}); it cannot be formatted as a syslog message`);
    }
  }
  const { recordStart: _start, ...envelope } = header;
  const stream = header.stream;
  const kind = header.kind;
  const base = { ...envelope, recordType: header.canonical ? header.recordType : null, wizId: str(body.get("id")), title: str(body.get("title")) };
  if (!header.canonical) {
    return {
      ...base,
      status: null,
      portalUrl: null,
      signatureId: stream,
      name: base.title ?? `Wiz ${stream} ${kind}`,
      ruleId: null,
      ruleName: null,
      cve: null,
      cvssScore: null,
      description: null,
      createdAt: null,
      updatedAt: null,
      resource: null,
      user: null,
      sourceIp: null,
      userAgent: null,
    };
  }
  const recordType = header.recordType;
  const rule = obj(body.get("rule"));
  const cve = obj(body.get("cve"));
  const ruleId = str(rule?.get("id"));
  const ruleName = str(rule?.get("name"));
  const cveId = str(cve?.get("id"));
  const action = recordType === "auditLogEntry" ? str(body.get("action")) : null;
  const user = obj(body.get("user"));
  const serviceAccount = obj(body.get("serviceAccount"));
  return {
    ...base,
    status: str(body.get("status")),
    portalUrl: str(body.get("portalUrl")),
    signatureId: ruleId ?? cveId ?? action ?? stream,
    name: base.title ?? ruleName ?? cveId ?? action ?? `Wiz ${stream} ${kind}`,
    ruleId,
    ruleName,
    cve: cveId,
    cvssScore: num(cve?.get("score")),
    description: str(body.get("description")) ?? str(cve?.get("description")),
    createdAt: str(body.get("createdAt")) ?? str(body.get("firstDetectedAt")) ?? str(body.get("startedAt")) ?? str(body.get("timestamp")),
    updatedAt: str(body.get("updatedAt")),
    resource: resourceOf(obj(body.get("resource"))),
    user: str(user?.get("email")) ?? str(user?.get("name")) ?? str(serviceAccount?.get("name")),
    sourceIp: ipAddressOf(body.get("sourceIP")),
    userAgent: str(body.get("userAgent")),
  };
}

function resourceOf(resource: ReadonlyMap<string, unknown> | null): SyslogResourceFields | null {
  if (!resource) return null;
  const account = obj(resource.get("account"));
  return {
    id: str(resource.get("id")),
    name: str(resource.get("name")),
    type: str(resource.get("type")),
    providerUniqueId: str(resource.get("providerUniqueId")),
    cloudPlatform: str(resource.get("cloudPlatform")),
    region: str(resource.get("region")),
    account: str(account?.get("externalId")) ?? str(account?.get("name")) ?? str(account?.get("id")),
  };
}

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$/;
const IPV6 = /^[0-9a-fA-F:.]+$/;

function ipAddressOf(value: unknown): string | null {
  const text = str(value);
  return text !== null && (IPV4.test(text) || (text.includes(":") && IPV6.test(text))) ? text : null;
}
