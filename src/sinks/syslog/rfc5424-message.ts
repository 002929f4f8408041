/**
 * RFC 5424 message building: PRI, header fields, structured data and the BOM-marked UTF-8 MSG.
 * Pure functions, no I/O: the sink frames what these return, the tests parse it back.
 */

/** RFC 5424 section 6.2.1 table 1: facility codes (names as syslog.conf spells them). */
export const SYSLOG_FACILITIES = {
  kern: 0,
  user: 1,
  mail: 2,
  daemon: 3,
  auth: 4,
  syslog: 5,
  lpr: 6,
  news: 7,
  uucp: 8,
  cron: 9,
  authpriv: 10,
  ftp: 11,
  ntp: 12,
  security: 13,
  console: 14,
  "solaris-cron": 15,
  local0: 16,
  local1: 17,
  local2: 18,
  local3: 19,
  local4: 20,
  local5: 21,
  local6: 22,
  local7: 23,
} as const;

export type SyslogFacilityName = keyof typeof SYSLOG_FACILITIES;

/** RFC 5424 section 6.2.1 table 2: severity codes. */
export const SYSLOG_SEVERITIES = { emerg: 0, alert: 1, crit: 2, err: 3, warning: 4, notice: 5, info: 6, debug: 7 } as const;

export type SyslogSeverityName = keyof typeof SYSLOG_SEVERITIES;

/** The header fields' length limits (RFC 5424 section 6, ABNF). */
export const HEADER_LIMITS = { hostname: 255, appName: 48, procId: 128, msgId: 32 } as const;

/** The SD-ID wizbridge's structured data goes under (RFC 5424 section 7.2.2: name@private-enterprise-number). */
export const WIZ_SD_ID = "wiz@32473";

/** RFC 5424 section 6.4: MSG in UTF-8 starts with the byte order mark. */
export const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

const NON_PRINTUSASCII = /[^\x21-\x7e]/g;

/**
 * A header field (HOSTNAME, APP-NAME, PROCID, MSGID) as RFC 5424 allows it: PRINTUSASCII only (a character
 * outside %d33-126 becomes `_`), at most `maxLength` characters, and NILVALUE `-` when empty.
 */
export function headerField(value: string | null | undefined, maxLength: number): string {
  if (value === null || value === undefined || value === "") return "-";
  const printable = value.replace(NON_PRINTUSASCII, "_");
  return printable.length > maxLength ? printable.slice(0, maxLength) : printable;
}

/** PRI = facility * 8 + severity (RFC 5424 section 6.2.1). */
export function priorityOf(facility: number, severity: number): number {
  return facility * 8 + severity;
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}:\d{2}:\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * TIMESTAMP as RFC 5424 section 6.2.3 restricts RFC 3339: upper-case `T` and `Z`, at most 6 fraction digits
 * (Wiz sends up to 9: the rest are cut, never rounded, so the time never moves forward). NILVALUE when the
 * value is not a timestamp (the receiver then uses its own receipt time).
 */
export function syslogTimestamp(value: string | null | undefined): string {
  if (!value) return "-";
  const m = RFC3339.exec(value);
  if (!m) return "-";
  const fraction = m[3] ? `.${m[3].slice(0, 6)}` : "";
  const zone = m[4] === "z" ? "Z" : (m[4] as string);
  return `${m[1] as string}T${m[2] as string}${fraction}${zone}`;
}

const SD_SPECIAL = /["\\\]]/g;
const SD_ANY = /["\\\]]/;

/** PARAM-VALUE escaping of RFC 5424 section 6.3.3: `"`, `\` and `]` get a backslash; nothing else changes. */
export function escapeParamValue(value: string): string {
  return SD_ANY.test(value) ? value.replace(SD_SPECIAL, "\\$&") : value;
}

/** One SD-ELEMENT: `[id name="value" ...]`. Names must already be valid SD-NAMEs (ours are constants). */
export function structuredDataElement(id: string, params: ReadonlyArray<readonly [string, string]>): string {
  let out = `[${id}`;
  for (const [name, value] of params) out += ` ${name}="${escapeParamValue(value)}"`;
  return `${out}]`;
}

/** Everything of a message before the MSG: `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD ` (ends with the space before MSG). */
export interface SyslogHeader {
  pri: number;
  timestamp: string;
  /** Already a valid header field (see headerField). */
  hostname: string;
  appName: string;
  procId: string;
  msgId: string;
  /** One or more SD-ELEMENTs, or `-`. */
  structuredData: string;
}

export function headerText(h: SyslogHeader): string {
  return `<${h.pri}>1 ${h.timestamp} ${h.hostname} ${h.appName} ${h.procId} ${h.msgId} ${h.structuredData} `;
}

/**
 * The largest prefix of `text` whose UTF-8 encoding fits in `maxBytes`, never cutting a character in two
 * (nor a surrogate pair).
 */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (maxBytes <= 0) return "";
  if (Buffer.byteLength(text, "utf8") <= maxBytes) return text;
  let bytes = 0;
  let i = 0;
  while (i < text.length) {
    const code = text.codePointAt(i) as number;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (bytes + size > maxBytes) break;
    bytes += size;
    i += code >= 0x10000 ? 2 : 1;
  }
  return text.slice(0, i);
}

/** At most `max` UTF-16 units of `text`, never ending on half a surrogate pair. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}
