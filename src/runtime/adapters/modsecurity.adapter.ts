import { z } from "zod";
import type { WizSeverity } from "../../model/runtime-alert.js";
import { AdapterInputError } from "./adapter-input-error.js";
import { completeMitre, techniquesForAttackClass } from "./mitre-derivation.js";
import { distinct, intOrNull, isoFromApacheTime, readPayload, textOrNull } from "./payload-reader.js";
import type { AdaptedAlertDraft, RuntimeAdapter } from "./runtime-adapter.js";
import { MODSECURITY_SEVERITY } from "./severity-tables.js";

/** ModSecurity 2.9 JSON audit log (`SecAuditLogFormat JSON`, mod_security2 for Apache). */
const v2Schema = z.looseObject({
  transaction: z.looseObject({
    time: z.string().min(1),
    transaction_id: z.string().optional(),
    remote_address: z.string().optional(),
    local_address: z.string().optional(),
    local_port: z.number().optional(),
  }),
  request: z.looseObject({ request_line: z.string().optional(), headers: z.record(z.string(), z.unknown()).optional() }).optional(),
  response: z.looseObject({ status: z.number().optional() }).optional(),
  audit_data: z.looseObject({
    messages: z.array(z.string()).min(1, "must list at least one rule message"),
    action: z.looseObject({ intercepted: z.boolean().optional(), message: z.string().optional() }).optional(),
  }),
});

/** libmodsecurity 3 JSON audit log (`SecAuditLogFormat JSON` with ModSecurity v3: nginx / Apache connectors). */
const v3Schema = z.looseObject({
  transaction: z.looseObject({
    time_stamp: z.string().min(1),
    client_ip: z.string().optional(),
    host_ip: z.string().optional(),
    host_port: z.union([z.number(), z.string()]).optional(),
    unique_id: z.string().optional(),
    request: z.looseObject({ method: z.string().optional(), uri: z.string().optional(), headers: z.record(z.string(), z.unknown()).optional() }).optional(),
    response: z.looseObject({ http_code: z.number().optional() }).optional(),
    messages: z
      .array(
        z.looseObject({
          message: z.string().optional(),
          details: z
            .looseObject({
              ruleId: z.string().optional(),
              severity: z.union([z.string(), z.number()]).optional(),
              data: z.string().optional(),
              tags: z.array(z.string()).optional(),
            })
            .optional(),
        }),
      )
      .min(1, "must list at least one rule message"),
  }),
});

/** Both audit-log generations, reduced to what the alert needs. */
interface Transaction {
  timeField: string;
  time: string;
  clientIp: string | null;
  localAddress: string | null;
  localPort: number | null;
  method: string | null;
  target: string | null;
  headers: Record<string, unknown>;
  status: number | null;
  intercepted: boolean;
  messages: RuleMessage[];
}

interface RuleMessage {
  id: string | null;
  msg: string | null;
  severity: string | null;
  data: string | null;
  tags: string[];
}

function ruleMessageOf(text: string): RuleMessage {
  const one = (key: string): string | null => new RegExp(`\\[${key} "([^"]*)"\\]`, "u").exec(text)?.[1] ?? null;
  const tags = [...text.matchAll(/\[tag "([^"]*)"\]/gu)].map((m) => m[1] ?? "");
  return { id: one("id"), msg: one("msg"), severity: one("severity"), data: one("data"), tags };
}

function transactionOf(payload: unknown): Transaction {
  const isV3 =
    payload !== null && typeof payload === "object" && !Array.isArray(payload) && Object.hasOwn(payload, "transaction") && typeof (payload as { transaction?: unknown }).transaction === "object" &&
    Object.hasOwn((payload as { transaction: object }).transaction ?? {}, "messages");
  if (isV3) {
    const t = readPayload("modsecurity", v3Schema, payload).transaction;
    const messages = t.messages.map((m) => ({
      id: textOrNull(m.details?.ruleId),
      msg: textOrNull(m.message),
      severity: m.details?.severity === undefined ? null : String(m.details.severity),
      data: textOrNull(m.details?.data),
      tags: m.details?.tags ?? [],
    }));
    const status = intOrNull(t.response?.http_code);
    // libmodsecurity writes local time without a zone (e.g. "Thu Mar 24 11:15:35 2022"); read it as UTC so the result never depends on the host.
    const time = /[+-]\d{2}:?\d{2}$|Z$|UTC|GMT/u.test(t.time_stamp) ? t.time_stamp : `${t.time_stamp} UTC`;
    return {
      timeField: "transaction.time_stamp",
      time,
      clientIp: textOrNull(t.client_ip),
      localAddress: textOrNull(t.host_ip),
      localPort: intOrNull(t.host_port),
      method: textOrNull(t.request?.method),
      target: textOrNull(t.request?.uri),
      headers: t.request?.headers ?? {},
      status,
      intercepted: status !== null && status >= 400,
      messages,
    };
  }
  const p = readPayload("modsecurity", v2Schema, payload);
  const [method = null, target = null] = (p.request?.request_line ?? "").split(" ");
  return {
    timeField: "transaction.time",
    time: p.transaction.time,
    clientIp: textOrNull(p.transaction.remote_address),
    localAddress: textOrNull(p.transaction.local_address),
    localPort: intOrNull(p.transaction.local_port),
    method: textOrNull(method),
    target: textOrNull(target),
    headers: p.request?.headers ?? {},
    status: intOrNull(p.response?.status),
    intercepted: p.audit_data.action?.intercepted === true,
    messages: p.audit_data.messages.map(ruleMessageOf),
  };
}

const RANK: Readonly<Record<WizSeverity, number>> = { CRITICAL: 4, HIGH: 3, MEDIUM: 2, LOW: 1, INFORMATIONAL: 0 };

function headerOf(headers: Record<string, unknown>, name: string): string | null {
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return textOrNull(v);
  return null;
}

function adaptModSecurity(payload: unknown): AdaptedAlertDraft {
  const t = transactionOf(payload);
  const messages = t.messages;
  const attackTag = (m: RuleMessage): string | undefined => m.tags.find((tag) => tag.startsWith("attack-") && tag !== "attack-generic");
  // The rule that names the attack (a specific attack-* tag) explains the alert; the blocking-evaluation rule only sums scores.
  const primary = messages.find((m) => m.id && attackTag(m)) ?? messages.find((m) => m.id) ?? messages[0];
  if (!primary?.id) throw new AdapterInputError("modsecurity", t.timeField === "transaction.time_stamp" ? "transaction.messages" : "audit_data.messages", 'no message carries a rule id');
  let severity: WizSeverity = "MEDIUM";
  let originalSeverity: string | null = null;
  for (const m of messages) {
    const s = m.severity ? MODSECURITY_SEVERITY[m.severity.toLowerCase()] : undefined;
    if (s && (originalSeverity === null || RANK[s] > RANK[severity])) {
      severity = s;
      originalSeverity = m.severity;
    }
  }
  const attackClasses = distinct(messages.flatMap((m) => m.tags.filter((tag) => tag.startsWith("attack-")).map((tag) => tag.slice(7))));
  const specific = attackClasses.filter((c) => c !== "generic");
  const techniques = distinct((specific.length ? specific : attackClasses).flatMap((c) => techniquesForAttackClass(c)));
  const mitre = completeMitre("modsecurity", { tactics: [], techniques }, "derived");

  const host = headerOf(t.headers, "host");
  const target = t.target;
  const path = target ? (target.split("?")[0] ?? target) : null;
  const scheme = t.localPort === 80 ? "http" : "https";
  const url = host && target ? `${scheme}://${host}${target}` : null;
  const matched = primary.data?.replace(/^Matched Data:\s*/u, "") ?? null;

  return {
    source: "modsecurity",
    sensor: "ModSecurity",
    ruleId: primary.id,
    ruleName: primary.msg ?? primary.id,
    title: `ModSecurity ${primary.id}: ${primary.msg ?? "rule matched"}`,
    description: [
      `${t.intercepted ? "Intercepted" : "Detected"} ${t.method ?? ""} ${target ?? ""} from ${t.clientIp ?? "unknown client"}`.replace(/\s+/gu, " "),
      ...messages.filter((m) => m.id).map((m) => `rule ${m.id}: ${m.msg ?? ""}`),
      t.status ? `response ${t.status}` : null,
    ]
      .filter(Boolean)
      .join("; "),
    occurredAt: isoFromApacheTime("modsecurity", t.timeField, t.time),
    severity,
    originalSeverity,
    mitre,
    context: {
      request: {
        method: t.method,
        url: textOrNull(url),
        host,
        path: textOrNull(path),
        clientIp: t.clientIp,
        status: t.status,
        userAgent: headerOf(t.headers, "user-agent"),
        action: t.intercepted ? "intercepted" : "detected",
        attackClass: specific[0] ?? attackClasses[0] ?? null,
        matchedData: textOrNull(matched, 500),
      },
      node: null,
    },
    identifiers: {
      hostnames: distinct([host?.split(":")[0]]),
      ips: distinct([t.localAddress]),
      serviceNames: distinct([host?.split(":")[0]]),
      endpoints: distinct([host ? `${scheme}://${host}${path ?? "/"}` : null]),
    },
    salient: distinct([specific[0] ?? attackClasses[0], path]),
    sensorLink: null,
    raw: payload,
  };
}

export const modSecurityAdapter: RuntimeAdapter = { source: "modsecurity", sensor: "ModSecurity", adapt: adaptModSecurity };
