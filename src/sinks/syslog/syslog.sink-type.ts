import { z } from "zod";
import { WIZ_SEVERITIES } from "../../model/canonical/common.js";
import { sinkDeliveryShape, sinkTlsSchema } from "../sink-settings.js";
import { defineSinkType } from "../sink-type.js";
import { parseLeefDelimiter } from "./leef-payload.js";
import { HEADER_LIMITS, SYSLOG_FACILITIES, SYSLOG_SEVERITIES } from "./rfc5424-message.js";
import { SYSLOG_DEFAULTS, syslogPortOf, UDP_MAX_MESSAGE_BYTES } from "./syslog-defaults.js";
import { SyslogSink } from "./syslog.sink.js";
import { syslogTarget } from "./syslog-transport.js";

const facilityNames = Object.keys(SYSLOG_FACILITIES) as [keyof typeof SYSLOG_FACILITIES, ...Array<keyof typeof SYSLOG_FACILITIES>];
const severityNames = Object.keys(SYSLOG_SEVERITIES) as [keyof typeof SYSLOG_SEVERITIES, ...Array<keyof typeof SYSLOG_SEVERITIES>];

const printUsAscii = (max: number) =>
  z
    .string()
    .min(1, "must not be empty")
    .max(max, `must be at most ${max} characters (RFC 5424)`)
    .regex(/^[\x21-\x7e]+$/, "must be printable US-ASCII without spaces (RFC 5424 header field)");

const syslogSeveritySchema = z.union([z.number().int().min(0, "must be a syslog severity 0-7").max(7, "must be a syslog severity 0-7"), z.enum(severityNames, "must be a syslog severity 0-7 or one of emerg, alert, crit, err, warning, notice, info, debug")]);

export const syslogSinkSchema = z
  .strictObject({
    type: z.literal("syslog"),
    host: z.string().min(1, "must name the syslog receiver (host name or IP address)"),
    /** Default 514 for udp and tcp, 6514 for tls. */
    port: z.number().int().min(1, "must be a port 1-65535").max(65_535, "must be a port 1-65535").optional(),
    protocol: z.enum(["tcp", "tls", "udp"], "must be tcp, tls or udp").optional(),
    /** Facility name (local0...) or code 0-23. */
    facility: z.union([z.enum(facilityNames, `must be a facility name (${facilityNames.join(", ")}) or a code 0-23`), z.number().int().min(0, "must be a facility code 0-23").max(23, "must be a facility code 0-23")]).optional(),
    appName: printUsAscii(HEADER_LIMITS.appName).optional(),
    /** HOSTNAME of the header; default this machine's name. */
    hostname: printUsAscii(HEADER_LIMITS.hostname).optional(),
    /** MSG payload: the WizEvent JSON, ArcSight CEF or QRadar LEEF 2.0. */
    format: z.enum(["json", "cef", "leef"], "must be json, cef or leef").optional(),
    leef: z
      .strictObject({
        /** Attribute delimiter: one character, or its hex code `x5E`/`0x09`. Default tab. */
        delimiter: z.string().refine((d) => parseLeefDelimiter(d) !== undefined, "must be one character other than =, CR, LF and NUL, or its hex code such as x09 or 0x5E").optional(),
      })
      .optional(),
    /** Wiz severity -> syslog severity; NONE is for records without one (assets, projects, audit entries, removals). */
    severityMap: z.partialRecord(z.enum([...WIZ_SEVERITIES, "NONE"], "must be one of CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, NONE"), syslogSeveritySchema).optional(),
    /** TCP/TLS only: RFC 6587 octet counting (default), or a line feed after each message for receivers that only split lines. */
    framing: z.enum(["octet-counting", "lf"], "must be octet-counting or lf").optional(),
    /** Largest syslog message in bytes (header + MSG). Default 65,000 for udp, 1 MiB for tcp/tls. */
    maxMessageBytes: z.number().int().min(480, "must be at least 480 (RFC 5424 section 6.1)").max(64 * 1024 * 1024, "must be at most 64 MiB").optional(),
    /** Cut a too-large MSG to fit instead of dead-lettering the event. Default false. */
    truncate: z.boolean().optional(),
    connectTimeoutMs: z.number().int().min(100, "must be at least 100 ms").max(300_000, "must be at most 300000 ms").optional(),
    writeTimeoutMs: z.number().int().min(100, "must be at least 100 ms").max(600_000, "must be at most 600000 ms").optional(),
    tls: sinkTlsSchema.optional(),
    ...sinkDeliveryShape,
  })
  .superRefine((s, ctx) => {
    const protocol = s.protocol ?? SYSLOG_DEFAULTS.protocol;
    if (s.tls !== undefined && protocol !== "tls") ctx.addIssue({ code: "custom", path: ["tls"], message: `applies to protocol tls only; set protocol: tls, or remove tls (protocol is ${protocol})` });
    if (protocol === "udp" && s.maxMessageBytes !== undefined && s.maxMessageBytes > UDP_MAX_MESSAGE_BYTES)
      ctx.addIssue({ code: "custom", path: ["maxMessageBytes"], message: `must be at most ${UDP_MAX_MESSAGE_BYTES} with protocol udp (the largest UDP datagram over IPv4)` });
    if (protocol === "udp" && s.framing !== undefined) ctx.addIssue({ code: "custom", path: ["framing"], message: "applies to tcp and tls only (UDP sends one message per datagram)" });
    if (s.leef !== undefined && (s.format ?? SYSLOG_DEFAULTS.format) !== "leef") ctx.addIssue({ code: "custom", path: ["leef"], message: "applies to format: leef only" });
  });

export type SyslogSinkSettings = z.output<typeof syslogSinkSchema>;

export const syslogSinkType = defineSinkType<SyslogSinkSettings>({
  type: "syslog",
  schema: syslogSinkSchema,
  create: (id, settings, context) => new SyslogSink(id, settings, context),
  describe: (id, s) => `${id}: syslog ${syslogTarget({ protocol: s.protocol ?? SYSLOG_DEFAULTS.protocol, host: s.host, port: syslogPortOf(s) })} (${s.format ?? SYSLOG_DEFAULTS.format})`,
});
