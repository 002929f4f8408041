import { z } from "zod";
import type { WizSeverity } from "../../model/runtime-alert.js";
import { AdapterInputError } from "./adapter-input-error.js";
import { completeMitre, mitreHintsOf } from "./mitre-derivation.js";
import { distinct, intOrNull, isoFromEpoch, isoFromText, readPayload, textOrNull } from "./payload-reader.js";
import type { AdaptedAlertDraft, RuntimeAdapter } from "./runtime-adapter.js";
import { TRACEE_SEVERITY } from "./severity-tables.js";
import { bareContainerId, imageRefOf } from "./workload-identifiers.js";

const argSchema = z.looseObject({ name: z.string(), value: z.unknown().optional() });

const traceeSchema = z.looseObject({
  timestamp: z.union([z.number(), z.string()]),
  eventName: z.string().min(1),
  eventId: z.union([z.string(), z.number()]).optional(),
  processName: z.string().optional(),
  processId: z.number().optional(),
  hostProcessId: z.number().optional(),
  parentProcessId: z.number().optional(),
  userId: z.number().optional(),
  hostName: z.string().optional(),
  containerId: z.string().optional(),
  containerImage: z.string().optional(),
  containerName: z.string().optional(),
  podName: z.string().optional(),
  podNamespace: z.string().optional(),
  podUID: z.string().optional(),
  args: z.array(argSchema).nullable().optional(),
  metadata: z
    .looseObject({
      Description: z.string().optional(),
      Properties: z
        .looseObject({
          Severity: z.union([z.number(), z.string()]).optional(),
          Category: z.string().optional(),
          Technique: z.string().optional(),
          external_id: z.string().optional(),
          signatureID: z.string().optional(),
          signatureName: z.string().optional(),
        })
        .optional(),
    })
    .nullable()
    .optional(),
});

/** Tracee events without signature metadata (raw detection events): severity and ATT&CK by event name. */
const TRACEE_EVENT_TABLE: Readonly<Record<string, { severity: WizSeverity; tactics: string[]; techniques: string[] }>> = {
  fileless_execution: { severity: "HIGH", tactics: ["TA0005"], techniques: ["T1620"] },
  dropped_executable: { severity: "MEDIUM", tactics: ["TA0011"], techniques: ["T1105"] },
  magic_write: { severity: "MEDIUM", tactics: ["TA0005"], techniques: ["T1036"] },
  hidden_file_created: { severity: "MEDIUM", tactics: ["TA0005"], techniques: ["T1564"] },
  ptrace: { severity: "MEDIUM", tactics: ["TA0004"], techniques: ["T1055"] },
  security_bpf_prog: { severity: "MEDIUM", tactics: ["TA0003"], techniques: ["T1547"] },
  sched_process_exec: { severity: "INFORMATIONAL", tactics: ["TA0002"], techniques: ["T1059"] },
};

function adaptTracee(payload: unknown): AdaptedAlertDraft {
  const p = readPayload("tracee", traceeSchema, payload);
  const props = p.metadata?.Properties;
  const isSignature = Boolean(props?.signatureID);
  const occurredAt =
    typeof p.timestamp === "number" || /^\d+$/u.test(p.timestamp)
      ? isoFromEpoch("tracee", "timestamp", p.timestamp, Number(p.timestamp) > 1e14 ? "ns" : "ms")
      : isoFromText("tracee", "timestamp", p.timestamp);

  let severity: WizSeverity;
  let originalSeverity: string | null = null;
  if (props?.Severity !== undefined) {
    const level = Number(props.Severity);
    const mapped = Number.isInteger(level) ? TRACEE_SEVERITY[Math.max(0, Math.min(4, level))] : undefined;
    if (!mapped) throw new AdapterInputError("tracee", "metadata.Properties.Severity", `"${String(props.Severity).slice(0, 20)}" is not a Tracee severity (0-4)`);
    severity = mapped;
    originalSeverity = String(props.Severity);
  } else {
    severity = TRACEE_EVENT_TABLE[p.eventName]?.severity ?? "LOW";
  }

  const hints = mitreHintsOf([props?.external_id ?? "", props?.Category ?? ""]);
  const table = TRACEE_EVENT_TABLE[p.eventName];
  const mitre =
    hints.tactics.length || hints.techniques.length
      ? completeMitre("tracee", hints, "payload")
      : completeMitre("tracee", table ?? { tactics: [], techniques: [] }, "derived");

  const args = p.args ?? [];
  const argText = (name: string): string | null => textOrNull(args.find((a) => a.name === name)?.value);
  const containerId = bareContainerId(textOrNull(p.containerId));
  const image = imageRefOf(textOrNull(p.containerImage));
  const podName = textOrNull(p.podName);
  const ns = textOrNull(p.podNamespace);
  const podUid = textOrNull(p.podUID);
  const host = textOrNull(p.hostName);
  const ruleId = props?.signatureID ?? p.eventName;
  const title = props?.signatureName ?? p.eventName;
  const pathArg = argText("pathname") ?? argText("cmdpath") ?? argText("path");

  return {
    source: "tracee",
    sensor: "Tracee",
    ruleId,
    ruleName: title,
    title,
    description:
      textOrNull(p.metadata?.Description, 20_000) ??
      `Tracee event ${p.eventName} by ${p.processName ?? "unknown process"}${pathArg ? ` (${pathArg})` : ""}`,
    occurredAt,
    severity,
    originalSeverity: originalSeverity ?? (isSignature ? null : null),
    mitre,
    context: {
      process: {
        name: textOrNull(p.processName),
        pid: intOrNull(p.hostProcessId ?? p.processId),
        executable: argText("cmdpath"),
        commandLine: Array.isArray(args.find((a) => a.name === "argv")?.value)
          ? textOrNull((args.find((a) => a.name === "argv")?.value as unknown[]).filter((x) => typeof x === "string").join(" "))
          : null,
        user: null,
        uid: intOrNull(p.userId),
        cwd: null,
        parentName: null,
        parentPid: intOrNull(p.parentProcessId),
        parentCommandLine: null,
        ancestors: [],
      },
      container: containerId
        ? { id: containerId, name: textOrNull(p.containerName), image: image.name, imageDigest: image.digest, runtime: null, privileged: null }
        : null,
      pod: podName || podUid ? { name: podName, uid: podUid, ip: null, labels: {} } : null,
      namespace: ns,
      node: host,
    },
    identifiers: {
      containerIds: distinct([containerId]),
      images: distinct([image.name, image.digest]),
      podUids: distinct([podUid]),
      pods: ns && podName ? [`${ns}/${podName}`] : [],
      hostnames: distinct([host]),
    },
    salient: distinct([p.eventName, p.processName, pathArg]),
    sensorLink: null,
    raw: payload,
  };
}

export const traceeAdapter: RuntimeAdapter = { source: "tracee", sensor: "Tracee", adapt: adaptTracee };
