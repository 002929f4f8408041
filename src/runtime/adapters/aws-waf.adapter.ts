import { z } from "zod";
import { AdapterInputError } from "./adapter-input-error.js";
import { completeMitre, techniquesForAttackClass } from "./mitre-derivation.js";
import { distinct, isoFromEpoch, readPayload, textOrNull } from "./payload-reader.js";
import type { AdaptedAlertDraft, RuntimeAdapter } from "./runtime-adapter.js";
import { AWS_WAF_ACTION_SEVERITY } from "./severity-tables.js";

const matchSchema = z.looseObject({
  conditionType: z.string().optional(),
  location: z.string().optional(),
  matchedData: z.array(z.string()).nullable().optional(),
});

const wafSchema = z.looseObject({
  timestamp: z.number(),
  webaclId: z.string().min(1),
  action: z.string().min(1),
  terminatingRuleId: z.string().min(1),
  terminatingRuleType: z.string().optional(),
  terminatingRuleMatchDetails: z.array(matchSchema).nullable().optional(),
  httpSourceName: z.string().optional(),
  httpSourceId: z.string().optional(),
  ruleGroupList: z
    .array(
      z.looseObject({
        ruleGroupId: z.string().optional(),
        terminatingRule: z.looseObject({ ruleId: z.string().optional(), action: z.string().optional() }).nullable().optional(),
        nonTerminatingMatchingRules: z.array(z.looseObject({ ruleId: z.string().optional(), ruleMatchDetails: z.array(matchSchema).nullable().optional() })).nullable().optional(),
      }),
    )
    .nullable()
    .optional(),
  rateBasedRuleList: z.array(z.unknown()).nullable().optional(),
  httpRequest: z.looseObject({
    clientIp: z.string().optional(),
    country: z.string().optional(),
    headers: z.array(z.looseObject({ name: z.string(), value: z.string() })).optional(),
    uri: z.string().optional(),
    args: z.string().optional(),
    httpMethod: z.string().optional(),
    requestId: z.string().optional(),
  }),
});

/**
 * The resource the Web ACL protects, as an ARN, from `httpSourceName` + `httpSourceId` (AWS formats:
 * ALB `<account>-app/<name>/<id>`, API Gateway `<account>:<apiId>:<stage>`, CloudFront `<distributionId>`).
 */
function protectedResourceArn(sourceName: string | undefined, sourceId: string | undefined, aclArn: string): string | null {
  const acl = /^arn:(aws[a-z-]*):wafv2:([a-z0-9-]+):(\d{12}):/u.exec(aclArn);
  if (!sourceId || !acl) return null;
  const [, partition, region, account] = acl;
  if (sourceName === "ALB") {
    const m = /^(\d{12})-(app\/[^/]+\/[0-9a-f]+)$/u.exec(sourceId);
    return m ? `arn:${partition}:elasticloadbalancing:${region}:${m[1]}:loadbalancer/${m[2]}` : null;
  }
  if (sourceName === "APIGW") {
    const m = /^(\d{12}):([a-z0-9]+):(.+)$/u.exec(sourceId);
    return m ? `arn:${partition}:apigateway:${region}::/restapis/${m[2]}/stages/${m[3]}` : null;
  }
  if (sourceName === "CF") return /^[A-Z0-9]+$/u.test(sourceId) ? `arn:${partition}:cloudfront::${account}:distribution/${sourceId}` : null;
  if (sourceName === "APPSYNC") return /^[a-z0-9]+$/u.test(sourceId) ? `arn:${partition}:appsync:${region}:${account}:apis/${sourceId}` : null;
  return null;
}

function adaptAwsWaf(payload: unknown): AdaptedAlertDraft {
  const p = readPayload("aws-waf", wafSchema, payload);
  const severity = AWS_WAF_ACTION_SEVERITY[p.action.toUpperCase()];
  if (!severity) throw new AdapterInputError("aws-waf", "action", `"${p.action.slice(0, 30)}" is not an AWS WAF action (ALLOW, BLOCK, COUNT, CAPTCHA, CHALLENGE)`);
  const group = (p.ruleGroupList ?? []).find((g) => g.terminatingRule?.ruleId);
  const ruleId = group?.terminatingRule?.ruleId ? `${p.terminatingRuleId}/${group.terminatingRule.ruleId}` : p.terminatingRuleId;
  const details = [...(p.terminatingRuleMatchDetails ?? [])];
  const primary = details[0];
  const conditionType = textOrNull(primary?.conditionType) ?? (p.terminatingRuleType === "RATE_BASED" ? "RATE_BASED" : null);
  const techniques = distinct(details.flatMap((d) => techniquesForAttackClass(d.conditionType)));
  const mitre = techniques.length
    ? completeMitre("aws-waf", { tactics: [], techniques }, "derived")
    : completeMitre("aws-waf", { tactics: [], techniques: techniquesForAttackClass(conditionType) }, "derived");
  const req = p.httpRequest;
  const header = (name: string): string | null => textOrNull(req.headers?.find((h) => h.name.toLowerCase() === name)?.value);
  const host = header("host");
  const path = textOrNull(req.uri) ?? "/";
  const query = textOrNull(req.args);
  const url = host ? `https://${host}${path}${query ? `?${query}` : ""}` : null;
  const matched = textOrNull(primary?.matchedData?.join(" "), 500);
  const protectedArn = protectedResourceArn(p.httpSourceName, p.httpSourceId, p.webaclId);
  const source = p.httpSourceName && p.httpSourceName !== "-" ? p.httpSourceName : null;
  const aclRegion = /^arn:aws[a-z-]*:wafv2:([a-z0-9-]+):(\d{12}):/u.exec(p.webaclId);

  return {
    source: "aws-waf",
    sensor: "AWS WAF",
    ruleId,
    ruleName: ruleId,
    title: `AWS WAF ${p.action} ${conditionType ?? "rule match"}: ${req.httpMethod ?? ""} ${path}`.replace(/\s+/gu, " ").trim(),
    description: [
      `Rule ${ruleId} (${p.terminatingRuleType ?? "rule"}) ${p.action} a request from ${req.clientIp ?? "unknown client"}${req.country ? ` (${req.country})` : ""}`,
      conditionType ? `condition ${conditionType}${primary?.location ? ` in ${primary.location}` : ""}` : null,
      matched ? `matched ${matched}` : null,
      `web ACL ${p.webaclId}`,
      source ? `source ${source} ${p.httpSourceId ?? ""}`.trim() : null,
    ]
      .filter(Boolean)
      .join("; "),
    occurredAt: isoFromEpoch("aws-waf", "timestamp", p.timestamp, "ms"),
    severity,
    originalSeverity: p.action,
    mitre,
    context: {
      request: {
        method: textOrNull(req.httpMethod),
        url,
        host,
        path,
        clientIp: textOrNull(req.clientIp),
        status: null,
        userAgent: header("user-agent"),
        action: p.action,
        attackClass: conditionType ? conditionType.toLowerCase() : null,
        matchedData: matched,
      },
      cloud: { provider: "AWS", accountId: aclRegion?.[2] ?? null, region: aclRegion?.[1] ?? null },
    },
    identifiers: {
      // The protected resource first: it is where the attack landed; the Web ACL is the fallback.
      cloudIds: distinct([protectedArn, p.webaclId]),
      hostnames: distinct([host?.split(":")[0]]),
      serviceNames: distinct([host?.split(":")[0], source && p.httpSourceId && p.httpSourceId !== "-" ? p.httpSourceId : null]),
      endpoints: distinct([url ? url.split("?")[0] : null]),
    },
    salient: distinct([conditionType, primary?.location, path]),
    sensorLink: null,
    raw: payload,
  };
}

export const awsWafAdapter: RuntimeAdapter = { source: "aws-waf", sensor: "AWS WAF", adapt: adaptAwsWaf };
