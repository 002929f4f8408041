import type { WizSeverity } from "../../model/canonical/common.js";
import { cutText } from "./rfc5424-message.js";
import type { SyslogEventFields } from "./wiz-event-fields.js";

/**
 * IBM QRadar Log Event Extended Format 2.0 as the MSG of a syslog message:
 * `LEEF:2.0|Wiz|wizbridge|<version>|<event id>|<delimiter>|key=value<delimiter>key=value...`.
 *
 * LEEF defines no escape sequence (IBM "LEEF event components" and "Best practices guidelines for LEEF
 * events"): the attribute delimiter must simply not appear in keys or values, and a header field cannot
 * hold `|`. So values have the delimiter and line breaks (one event is one line) replaced by a space, and
 * header fields have `|` and line breaks replaced by a space. `=` and `\` need nothing: a receiver splits a
 * pair at its first `=`.
 */

/** LEEF `sev` is 1 (lowest) to 10 (highest); records without a Wiz tier get 1. */
export const LEEF_SEVERITY: Readonly<Record<WizSeverity, number>> = { CRITICAL: 10, HIGH: 8, MEDIUM: 5, LOW: 3, INFORMATIONAL: 1 };

/** One of the devTimeFormat patterns IBM suggests (Java SimpleDateFormat), always written in GMT. */
export const LEEF_DEV_TIME_FORMAT = "MMM dd yyyy HH:mm:ss.SSS z";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;
const EVENT_ID_MAX = 255;

/** The header's DelimiterCharacter: a printable character as itself, anything else (tab...) as `xHH`. */
export function leefDelimiterField(delimiter: string): string {
  const code = delimiter.codePointAt(0) as number;
  return code > 0x20 && code < 0x7f && delimiter !== "|" ? delimiter : `x${code.toString(16).toUpperCase().padStart(2, "0")}`;
}

/**
 * The delimiter a setting names: one character, or its hex code as `xHH`/`0xHH` (1-4 hex digits, as the
 * LEEF 2.0 header allows). Undefined when the setting is neither.
 */
export function parseLeefDelimiter(setting: string): string | undefined {
  const hex = /^(?:0x|x)([0-9a-fA-F]{1,4})$/.exec(setting);
  const char = hex ? String.fromCharCode(Number.parseInt(hex[1] as string, 16)) : setting.length === 1 ? setting : undefined;
  if (char === undefined || char === "=" || char === "\n" || char === "\r" || char === "\0") return undefined;
  return char;
}

/** A header field without `|` and line breaks (LEEF has no way to escape them). */
export function leefHeaderField(value: string): string {
  return value.replace(/\r\n|[\r\n|]/g, " ");
}

/** An attribute value without the delimiter and line breaks. */
export function leefAttributeValue(value: string, delimiter: string): string {
  let out = value.includes("\n") || value.includes("\r") ? value.replace(/\r\n|[\r\n]/g, " ") : value;
  if (out.includes(delimiter)) out = out.split(delimiter).join(" ");
  return out;
}

/** `observedAt` as LEEF_DEV_TIME_FORMAT renders it, e.g. `Jan 18 2019 11:07:53.520 GMT`; null when unreadable. */
export function leefDevTime(iso: string | null): string | null {
  if (iso === null) return null;
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return null;
  const d = new Date(ms);
  const two = (n: number): string => String(n).padStart(2, "0");
  return `${MONTHS[d.getUTCMonth()] as string} ${two(d.getUTCDate())} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${String(d.getUTCMilliseconds()).padStart(3, "0")} GMT`;
}

/** The attributes of one event, in the order they are written: IBM's predefined keys first, then `wiz*` custom keys. */
export function leefAttributesOf(f: SyslogEventFields): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  const add = (key: string, value: string | number | null | undefined): void => {
    if (value === null || value === undefined || value === "") return;
    pairs.push([key, String(value)]);
  };
  const devTime = leefDevTime(f.observedAt);
  if (devTime !== null) pairs.push(["devTime", devTime], ["devTimeFormat", LEEF_DEV_TIME_FORMAT]);
  add("sev", f.severity === null ? 1 : LEEF_SEVERITY[f.severity]);
  add("cat", f.stream);
  if (f.canonical) {
    add("url", f.portalUrl);
    add("resource", f.resource?.name ?? f.resource?.providerUniqueId);
    add("usrName", f.user);
    add("src", f.sourceIp);
  }
  add("wizId", f.wizId);
  add("wizEventId", f.eventId);
  add("wizConnector", f.connector);
  add("wizKind", f.kind);
  add("wizProfile", f.profile);
  add("wizTitle", f.title);
  add("wizSeverity", f.severity);
  if (f.canonical) {
    add("wizStatus", f.status);
    add("wizRecordType", f.recordType);
    add("wizRuleId", f.ruleId);
    add("wizRuleName", f.ruleName);
    add("wizCve", f.cve);
    add("wizCvssScore", f.cvssScore);
    add("wizResourceId", f.resource?.providerUniqueId ?? f.resource?.id);
    add("wizResourceType", f.resource?.type);
    add("wizCloudPlatform", f.resource?.cloudPlatform);
    add("wizRegion", f.resource?.region);
    add("wizCloudAccount", f.resource?.account);
    add("wizCreatedAt", f.createdAt);
    add("wizUpdatedAt", f.updatedAt);
    add("wizUserAgent", f.userAgent);
  }
  return pairs;
}

/** The whole LEEF text of one event. */
export function leefPayloadOf(f: SyslogEventFields, version: string, delimiter: string): string {
  const eventId = cutText(leefHeaderField(f.signatureId), EVENT_ID_MAX);
  let out = `LEEF:2.0|Wiz|wizbridge|${leefHeaderField(version)}|${eventId}|${leefDelimiterField(delimiter)}|`;
  let first = true;
  for (const [key, value] of leefAttributesOf(f)) {
    out += `${first ? "" : delimiter}${key}=${leefAttributeValue(value, delimiter)}`;
    first = false;
  }
  return out;
}
