import { z } from "zod";
import type { WizSeverity } from "../../model/runtime-alert.js";
import { AdapterInputError } from "./adapter-input-error.js";
import { falcoProcessOf, falcoSalientOf } from "./falco-fields.js";
import { completeMitre, mitreHintsOf } from "./mitre-derivation.js";
import { distinct, isoFromEpoch, isoFromText, readPayload, textOrNull } from "./payload-reader.js";
import type { AdaptedAlertDraft, RuntimeAdapter } from "./runtime-adapter.js";
import { SYSDIG_SEVERITY } from "./severity-tables.js";
import { cloudIdsAmong, imageRefOf, workloadKindOf } from "./workload-identifiers.js";

const sysdigSchema = z.looseObject({
  id: z.string().optional(),
  timestamp: z.union([z.number(), z.string()]),
  severity: z.union([z.number(), z.string()]),
  name: z.string().optional(),
  description: z.string().optional(),
  category: z.string().optional(),
  source: z.string().optional(),
  content: z
    .looseObject({
      ruleName: z.string().optional(),
      ruleTags: z.array(z.string()).nullable().optional(),
      output: z.string().optional(),
      fields: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
  labels: z.record(z.string(), z.unknown()).optional(),
});

const PROVIDERS: Readonly<Record<string, string>> = { aws: "AWS", gcp: "GCP", azure: "Azure" };

function adaptSysdig(payload: unknown): AdaptedAlertDraft {
  const p = readPayload("sysdig", sysdigSchema, payload);
  const level = Number(p.severity);
  const severity: WizSeverity | undefined = Number.isInteger(level) ? SYSDIG_SEVERITY[level] : undefined;
  if (!severity) throw new AdapterInputError("sysdig", "severity", `"${String(p.severity).slice(0, 20)}" is not a Sysdig severity (0-7)`);
  const occurredAt =
    typeof p.timestamp === "number" || /^\d+$/u.test(p.timestamp)
      ? isoFromEpoch("sysdig", "timestamp", p.timestamp, Number(p.timestamp) > 1e14 ? "ns" : "ms")
      : isoFromText("sysdig", "timestamp", p.timestamp);
  const rule = textOrNull(p.content?.ruleName) ?? textOrNull(p.name);
  if (!rule) throw new AdapterInputError("sysdig", "content.ruleName", "missing: the event names neither a rule (content.ruleName) nor a policy (name)");
  const f = p.content?.fields ?? {};
  const l = p.labels ?? {};
  const lt = (k: string): string | null => textOrNull(l[k]);
  const hints = mitreHintsOf(p.content?.ruleTags ?? []);
  const mitre = completeMitre("sysdig", hints, "payload");
  const cluster = lt("kubernetes.cluster.name");
  const ns = lt("kubernetes.namespace.name") ?? lt("container.label.io.kubernetes.pod.namespace");
  const podName = lt("kubernetes.pod.name") ?? lt("container.label.io.kubernetes.pod.name");
  const host = lt("host.hostName");
  const node = lt("kubernetes.node.name") ?? host;
  const repo = lt("container.image.repo") ?? textOrNull(f["container.image.repository"]);
  const tag = lt("container.image.tag");
  const image = repo ? (tag ? `${repo}:${tag}` : repo) : null;
  const digest = imageRefOf(lt("container.image.digest")).digest;
  const containerId = lt("container.id");
  const provider = lt("cloudProvider.name");
  const account = lt("cloudProvider.account.id") ?? lt("gcp.projectId");
  const region = lt("cloudProvider.region") ?? lt("gcp.location");
  const instanceId = lt("cloudProvider.host.name") && /^i-[0-9a-f]+$/u.test(lt("cloudProvider.host.name") ?? "") ? lt("cloudProvider.host.name") : null;
  const workloadName = lt("kubernetes.workload.name");

  return {
    source: "sysdig",
    sensor: "Sysdig Secure",
    ruleId: rule,
    ruleName: rule,
    title: p.name && p.name !== rule ? `${rule} (${p.name})` : rule,
    description: textOrNull(p.content?.output, 20_000) ?? textOrNull(p.description, 20_000) ?? rule,
    occurredAt,
    severity,
    originalSeverity: String(p.severity),
    mitre,
    context: {
      process: falcoProcessOf(f, textOrNull(f["proc.exepath"]), distinct([textOrNull(f["proc.pname"])])),
      container:
        containerId || lt("container.name")
          ? { id: containerId, name: lt("container.name"), image, imageDigest: digest, runtime: null, privileged: null }
          : null,
      pod: podName ? { name: podName, uid: lt("kubernetes.pod.uid"), ip: null, labels: {} } : null,
      namespace: ns,
      workload: workloadName ? { kind: workloadKindOf(lt("kubernetes.workload.type")), name: workloadName } : null,
      node,
      cluster,
      cloud: provider || account || region ? { provider: provider ? (PROVIDERS[provider.toLowerCase()] ?? provider) : null, accountId: account, region } : null,
    },
    identifiers: {
      cloudIds: cloudIdsAmong(Object.values(l)),
      instanceIds: distinct([instanceId]),
      containerIds: distinct([containerId]),
      images: distinct([image, digest]),
      podUids: distinct([lt("kubernetes.pod.uid")]),
      pods: ns && podName ? [`${ns}/${podName}`] : [],
      clusterNames: distinct([cluster]),
      hostnames: distinct([host, node]),
    },
    salient: falcoSalientOf(f),
    sensorLink: null,
    raw: payload,
  };
}

export const sysdigAdapter: RuntimeAdapter = { source: "sysdig", sensor: "Sysdig Secure", adapt: adaptSysdig };
