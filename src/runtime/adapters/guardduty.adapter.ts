import { z } from "zod";
import { AdapterInputError } from "./adapter-input-error.js";
import { completeMitre } from "./mitre-derivation.js";
import { distinct, intOrNull, isoFromText, readPayload, textOrNull } from "./payload-reader.js";
import type { AdaptedAlertDraft, RuntimeAdapter } from "./runtime-adapter.js";
import { guardDutySeverity } from "./severity-tables.js";
import { bareContainerId, cloudIdsAmong, imageRefOf, instanceIdsIn, workloadKindOf } from "./workload-identifiers.js";

const lineageSchema = z.looseObject({ ExecutablePath: z.string().optional(), Name: z.string().optional(), Pid: z.number().optional() });

const findingSchema = z.looseObject({
  Id: z.string().optional(),
  Arn: z.string().optional(),
  AccountId: z.string().optional(),
  Region: z.string().optional(),
  Type: z.string().min(1, "must name the GuardDuty finding type"),
  Title: z.string().optional(),
  Description: z.string().optional(),
  Severity: z.union([z.number(), z.string()]),
  CreatedAt: z.string().optional(),
  UpdatedAt: z.string().optional(),
  Resource: z.looseObject({}).optional(),
  Service: z
    .looseObject({
      Count: z.number().optional(),
      EventFirstSeen: z.string().optional(),
      EventLastSeen: z.string().optional(),
      FeatureName: z.string().optional(),
      RuntimeDetails: z
        .looseObject({
          Process: z
            .looseObject({
              Name: z.string().optional(),
              ExecutablePath: z.string().optional(),
              Pid: z.number().optional(),
              Pwd: z.string().optional(),
              User: z.string().optional(),
              UserId: z.number().optional(),
              Lineage: z.array(lineageSchema).optional(),
            })
            .optional(),
        })
        .optional(),
    })
    .optional(),
});

const eventBridgeSchema = z.looseObject({ "detail-type": z.string(), detail: z.unknown(), time: z.string().optional(), region: z.string().optional(), account: z.string().optional() });

/** GuardDuty `Type` threat purpose (the part before `:`) -> ATT&CK tactic. */
const TACTIC_BY_THREAT_PURPOSE: Readonly<Record<string, string>> = {
  Backdoor: "TA0011",
  Behavior: "TA0002",
  CredentialAccess: "TA0006",
  Cryptocurrency: "TA0040",
  CryptoCurrency: "TA0040",
  DefenseEvasion: "TA0005",
  Discovery: "TA0007",
  Execution: "TA0002",
  Exfiltration: "TA0010",
  Impact: "TA0040",
  InitialAccess: "TA0001",
  PenTest: "TA0043",
  Persistence: "TA0003",
  Policy: "TA0005",
  PrivilegeEscalation: "TA0004",
  Recon: "TA0043",
  Stealth: "TA0005",
  Trojan: "TA0002",
  UnauthorizedAccess: "TA0001",
};

/** Runtime finding names (after `/`) with a well-known technique. */
const TECHNIQUE_BY_FINDING_NAME: Readonly<Record<string, string>> = {
  CGroupsReleaseAgentModified: "T1611",
  ContainerMountsHostDirectory: "T1611",
  DockerSocketAccessed: "T1611",
  RuncContainerEscape: "T1611",
  UserfaultfdUsage: "T1068",
  NewBinaryExecuted: "T1204",
  NewLibraryLoaded: "T1574",
  ReverseShell: "T1059",
  ProcessInjection: "T1055",
  "ProcessInjection.Ptrace": "T1055.008",
  "ProcessInjection.Proc": "T1055.009",
  "ProcessInjection.VirtualMemoryWrite": "T1055",
  PtraceAntiDebugging: "T1622",
  FilelessExecution: "T1620",
  KernelModuleLoaded: "T1547.006",
  SuspiciousCommand: "T1059",
  SuspiciousTool: "T1588.002",
  "BitcoinTool.B": "T1496",
  CryptoMinerExecuted: "T1496",
  MaliciousFileExecuted: "T1204.002",
  ElevationToRoot: "T1548",
  AnomalousBehavior: "T1059",
  "C&CActivity.B": "T1071",
  "C&CActivity.B!DNS": "T1071.004",
};

function stringsIn(value: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 8 || out.length > 500) return out;
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringsIn(v, out, depth + 1);
  else if (value && typeof value === "object") for (const v of Object.values(value)) stringsIn(v, out, depth + 1);
  return out;
}

function pick(obj: unknown, ...path: string[]): unknown {
  let cur: unknown = obj;
  for (const key of path) {
    if (!cur || typeof cur !== "object" || !Object.hasOwn(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

function adaptGuardDuty(payload: unknown): AdaptedAlertDraft {
  // EventBridge delivers `{ "detail-type": "GuardDuty Finding", detail: <finding> }`; GetFindings gives the bare finding.
  const envelope = eventBridgeSchema.safeParse(payload);
  const isEnvelope = envelope.success;
  const findingRaw = isEnvelope ? envelope.data.detail : payload;
  const prefix = isEnvelope ? "detail." : "";
  let f: z.output<typeof findingSchema>;
  try {
    f = readPayload("guardduty", findingSchema, findingRaw);
  } catch (e) {
    if (e instanceof AdapterInputError && prefix) throw new AdapterInputError("guardduty", `${prefix}${e.field === "$" ? "" : e.field}`.replace(/\.$/u, ""), e.problem);
    throw e;
  }
  const score = Number(f.Severity);
  if (!Number.isFinite(score) || score < 0 || score > 10) {
    throw new AdapterInputError("guardduty", `${prefix}Severity`, `"${String(f.Severity).slice(0, 20)}" is not a GuardDuty severity score (0-10)`);
  }
  const region = textOrNull(f.Region) ?? (isEnvelope ? textOrNull(envelope.data.region) : null);
  const account = textOrNull(f.AccountId) ?? (isEnvelope ? textOrNull(envelope.data.account) : null);
  const when = f.Service?.EventLastSeen ?? f.UpdatedAt ?? f.CreatedAt ?? (isEnvelope ? envelope.data.time : undefined);
  if (!when) throw new AdapterInputError("guardduty", `${prefix}UpdatedAt`, "missing: the finding has no Service.EventLastSeen, UpdatedAt or CreatedAt");
  const whenField = f.Service?.EventLastSeen ? "Service.EventLastSeen" : f.UpdatedAt ? "UpdatedAt" : f.CreatedAt ? "CreatedAt" : "time";

  const [purpose = "", rest = ""] = f.Type.split(":");
  const findingName = rest.split("/").pop() ?? "";
  const tactic = TACTIC_BY_THREAT_PURPOSE[purpose];
  const technique = TECHNIQUE_BY_FINDING_NAME[findingName];
  const mitre = completeMitre("guardduty", { tactics: tactic ? [tactic] : [], techniques: technique ? [technique] : [] }, "derived");

  const r = f.Resource ?? {};
  const instanceId = textOrNull(pick(r, "InstanceDetails", "InstanceId"));
  const instanceArn = instanceId && region && account ? `arn:aws:ec2:${region}:${account}:instance/${instanceId}` : null;
  const taskArn = textOrNull(pick(r, "EcsClusterDetails", "TaskDetails", "Arn"));
  const ecsClusterArn = textOrNull(pick(r, "EcsClusterDetails", "Arn"));
  const eksClusterArn = textOrNull(pick(r, "EksClusterDetails", "Arn"));
  const eksClusterName = textOrNull(pick(r, "EksClusterDetails", "Name"));
  const ecsClusterName = textOrNull(pick(r, "EcsClusterDetails", "Name"));
  const workload = pick(r, "KubernetesDetails", "KubernetesWorkloadDetails");
  const ns = textOrNull(pick(workload, "Namespace"));
  const workloadName = textOrNull(pick(workload, "Name"));
  const workloadType = textOrNull(pick(workload, "Type"));
  // KubernetesWorkloadDetails.Uid is the pod's uid only when the workload is a pod
  const workloadIsPod = workloadType ? /^pods?$/iu.test(workloadType) : false;
  const podUid = workloadIsPod ? textOrNull(pick(workload, "Uid")) : null;
  const interfaces = Array.isArray(pick(r, "InstanceDetails", "NetworkInterfaces")) ? (pick(r, "InstanceDetails", "NetworkInterfaces") as unknown[]) : [];
  const privateIps = interfaces.map((n) => textOrNull(pick(n, "PrivateIpAddress")));
  const privateDns = interfaces.map((n) => textOrNull(pick(n, "PrivateDnsName")));
  const containerSources = [pick(r, "ContainerDetails"), ...(Array.isArray(pick(workload, "Containers")) ? (pick(workload, "Containers") as unknown[]) : []), ...(Array.isArray(pick(r, "EcsClusterDetails", "TaskDetails", "Containers")) ? (pick(r, "EcsClusterDetails", "TaskDetails", "Containers") as unknown[]) : [])];
  const firstContainer = containerSources.find((c) => c && typeof c === "object");
  const containerId = bareContainerId(textOrNull(pick(firstContainer, "Id")));
  const image = imageRefOf(textOrNull(pick(firstContainer, "Image")));
  const proc = f.Service?.RuntimeDetails?.Process;
  const lineage = proc?.Lineage ?? [];
  const titleInstances = instanceIdsIn(f.Title ?? f.Description);
  const instanceIds = distinct([instanceId, ...titleInstances]);
  const titleInstanceArns = region && account ? titleInstances.map((i) => `arn:aws:ec2:${region}:${account}:instance/${i}`) : [];
  const explicitArns = [taskArn, instanceArn, ...titleInstanceArns, eksClusterArn, ecsClusterArn];
  const cluster = eksClusterName ?? ecsClusterName;
  const count = f.Service?.Count;

  return {
    source: "guardduty",
    sensor: "AWS GuardDuty",
    ruleId: f.Type,
    ruleName: f.Type,
    title: textOrNull(f.Title, 1000) ?? f.Type,
    description: [textOrNull(f.Description, 20_000) ?? textOrNull(f.Title) ?? f.Type, count ? `GuardDuty count ${count}` : null, f.Service?.EventFirstSeen ? `first seen ${f.Service.EventFirstSeen}` : null]
      .filter(Boolean)
      .join("; "),
    occurredAt: isoFromText("guardduty", `${prefix}${whenField}`, when),
    severity: guardDutySeverity(score),
    originalSeverity: String(f.Severity),
    mitre,
    context: {
      process: proc
        ? {
            name: textOrNull(proc.Name),
            pid: intOrNull(proc.Pid),
            executable: textOrNull(proc.ExecutablePath),
            commandLine: null,
            user: textOrNull(proc.User),
            uid: intOrNull(proc.UserId),
            cwd: textOrNull(proc.Pwd),
            parentName: textOrNull(lineage[0]?.Name ?? lineage[0]?.ExecutablePath),
            parentPid: intOrNull(lineage[0]?.Pid),
            parentCommandLine: null,
            ancestors: lineage.map((l) => l.ExecutablePath ?? l.Name ?? "").filter((x) => x !== ""),
          }
        : null,
      container: containerId || image.name ? { id: containerId, name: textOrNull(pick(firstContainer, "Name")), image: image.name, imageDigest: image.digest, runtime: null, privileged: null } : null,
      namespace: ns,
      pod: workloadIsPod && workloadName ? { name: workloadName, uid: podUid, ip: null, labels: {} } : null,
      workload: workloadName && !workloadIsPod ? { kind: workloadKindOf(workloadType), name: workloadName } : null,
      node: null,
      cluster,
      cloud: { provider: "AWS", accountId: account, region },
    },
    identifiers: {
      cloudIds: distinct([...explicitArns, ...cloudIdsAmong(stringsIn(r))]),
      instanceIds,
      containerIds: distinct([containerId]),
      images: distinct([image.name, image.digest]),
      podUids: distinct([podUid]),
      pods: workloadIsPod && ns && workloadName ? [`${ns}/${workloadName}`] : [],
      clusterNames: distinct([cluster]),
      hostnames: distinct(privateDns),
      ips: distinct(privateIps),
    },
    salient: distinct([proc?.ExecutablePath, findingName]),
    sensorLink: region && f.Id ? `https://console.aws.amazon.com/guardduty/home?region=${encodeURIComponent(region)}#/findings?fId=${encodeURIComponent(f.Id)}` : null,
    raw: payload,
  };
}

export const guardDutyAdapter: RuntimeAdapter = { source: "guardduty", sensor: "AWS GuardDuty", adapt: adaptGuardDuty };
