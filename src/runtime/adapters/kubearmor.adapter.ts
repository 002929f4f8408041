import { z } from "zod";
import type { WizSeverity } from "../../model/runtime-alert.js";
import { AdapterInputError } from "./adapter-input-error.js";
import { completeMitre, mitreHintsOf } from "./mitre-derivation.js";
import { distinct, intOrNull, isoFromEpoch, isoFromText, readPayload, textOrNull } from "./payload-reader.js";
import type { AdaptedAlertDraft, RuntimeAdapter } from "./runtime-adapter.js";
import { kubeArmorSeverity } from "./severity-tables.js";
import { bareContainerId, imageRefOf, labelsOf, workloadKindOf } from "./workload-identifiers.js";

const kubeArmorSchema = z.looseObject({
  Timestamp: z.union([z.number(), z.string()]).optional(),
  UpdatedTime: z.string().optional(),
  ClusterName: z.string().optional(),
  HostName: z.string().optional(),
  NamespaceName: z.string().optional(),
  PodName: z.string().optional(),
  Labels: z.string().optional(),
  Owner: z.looseObject({ Ref: z.string().optional(), Name: z.string().optional(), Namespace: z.string().optional() }).optional(),
  ContainerID: z.string().optional(),
  ContainerName: z.string().optional(),
  ContainerImage: z.string().optional(),
  HostPID: z.number().optional(),
  PID: z.number().optional(),
  PPID: z.number().optional(),
  UID: z.number().optional(),
  ParentProcessName: z.string().optional(),
  ProcessName: z.string().optional(),
  PolicyName: z.string().optional(),
  Severity: z.union([z.string(), z.number()]).optional(),
  Tags: z.union([z.string(), z.array(z.string())]).optional(),
  Message: z.string().optional(),
  Type: z.string().min(1),
  Source: z.string().optional(),
  Operation: z.string().min(1),
  Resource: z.string().optional(),
  Data: z.string().optional(),
  Action: z.string().optional(),
  Result: z.string().optional(),
});

/** ATT&CK by KubeArmor `Operation` when the policy has no MITRE tags. */
const OPERATION_MITRE: Readonly<Record<string, { tactics: string[]; techniques: string[] }>> = {
  Process: { tactics: ["TA0002"], techniques: ["T1059"] },
  File: { tactics: ["TA0009"], techniques: ["T1005"] },
  Network: { tactics: ["TA0011"], techniques: ["T1071"] },
  Capabilities: { tactics: ["TA0004"], techniques: ["T1068"] },
  Syscall: { tactics: ["TA0002"], techniques: ["T1106"] },
};

function adaptKubeArmor(payload: unknown): AdaptedAlertDraft {
  const p = readPayload("kubearmor", kubeArmorSchema, payload);
  let occurredAt: string;
  if (p.UpdatedTime) occurredAt = isoFromText("kubearmor", "UpdatedTime", p.UpdatedTime);
  else if (p.Timestamp !== undefined) occurredAt = isoFromEpoch("kubearmor", "Timestamp", p.Timestamp, "s");
  else throw new AdapterInputError("kubearmor", "Timestamp", "missing: a KubeArmor alert needs Timestamp or UpdatedTime");

  let severity: WizSeverity;
  if (p.Severity !== undefined && String(p.Severity).trim() !== "") {
    const level = Number(p.Severity);
    if (!Number.isFinite(level)) throw new AdapterInputError("kubearmor", "Severity", `"${String(p.Severity).slice(0, 20)}" is not a KubeArmor severity (1-10)`);
    severity = kubeArmorSeverity(level);
  } else {
    severity = p.Action === "Block" ? "MEDIUM" : "LOW";
  }
  const tags = typeof p.Tags === "string" ? p.Tags.split(",") : (p.Tags ?? []);
  const hints = mitreHintsOf(tags);
  const mitre =
    hints.tactics.length || hints.techniques.length
      ? completeMitre("kubearmor", hints, "payload")
      : completeMitre("kubearmor", OPERATION_MITRE[p.Operation] ?? { tactics: [], techniques: [] }, "derived");
  const containerId = bareContainerId(textOrNull(p.ContainerID));
  const image = imageRefOf(textOrNull(p.ContainerImage));
  const ns = textOrNull(p.NamespaceName);
  const podName = textOrNull(p.PodName);
  const cluster = textOrNull(p.ClusterName);
  const host = textOrNull(p.HostName);
  const ruleId = textOrNull(p.PolicyName) ?? `${p.Type}:${p.Operation}`;
  const verb = p.Action ?? (p.Type === "MatchedPolicy" ? "Audit" : p.Type);
  const isProcess = p.Operation === "Process";

  return {
    source: "kubearmor",
    sensor: "KubeArmor",
    ruleId,
    ruleName: ruleId,
    title: `${ruleId}: ${verb} ${p.Operation} ${textOrNull(p.Resource, 200) ?? ""}`.trim(),
    description: [
      textOrNull(p.Message),
      `${p.Type} ${p.Operation} ${p.Resource ?? ""} by ${p.ProcessName ?? p.Source ?? "unknown"}`.trim(),
      p.Action ? `action ${p.Action}` : null,
      p.Result ? `result ${p.Result}` : null,
      p.Enforcer ? `enforcer ${String(p.Enforcer)}` : null,
    ]
      .filter(Boolean)
      .join("; "),
    occurredAt,
    severity,
    originalSeverity: p.Severity === undefined ? null : String(p.Severity),
    mitre,
    context: {
      process: {
        name: textOrNull(p.ProcessName?.split("/").pop()),
        pid: intOrNull(p.HostPID ?? p.PID),
        executable: textOrNull(p.ProcessName),
        commandLine: isProcess ? textOrNull(p.Resource) : null,
        user: null,
        uid: intOrNull(p.UID),
        cwd: null,
        parentName: textOrNull(p.ParentProcessName?.split("/").pop()),
        parentPid: intOrNull(p.PPID),
        parentCommandLine: null,
        ancestors: distinct([p.ParentProcessName]),
      },
      container: containerId
        ? { id: containerId, name: textOrNull(p.ContainerName), image: image.name, imageDigest: image.digest, runtime: null, privileged: null }
        : null,
      pod: podName ? { name: podName, uid: null, ip: null, labels: labelsOf(p.Labels) } : null,
      namespace: ns,
      workload: p.Owner?.Name ? { kind: workloadKindOf(p.Owner.Ref), name: p.Owner.Name } : null,
      node: host,
      cluster,
    },
    identifiers: {
      containerIds: distinct([containerId]),
      images: distinct([image.name, image.digest]),
      pods: ns && podName ? [`${ns}/${podName}`] : [],
      clusterNames: distinct([cluster]),
      hostnames: distinct([host]),
    },
    salient: distinct([p.Operation, textOrNull(p.Resource, 500), p.Action]),
    sensorLink: null,
    raw: payload,
  };
}

export const kubeArmorAdapter: RuntimeAdapter = { source: "kubearmor", sensor: "KubeArmor", adapt: adaptKubeArmor };
