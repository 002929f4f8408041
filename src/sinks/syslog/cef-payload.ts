import type { WizSeverity } from "../../model/canonical/common.js";
import { cutText } from "./rfc5424-message.js";
import type { SyslogEventFields } from "./wiz-event-fields.js";

/**
 * ArcSight Common Event Format (CEF:0) as the MSG of a syslog message:
 * `CEF:0|Wiz|wizbridge|<version>|<signature id>|<name>|<severity>|<extension>`.
 *
 * Escaping follows the CEF specification (ArcSight "Implementing ArcSight CEF", rev. 16+, section
 * "Character Encoding"): in the header, `\` and `|` get a backslash; in extension values, `\` and `=` get
 * a backslash and a line break is written as `\n` or `\r`; pipes and spaces in the extension are left as
 * they are. Newlines are allowed only in extension values, so the header turns them into spaces. Keys are
 * never escaped: only dictionary keys and the custom `cs1..cs6`/`flexString1..2`/`cn1` with their labels are used.
 */

/** CEF severity 0-10 (0-3 low, 4-6 medium, 7-8 high, 9-10 very high) from Wiz's tier; 0 when there is none. */
export const CEF_SEVERITY: Readonly<Record<WizSeverity, number>> = { CRITICAL: 10, HIGH: 8, MEDIUM: 5, LOW: 3, INFORMATIONAL: 1 };

const HEADER_SPECIAL = /[\\|]/g;
const HEADER_ANY = /[\\|\r\n]/;
const LINE_BREAKS = /\r\n|[\r\n]/g;
const EXTENSION_SPECIAL = /[\\=\r\n]/g;
const EXTENSION_ANY = /[\\=\r\n]/;
const EXTENSION_ESCAPES: Readonly<Record<string, string>> = { "\\": "\\\\", "=": "\\=", "\n": "\\n", "\r": "\\r" };

/** A header field: `\` -> `\\`, `|` -> `\|`; line breaks (not allowed in the header) become one space. */
export function escapeCefHeader(value: string): string {
  if (!HEADER_ANY.test(value)) return value;
  return value.replace(HEADER_SPECIAL, "\\$&").replace(LINE_BREAKS, " ");
}

/** An extension value: `\` -> `\\`, `=` -> `\=`, LF -> `\n`, CR -> `\r`. */
export function escapeCefExtensionValue(value: string): string {
  if (!EXTENSION_ANY.test(value)) return value;
  return value.replace(EXTENSION_SPECIAL, (c) => EXTENSION_ESCAPES[c] as string);
}

/** Lengths the ArcSight dictionary gives: Device Event Class ID 1023, Name 512, msg 1023 characters. */
const SIGNATURE_ID_MAX = 1023;
const NAME_MAX = 512;
const MSG_MAX = 1023;

/** The extension pairs of one event, in the order they are written. */
export function cefExtensionOf(f: SyslogEventFields): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  const add = (key: string, value: string | number | null | undefined): void => {
    if (value === null || value === undefined || value === "") return;
    pairs.push([key, String(value)]);
  };
  const custom = (n: string, label: string, value: string | number | null | undefined): void => {
    if (value === null || value === undefined || value === "") return;
    pairs.push([`${n}Label`, label], [n, String(value)]);
  };
  const observedMs = f.observedAt === null ? NaN : Date.parse(f.observedAt);
  add("rt", Number.isFinite(observedMs) ? observedMs : null);
  add("cat", f.stream);
  add("act", f.kind);
  add("externalId", f.wizId);
  if (f.canonical) {
    const createdMs = f.createdAt === null ? NaN : Date.parse(f.createdAt);
    add("start", Number.isFinite(createdMs) ? createdMs : null);
    add("msg", f.description === null ? null : cutText(f.description, MSG_MAX));
    add("suser", f.user);
    add("src", f.sourceIp);
    add("requestClientApplication", f.userAgent);
    custom("cs1", "wizPortalUrl", f.portalUrl);
    custom("cs2", "wizStatus", f.status);
  }
  custom("cs3", "wizEventId", f.eventId);
  custom("cs4", "wizConnector", f.connector);
  if (f.canonical) {
    custom("cs5", "wizResourceId", f.resource?.providerUniqueId ?? f.resource?.id);
    custom("cs6", "wizResourceType", f.resource?.type);
    custom("flexString1", "wizResourceName", f.resource?.name);
    custom("flexString2", "wizCloudAccount", f.resource?.account);
    custom("cn1", "wizCvssScore", f.cvssScore);
  }
  return pairs;
}

/** The whole CEF text of one event. */
export function cefPayloadOf(f: SyslogEventFields, version: string): string {
  const severity = f.severity === null ? 0 : CEF_SEVERITY[f.severity];
  let out = `CEF:0|Wiz|wizbridge|${escapeCefHeader(version)}|${escapeCefHeader(cutText(f.signatureId, SIGNATURE_ID_MAX))}|${escapeCefHeader(cutText(f.name, NAME_MAX))}|${severity}|`;
  let first = true;
  for (const [key, value] of cefExtensionOf(f)) {
    out += `${first ? "" : " "}${key}=${escapeCefExtensionValue(value)}`;
    first = false;
  }
  return out;
}
