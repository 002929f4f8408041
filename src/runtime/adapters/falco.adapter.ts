import { z } from "zod";
import type { RuntimeSource } from "../../model/runtime-alert.js";
import { AdapterInputError } from "./adapter-input-error.js";
import { falcoProcessOf, falcoSalientOf } from "./falco-fields.js";
import { completeMitre, mitreHintsOf } from "./mitre-derivation.js";
import { distinct, isoFromText, readPayload, textOrNull } from "./payload-reader.js";
import type { AdaptedAlertDraft, RuntimeAdapter } from "./runtime-adapter.js";
import { FALCO_PRIORITY_SEVERITY } from "./severity-tables.js";
import { bareContainerId, cloudIdsAmong, imageRefOf, labelsOf } from "./workload-identifiers.js";

/** Falco JSON output (`json_output: true`), also what falcosidekick forwards (plus `uuid`, custom fields). */
const falcoPayloadSchema = z.looseObject({
  rule: z.string().min(1, "must name the Falco rule"),
  priority: z.string().min(1),
  time: z.string().min(1),
  output: z.string().optional(),
  source: z.string().optional(),
  hostname: z.string().optional(),
  tags: z.array(z.string()).optional(),
  output_fields: z.record(z.string(), z.unknown()).optional(),
  uuid: z.string().optional(),
});

/** Custom field names operators add (Falco `append_output`, falcosidekick `customfields`) for identity Falco lacks. */
const CLUSTER_FIELDS = ["k8s.cluster.name", "k8smeta.cluster.name", "cluster", "cluster_name", "kubernetes.cluster.name"];
const ACCOUNT_FIELDS = ["cloud.account.id", "aws.account.id", "account_id", "account"];
const REGION_FIELDS = ["cloud.region", "aws.region", "region"];

function firstText(fields: Record<string, unknown>, names: readonly string[]): string | null {
  for (const n of names) {
    const v = textOrNull(fields[n]);
    if (v) return v;
  }
  return null;
}

function ancestorsOf(fields: Record<string, unknown>): string[] {
  const named: { depth: number; name: string }[] = [];
  for (const [key, value] of Object.entries(fields)) {
    const m = /^proc\.aname\[(\d+)\]$/u.exec(key);
    const name = textOrNull(value);
    if (m && name) named.push({ depth: Number(m[1]), name });
  }
  named.sort((a, b) => a.depth - b.depth);
  const parent = textOrNull(fields["proc.pname"]);
  return distinct([parent, ...named.filter((n) => n.depth >= 2).map((n) => n.name)]);
}

function adaptFalco(source: RuntimeSource, payload: unknown): AdaptedAlertDraft {
  const p = readPayload(source, falcoPayloadSchema, payload);
  const severity = FALCO_PRIORITY_SEVERITY[p.priority.trim().toLowerCase()];
  if (!severity) {
    throw new AdapterInputError(source, "priority", `"${p.priority.slice(0, 40)}" is not a Falco priority (Emergency, Alert, Critical, Error, Warning, Notice, Informational, Debug)`);
  }
  const f = p.output_fields ?? {};
  const tags = p.tags ?? [];
  const hints = mitreHintsOf(tags);
  const mitre = completeMitre(source, hints, "payload");

  const containerId = textOrNull(f["container.id"]);
  const containerFullId = bareContainerId(textOrNull(f["container.full_id"]));
  const repo = textOrNull(f["container.image.repository"]);
  const tag = textOrNull(f["container.image.tag"]);
  const image = textOrNull(f["container.image"]) ?? (repo ? (tag ? `${repo}:${tag}` : repo) : null);
  const digestField = f["container.image.digest"];
  const digest = imageRefOf(Array.isArray(digestField) ? textOrNull(digestField[0]) : textOrNull(digestField)).digest;
  // container.image.id is the local image (config) id: a 64-hex sha256 some inventories key images by
  const imageIdText = textOrNull(f["container.image.id"]);
  const imageId = imageIdText && /^(sha256:)?[0-9a-f]{64}$/u.test(imageIdText) ? (imageIdText.startsWith("sha256:") ? imageIdText : `sha256:${imageIdText}`) : null;
  const ns = textOrNull(f["k8s.ns.name"]);
  const podName = textOrNull(f["k8s.pod.name"]);
  const podUid = textOrNull(f["k8s.pod.uid"]);
  const podIp = textOrNull(f["k8s.pod.ip"]);
  const cluster = firstText(f, CLUSTER_FIELDS);
  const account = firstText(f, ACCOUNT_FIELDS);
  const region = firstText(f, REGION_FIELDS);
  const hostname = textOrNull(p.hostname);
  const workloadName = textOrNull(f["k8s.deployment.name"]) ?? textOrNull(f["k8s.daemonset.name"]) ?? textOrNull(f["k8s.statefulset.name"]);
  const workloadKind = f["k8s.deployment.name"] ? "Deployment" : f["k8s.daemonset.name"] ? "DaemonSet" : f["k8s.statefulset.name"] ? "StatefulSet" : null;
  const hasContainer = containerId !== null && containerId !== "host";

  return {
    source,
    sensor: "Falco",
    ruleId: p.rule,
    ruleName: p.rule,
    title: p.rule,
    description: textOrNull(p.output, 20_000) ?? p.rule,
    occurredAt: isoFromText(source, "time", p.time),
    severity,
    originalSeverity: p.priority,
    mitre,
    context: {
      process: falcoProcessOf(f, textOrNull(f["proc.exepath"]) ?? textOrNull(f["proc.exe"]), ancestorsOf(f)),
      container: hasContainer
        ? { id: containerFullId ?? containerId, name: textOrNull(f["container.name"]), image, imageDigest: digest, runtime: null, privileged: typeof f["container.privileged"] === "boolean" ? f["container.privileged"] : null }
        : null,
      pod: podName || podUid ? { name: podName, uid: podUid, ip: podIp, labels: labelsOf(f["k8s.pod.labels"]) } : null,
      namespace: ns,
      workload: workloadName ? { kind: workloadKind, name: workloadName } : null,
      node: hostname,
      cluster,
      cloud: account || region ? { provider: null, accountId: account, region } : null,
    },
    identifiers: {
      cloudIds: cloudIdsAmong(Object.values(f)),
      containerIds: hasContainer ? distinct([containerFullId, containerId]) : [],
      images: distinct([image, digest, imageId]),
      podUids: distinct([podUid]),
      pods: ns && podName ? [`${ns}/${podName}`] : [],
      clusterNames: distinct([cluster]),
      hostnames: distinct([hostname]),
      ips: distinct([podIp]),
    },
    salient: falcoSalientOf(f),
    sensorLink: null,
    raw: payload,
  };
}

export const falcoAdapter: RuntimeAdapter = { source: "falco", sensor: "Falco", adapt: (payload) => adaptFalco("falco", payload) };

/** falcosidekick webhook output: the Falco payload plus `uuid`; custom fields arrive inside `output_fields`. */
export const falcosidekickAdapter: RuntimeAdapter = {
  source: "falcosidekick",
  sensor: "Falco",
  adapt: (payload) => adaptFalco("falcosidekick", payload),
};
