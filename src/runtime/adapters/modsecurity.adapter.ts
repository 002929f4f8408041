import { z } from "zod";
import type { WizSeverity } from "../../model/runtime-alert.js";
import { AdapterInputError } from "./adapter-input-error.js";
import { completeMitre, techniquesForAttackClass } from "./mitre-derivation.js";
import { distinct, intOrNull, isoFromApacheTime, readPayload, textOrNull } from "./payload-reader.js";
import type { AdaptedAlertDraft, RuntimeAdapter } from "./runtime-adapter.js";
import { MODSECURITY_SEVERITY } from "./severity-tables.js";

/** ModSecurity 2.9 JSON audit log (`SecAuditLogFormat JSON`). */
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

const RANK: Readonly<Record<WizSeverity, number>> = { CRITICAL: 4, HIGH: 3, MEDIUM: 2, LOW: 1, INFORMATIONAL: 0 };

function headerOf(headers: Record<string, unknown>, name: string): string | null {
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return textOrNull(v);
  return null;
}

function adaptModSecurity(payload: unknown): AdaptedAlertDraft {
  const p = readPayload("modsecurity", v2Schema, payload);
  const messages = p.audit_data.messages.map(ruleMessageOf);
  const attackTag = (m: RuleMessage): string | undefined => m.tags.find((t) => t.startsWith("attack-") && t !== "attack-generic");
  // The rule that names the attack (a specific attack-* tag) explains the alert; the blocking-evaluation rule only sums scores.
  const primary = messages.find((m) => m.id && attackTag(m)) ?? messages.find((m) => m.id) ?? messages[0];
  if (!primary?.id) throw new AdapterInputError("modsecurity", "audit_data.messages", "no message carries a rule [id \"...\"]");
  let severity: WizSeverity = "MEDIUM";
  let originalSeverity: string | null = null;
  for (const m of messages) {
    const s = m.severity ? MODSECURITY_SEVERITY[m.severity.toLowerCase()] : undefined;
    if (s && (originalSeverity === null || RANK[s] > RANK[severity])) {
      severity = s;
      originalSeverity = m.severity;
    }
  }
  const attackClasses = distinct(messages.flatMap((m) => m.tags.filter((t) => t.startsWith("attack-")).map((t) => t.slice(7))));
  const specific = attackClasses.filter((c) => c !== "generic");
  const techniques = distinct((specific.length ? specific : attackClasses).flatMap((c) => techniquesForAttackClass(c)));
  const mitre = completeMitre("modsecurity", { tactics: [], techniques }, "derived");

  const headers = p.request?.headers ?? {};
  const [method = null, target = null] = (p.request?.request_line ?? "").split(" ");
  const host = headerOf(headers, "host");
  const path = target ? target.split("?")[0] ?? target : null;
  const scheme = p.transaction.local_port === 80 ? "http" : "https";
  const url = host && target ? `${scheme}://${host}${target}` : null;
  const intercepted = p.audit_data.action?.intercepted === true;
  const matched = primary.data?.replace(/^Matched Data:\s*/u, "") ?? null;

  return {
    source: "modsecurity",
    sensor: "ModSecurity",
    ruleId: primary.id,
    ruleName: primary.msg ?? primary.id,
    title: `ModSecurity ${primary.id}: ${primary.msg ?? "rule matched"}`,
    description: [
      `${intercepted ? "Intercepted" : "Detected"} ${method ?? ""} ${target ?? ""} from ${p.transaction.remote_address ?? "unknown client"}`.replace(/\s+/gu, " "),
      ...messages.filter((m) => m.id).map((m) => `rule ${m.id}: ${m.msg ?? ""}`),
      p.response?.status ? `response ${p.response.status}` : null,
    ]
      .filter(Boolean)
      .join("; "),
    occurredAt: isoFromApacheTime("modsecurity", "transaction.time", p.transaction.time),
    severity,
    originalSeverity,
    mitre,
    context: {
      request: {
        method: textOrNull(method),
        url: textOrNull(url),
        host,
        path: textOrNull(path),
        clientIp: textOrNull(p.transaction.remote_address),
        status: intOrNull(p.response?.status),
        userAgent: headerOf(headers, "user-agent"),
        action: intercepted ? "intercepted" : "detected",
        attackClass: specific[0] ?? attackClasses[0] ?? null,
        matchedData: textOrNull(matched, 500),
      },
      node: null,
    },
    identifiers: {
      hostnames: distinct([host?.split(":")[0]]),
      ips: distinct([p.transaction.local_address]),
      serviceNames: distinct([host?.split(":")[0]]),
      endpoints: distinct([host ? `${scheme}://${host}${path ?? "/"}` : null]),
    },
    salient: distinct([specific[0] ?? attackClasses[0], path]),
    sensorLink: null,
    raw: payload,
  };
}

export const modSecurityAdapter: RuntimeAdapter = { source: "modsecurity", sensor: "ModSecurity", adapt: adaptModSecurity };
