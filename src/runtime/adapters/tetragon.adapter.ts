import { z } from "zod";
import type { WizSeverity } from "../../model/runtime-alert.js";
import { AdapterInputError } from "./adapter-input-error.js";
import { completeMitre } from "./mitre-derivation.js";
import { distinct, intOrNull, isoFromText, readPayload, textOrNull } from "./payload-reader.js";
import type { AdaptedAlertDraft, RuntimeAdapter } from "./runtime-adapter.js";
import { bareContainerId, imageRefOf, labelsOf, workloadKindOf } from "./workload-identifiers.js";

const EVENT_TYPES = [
  "process_exec",
  "process_kprobe",
  "process_tracepoint",
  "process_uprobe",
  "process_lsm",
  "process_connect",
  "process_listen",
  "process_close",
  "process_exit",
] as const;

const podSchema = z.looseObject({
  namespace: z.string().optional(),
  name: z.string().optional(),
  container: z
    .looseObject({
      id: z.string().optional(),
      name: z.string().optional(),
      image: z.looseObject({ id: z.string().optional(), name: z.string().optional() }).optional(),
    })
    .optional(),
  pod_labels: z.record(z.string(), z.string()).optional(),
  workload: z.string().optional(),
  workload_kind: z.string().optional(),
});

const processSchema = z.looseObject({
  binary: z.string().optional(),
  arguments: z.string().optional(),
  pid: z.number().optional(),
  uid: z.number().optional(),
  cwd: z.string().optional(),
  pod: podSchema.optional(),
  docker: z.string().optional(),
});

const eventSchema = z.looseObject({
  process: processSchema,
  parent: processSchema.optional(),
  ancestors: z.array(processSchema).optional(),
  function_name: z.string().optional(),
  policy_name: z.string().optional(),
  action: z.string().optional(),
  args: z.array(z.unknown()).optional(),
  destination_ip: z.string().optional(),
  destination_port: z.number().optional(),
  source_ip: z.string().optional(),
});

const envelopeSchema = z.looseObject({
  node_name: z.string().optional(),
  time: z.string().min(1),
  cluster_name: z.string().optional(),
});

/**
 * Tetragon events carry no severity or ATT&CK data (policies decide what is reported), so the adapter
 * classifies by what happened. Rules are data; first match wins (documented in docs/runtime-sources.md).
 */
interface TetragonRule {
  id: string;
  title: string;
  severity: WizSeverity;
  tactics: string[];
  techniques: string[];
  matches: (type: string, binary: string, args: string, paths: string[], fn: string) => boolean;
}

const CREDENTIAL_PATH = /(shadow|passwd|keystore|\.ssh\/|\.aws\/|credentials|\.kube\/config|secrets?\/|token)/u;

const TETRAGON_RULES: readonly TetragonRule[] = [
  {
    id: "tetragon-escape-to-host",
    title: "Namespace escape to host",
    severity: "HIGH",
    tactics: ["TA0004"],
    techniques: ["T1611"],
    matches: (_t, binary, args) => /\/(nsenter|unshare|chroot)$/u.test(binary) || /\bnsenter\b.*-t\s*1\b/u.test(args),
  },
  {
    id: "tetragon-credential-file-access",
    title: "Sensitive credential file accessed",
    severity: "HIGH",
    tactics: ["TA0006"],
    techniques: ["T1552"],
    matches: (_t, _b, args, paths) => paths.some((p) => CREDENTIAL_PATH.test(p)) || CREDENTIAL_PATH.test(args),
  },
  {
    id: "tetragon-outbound-connection",
    title: "Outbound network connection",
    severity: "MEDIUM",
    tactics: ["TA0011"],
    techniques: ["T1071"],
    matches: (type, _b, _a, _p, fn) => type === "process_connect" || /tcp_connect|sys_connect/u.test(fn),
  },
  {
    id: "tetragon-shell-exec",
    title: "Shell executed in workload",
    severity: "LOW",
    tactics: ["TA0002"],
    techniques: ["T1059.004"],
    matches: (type, binary) => type === "process_exec" && /\/(ba|da|z|k|c|tc)?sh$/u.test(binary),
  },
];

function pathsIn(args: readonly unknown[]): string[] {
  const out: string[] = [];
  for (const a of args) {
    if (a && typeof a === "object") {
      for (const v of Object.values(a as Record<string, unknown>)) {
        if (v && typeof v === "object" && typeof (v as { path?: unknown }).path === "string") out.push((v as { path: string }).path);
      }
    }
  }
  return out;
}

function adaptTetragon(payload: unknown): AdaptedAlertDraft {
  const envelope = readPayload("tetragon", envelopeSchema, payload);
  const record = payload as Record<string, unknown>;
  const type = EVENT_TYPES.find((t) => Object.hasOwn(record, t) && record[t] !== null && typeof record[t] === "object");
  if (!type) {
    throw new AdapterInputError("tetragon", "$", `no Tetragon event key; expected one of ${EVENT_TYPES.join(", ")}`);
  }
  const ev = readPayload("tetragon", z.object({ [type]: eventSchema }), { [type]: record[type] })[type] as z.output<typeof eventSchema>;
  const proc = ev.process;
  const binary = proc.binary ?? "";
  const args = proc.arguments ?? "";
  const paths = pathsIn(ev.args ?? []);
  const fn = ev.function_name ?? "";
  const rule = TETRAGON_RULES.find((r) => r.matches(type, binary, args, paths, fn));
  const pod = proc.pod;
  const container = pod?.container;
  const containerId = bareContainerId(container?.id) ?? textOrNull(proc.docker);
  const imageRef = imageRefOf(container?.image?.id);
  const imageName = textOrNull(container?.image?.name) ?? imageRef.name;
  const node = textOrNull(envelope.node_name);
  const cluster = textOrNull(envelope.cluster_name);
  const ruleId = ev.policy_name ? `${ev.policy_name}` : rule?.id ?? `tetragon-${type.replace("_", "-")}`;
  const what = rule?.title ?? (ev.policy_name ? `Tetragon policy ${ev.policy_name}` : `Tetragon ${type}`);
  const cmd = `${binary}${args ? ` ${args}` : ""}`.trim();
  const mitre = rule ? completeMitre("tetragon", rule, "derived") : completeMitre("tetragon", { tactics: [], techniques: [] }, "derived");
  const actionKills = ev.action ? /SIGKILL|OVERRIDE|NOTIFY_ENFORCER/u.test(ev.action) : false;
  const baseSeverity: WizSeverity = rule?.severity ?? (type === "process_exec" || type === "process_exit" ? "INFORMATIONAL" : "LOW");
  const severity: WizSeverity = actionKills && (baseSeverity === "LOW" || baseSeverity === "INFORMATIONAL") ? "MEDIUM" : baseSeverity;
  const description = [
    `${what}: ${cmd || "(unknown binary)"}`,
    fn ? `kprobe ${fn}` : null,
    paths.length ? `path ${paths.join(", ")}` : null,
    ev.destination_ip ? `destination ${ev.destination_ip}:${ev.destination_port ?? ""}` : null,
    ev.action ? `action ${ev.action}` : null,
    pod?.name ? `pod ${pod.namespace ?? ""}/${pod.name}` : null,
    node ? `node ${node}` : null,
  ]
    .filter(Boolean)
    .join("; ");

  return {
    source: "tetragon",
    sensor: "Tetragon",
    ruleId,
    ruleName: rule?.title ?? ruleId,
    title: `${what}: ${binary.split("/").pop() || type}`,
    description,
    occurredAt: isoFromText("tetragon", "time", envelope.time),
    severity,
    originalSeverity: null,
    mitre,
    context: {
      process: {
        name: binary.split("/").pop() || null,
        pid: intOrNull(proc.pid),
        executable: textOrNull(binary),
        commandLine: textOrNull(cmd),
        user: null,
        uid: intOrNull(proc.uid),
        cwd: textOrNull(proc.cwd),
        parentName: textOrNull(ev.parent?.binary?.split("/").pop()),
        parentPid: intOrNull(ev.parent?.pid),
        parentCommandLine: ev.parent ? textOrNull(`${ev.parent.binary ?? ""} ${ev.parent.arguments ?? ""}`) : null,
        ancestors: distinct([ev.parent?.binary, ...(ev.ancestors ?? []).map((a) => a.binary)]),
      },
      container: containerId
        ? { id: containerId, name: textOrNull(container?.name), image: imageName, imageDigest: imageRef.digest, runtime: container?.id?.split("://")[0] ?? null, privileged: null }
        : null,
      pod: pod?.name ? { name: textOrNull(pod.name), uid: null, ip: null, labels: labelsOf(Object.entries(pod.pod_labels ?? {}).map(([k, v]) => `${k}=${v}`)) } : null,
      namespace: textOrNull(pod?.namespace),
      workload: pod?.workload ? { kind: workloadKindOf(pod.workload_kind), name: pod.workload } : null,
      node,
      cluster,
    },
    identifiers: {
      containerIds: distinct([containerId]),
      images: distinct([imageName, imageRef.digest]),
      pods: pod?.namespace && pod.name ? [`${pod.namespace}/${pod.name}`] : [],
      clusterNames: distinct([cluster]),
      hostnames: distinct([node]),
      ips: distinct([ev.source_ip]),
    },
    salient: distinct([type, binary, paths[0] ?? args, ev.destination_ip]),
    sensorLink: null,
    raw: payload,
  };
}

export const tetragonAdapter: RuntimeAdapter = { source: "tetragon", sensor: "Tetragon", adapt: adaptTetragon };
