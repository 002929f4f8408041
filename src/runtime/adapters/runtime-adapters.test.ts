import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { RuntimeAlert, RuntimeSource } from "../../model/runtime-alert.js";
import { runtimeAlertSchema } from "../../model/runtime-alert.js";
import { adaptRuntimePayload } from "./runtime-adapter.registry.js";

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../../test/fixtures/runtime/${name}`, import.meta.url), "utf8"));
const stamp = { id: "0190a1b2-0000-7000-8000-000000000001", receivedAt: "2026-01-01T00:00:00.000Z" };

function adapt(source: RuntimeSource, payload: unknown): RuntimeAlert {
  const result = adaptRuntimePayload(source, payload, stamp);
  if (!result.ok) throw result.error;
  expect(runtimeAlertSchema.safeParse(result.alert).success).toBe(true);
  return result.alert;
}

describe("Falco", () => {
  it("maps the k8s sensitive-file alert: rule, MEDIUM from Warning, tag MITRE, pod and container identity", () => {
    const a = adapt("falco", fixture("falco-json-output-read-sensitive-file-k8s.json"));
    expect(a).toMatchObject({ sensor: "Falco", ruleId: "Read sensitive file untrusted", severity: "MEDIUM", originalSeverity: "Warning", occurredAt: "2024-05-13T13:23:31.089Z" });
    expect(a.mitre).toEqual({ tactics: ["TA0006"], techniques: ["T1555"], origin: "payload" });
    expect(a.context.process).toMatchObject({ name: "event-generator", executable: "/bin/event-generator", commandLine: "event-generator run --loop", user: "root", uid: 0, parentName: "containerd-shim" });
    expect(a.context.process?.ancestors).toEqual(["containerd-shim", "runc", "init"]);
    expect(a.context.namespace).toBe("kubernetes-ns");
    expect(a.context.pod).toMatchObject({ name: "kubernetes-pod-1", uid: "aadadjh763wiuh", labels: { key1: "value1" } });
    expect(a.identifiers).toMatchObject({ containerIds: ["84c0b936c919"], podUids: ["aadadjh763wiuh"], pods: ["kubernetes-ns/kubernetes-pod-1"], hostnames: ["a2000de987ff"] });
    expect(a.salient).toEqual(["openat", "/etc/shadow", "/bin/event-generator"]);
    expect(a.description).toContain("Sensitive file opened for reading");
  });

  it("keeps the full container id, image and digest", () => {
    const a = adapt("falco", fixture("falco-json-output-read-sensitive-file-container-image.json"));
    expect(a.context.container).toMatchObject({ id: "9656db3bb3588e7b23da7d48fe889434573036c27ae5a74837233de441c3601e", image: "falcosecurity/event-generator:0.10.0", imageDigest: "sha256:d977378f890d445c15e51795296e4e5062f109ce6da83e0a355fc4ad8699d27" });
    expect(a.identifiers.containerIds).toEqual(["9656db3bb3588e7b23da7d48fe889434573036c27ae5a74837233de441c3601e", "9656db3bb358"]);
    expect(a.identifiers.images).toEqual([
      "falcosecurity/event-generator:0.10.0",
      "sha256:d977378f890d445c15e51795296e4e5062f109ce6da83e0a355fc4ad8699d27",
      "sha256:16e0fa09a4f1018f22be6cce3ec21848dccaa566b063bda4c814c37dc36adfea",
    ]);
  });

  it("maps a sub-technique and its tactic from tags; Notice is LOW", () => {
    const a = adapt("falco", fixture("falco-json-output-run-shell-untrusted.json"));
    expect(a.severity).toBe("LOW");
    expect(a.mitre).toEqual({ tactics: ["TA0002"], techniques: ["T1059.004"], origin: "payload" });
    expect(a.context.process?.ancestors).toEqual(["httpd", "event-generator", "containerd-shim", "runc", "init"]);
  });

  it("falcosidekick test payload: Debug is INFORMATIONAL, no MITRE tags -> documented fallback", () => {
    const a = adapt("falcosidekick", fixture("falcosidekick-test-input-payload.json"));
    expect(a).toMatchObject({ source: "falcosidekick", ruleId: "Test rule", severity: "INFORMATIONAL", occurredAt: "2001-01-01T01:10:00.000Z" });
    expect(a.mitre).toEqual({ tactics: ["TA0002"], techniques: ["T1059"], origin: "fallback" });
    expect(a.identifiers.hostnames).toEqual(["test-host"]);
  });

  it("reads cluster and ARNs from custom fields", () => {
    const base = fixture("falcosidekick-test-input-payload.json") as Record<string, unknown>;
    const a = adapt("falcosidekick", { ...base, output_fields: { "k8s.cluster.name": "prod-eks", "aws.instance.arn": "arn:aws:ec2:us-east-1:123456789012:instance/i-0abc12345678def00" } });
    expect(a.context.cluster).toBe("prod-eks");
    expect(a.identifiers.clusterNames).toEqual(["prod-eks"]);
    expect(a.identifiers.cloudIds).toEqual(["arn:aws:ec2:us-east-1:123456789012:instance/i-0abc12345678def00"]);
  });
});

describe("Tetragon", () => {
  it("classifies nsenter -t 1 in a privileged pod as escape to host (HIGH, T1611)", () => {
    const a = adapt("tetragon", fixture("tetragon-process-exec-privileged-pod-nsenter.json"));
    expect(a).toMatchObject({ sensor: "Tetragon", ruleId: "tetragon-escape-to-host", severity: "HIGH", occurredAt: "2022-01-19T11:16:29.378Z" });
    expect(a.mitre).toEqual({ tactics: ["TA0004"], techniques: ["T1611"], origin: "derived" });
    expect(a.context.container).toMatchObject({ id: "85f791fd8dfa740a3b1c177e8f68e8fdb4803a7c8fa0e957a5ec38460ce047ef", image: "nginx:latest", imageDigest: "sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31", runtime: "docker" });
    expect(a.context.process).toMatchObject({ executable: "/usr/bin/nsenter", commandLine: "/usr/bin/nsenter -t 1 -m -u -n -i -p bash", parentName: "bash" });
    expect(a.identifiers).toMatchObject({ pods: ["default/privileged-pod"], hostnames: ["minikube"] });
  });

  it("classifies a kprobe read of a keystore as credential access", () => {
    const a = adapt("tetragon", fixture("tetragon-process-kprobe-read-keystore.json"));
    expect(a).toMatchObject({ ruleId: "tetragon-credential-file-access", severity: "HIGH" });
    expect(a.mitre.techniques).toEqual(["T1552"]);
    expect(a.context.namespace).toBe("tenant-jobs");
    expect(a.identifiers.pods).toEqual(["tenant-jobs/elasticsearch-56f8fc6988-65smb"]);
    expect(a.description).toContain("__x64_sys_read");
  });

  it("classifies the legacy process_connect as command and control, container id from the docker field", () => {
    const a = adapt("tetragon", fixture("tetragon-process-connect-merlin-c2-legacy.json"));
    expect(a).toMatchObject({ ruleId: "tetragon-outbound-connection", severity: "MEDIUM" });
    expect(a.mitre).toMatchObject({ tactics: ["TA0011"], techniques: ["T1071"] });
    expect(a.identifiers.containerIds).toEqual(["a51959123c3ba99a9f50a700"]);
    expect(a.description).toContain("34.116.205.187:443");
  });
});

describe("Tracee", () => {
  it("maps signature TRC-102: severity 1 -> LOW, external_id and category -> MITRE", () => {
    const a = adapt("tracee", fixture("tracee-detection-anti-debugging-trc102.json"));
    expect(a).toMatchObject({ ruleId: "TRC-102", title: "Anti-Debugging detected", severity: "LOW", originalSeverity: "1" });
    expect(a.mitre).toEqual({ tactics: ["TA0005"], techniques: ["T1622"], origin: "payload" });
    expect(a.occurredAt).toBe("2023-03-29T19:44:47.787Z");
    expect(a.identifiers.hostnames).toEqual(["ubuntu-jammy"]);
    expect(a.context.container).toBeNull();
  });

  it("maps the fileless_execution event with pod identity via the event table", () => {
    const a = adapt("tracee", fixture("tracee-event-fileless-execution-k8s-pod.json"));
    expect(a).toMatchObject({ ruleId: "fileless_execution", severity: "HIGH" });
    expect(a.mitre).toEqual({ tactics: ["TA0005"], techniques: ["T1620"], origin: "derived" });
    expect(a.identifiers).toMatchObject({ containerIds: ["c7e3c75bf167348bf79262bf6e688088f9b4d54ebcc79464f40b52b80c73ff55"], podUids: ["5cb83966-e274-48f1-89fb-25bd748d2773"], pods: ["tracee-system/tracee-wk8wh"], images: ["docker.io/aquasec/tracee:latest"] });
  });
});

describe("KubeArmor", () => {
  it("maps the blocked apt alert: severity 3 -> LOW, Process -> execution, image digest, labels, cluster", () => {
    const a = adapt("kubearmor", fixture("kubearmor-alert-matchedpolicy-block-process.json"));
    expect(a).toMatchObject({ ruleId: "ksp-wordpress-block-process", severity: "LOW", originalSeverity: "3", occurredAt: "2023-01-04T04:58:48.838Z" });
    expect(a.mitre).toEqual({ tactics: ["TA0002"], techniques: ["T1059"], origin: "derived" });
    expect(a.context.container).toMatchObject({ image: "docker.io/library/wordpress:4.8-apache", imageDigest: "sha256:6216f64ab88fc51d311e38c7f69ca3f9aaba621492b4f1fa93ddf63093768845" });
    expect(a.context.pod?.labels).toEqual({ app: "wordpress" });
    expect(a.context.process).toMatchObject({ executable: "/usr/bin/apt", commandLine: "/usr/bin/apt update", parentName: "bash" });
    expect(a.identifiers).toMatchObject({ clusterNames: ["default"], pods: ["wordpress-mysql/wordpress-787f45786f-mm2bm"], hostnames: ["sibashi-asus"] });
    expect(a.salient).toEqual(["Process", "/usr/bin/apt update", "Block"]);
  });

  it("parses MITRE policy tags", () => {
    const a = adapt("kubearmor", { ...(fixture("kubearmor-alert-matchedpolicy-block-process.json") as object), Tags: "MITRE,MITRE_T1036_masquerading" });
    expect(a.mitre).toEqual({ tactics: ["TA0005"], techniques: ["T1036"], origin: "derived" });
  });
});

describe("Sysdig Secure", () => {
  it("maps the GKE workload detection: severity 4 -> MEDIUM, labels -> cluster, workload, cloud", () => {
    const a = adapt("sysdig", fixture("sysdig-secure-event-workload-runtime-detection-gke.json"));
    expect(a).toMatchObject({ sensor: "Sysdig Secure", ruleId: "My test rule custom", severity: "MEDIUM", originalSeverity: "4" });
    expect(a.mitre.origin).toBe("fallback");
    expect(a.context).toMatchObject({ cluster: "gke-alliances-demo-6", namespace: "default", workload: { kind: "CronJob", name: "shell-scripting" }, cloud: { provider: "GCP", accountId: "123456789012", region: "us-central1" } });
    expect(a.context.process).toMatchObject({ name: "sh", pid: 1890726, executable: "/usr/bin/dash", parentName: "bash" });
    expect(a.identifiers).toMatchObject({ clusterNames: ["gke-alliances-demo-6"], pods: ["default/shell-scripting-abcdef12-12345"], hostnames: ["gke-cluster-gcp-demo-san-default-pool-11234abc-abcd"] });
    expect(a.identifiers.images).toEqual(["docker.io/library/python:3.9.18-slim", "sha256:aa7b73608abcfb0212401234567890123456789abcdefa610681097a54ca2c2a"]);
    expect(a.occurredAt).toBe("2025-04-16T03:01:01.195Z");
  });
});

describe("GuardDuty", () => {
  it("maps the runtime finding: 8 -> HIGH, PrivilegeEscalation -> TA0004, CGroups release agent -> T1611, instance from the title", () => {
    const a = adapt("guardduty", fixture("guardduty-runtime-finding-cgroups-release-agent-partial.json"));
    expect(a).toMatchObject({ ruleId: "PrivilegeEscalation:Runtime/CGroupsReleaseAgentModified", severity: "HIGH", originalSeverity: "8", occurredAt: "2023-06-30T11:54:18.000Z" });
    expect(a.mitre).toEqual({ tactics: ["TA0004"], techniques: ["T1611"], origin: "derived" });
    expect(a.identifiers.instanceIds).toEqual(["i-99999999"]);
    expect(a.context.process).toMatchObject({ name: "GeneratedFindingProcessName", pid: 1234, user: "ec2-user", ancestors: ["GeneratedFindingPath", "GeneratedFindingPath"] });
    expect(a.description).toContain("GuardDuty count 4");
  });

  it("the ECS resource fragment alone is not a finding: a typed error naming Type", () => {
    const r = adaptRuntimePayload("guardduty", fixture("guardduty-finding-resource-ecs-cluster-task-partial.json"), stamp);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.field).toBe("Type");
  });

  it("an EventBridge finding with the ECS resource: task ARN first, then cluster ARN, and a console link", () => {
    const finding = {
      ...(fixture("guardduty-runtime-finding-cgroups-release-agent-partial.json") as object),
      ...(fixture("guardduty-finding-resource-ecs-cluster-task-partial.json") as object),
      Id: "abc123",
      AccountId: "123456789000",
      Region: "us-east-1",
    };
    const a = adapt("guardduty", { version: "0", "detail-type": "GuardDuty Finding", source: "aws.guardduty", detail: finding });
    expect(a.identifiers.cloudIds.slice(0, 2)).toEqual(["arn:aws:ecs:region:123456789000:task/mycluster/043de9ab3", "arn:aws:ec2:us-east-1:123456789000:instance/i-99999999"]);
    expect(a.identifiers.cloudIds).toContain("arn:aws:ecs:region:123456789000:cluster/clusterName");
    expect(a.context.cluster).toBe("GeneratedFindingECSClusterName");
    expect(a.sensorLink).toBe("https://console.aws.amazon.com/guardduty/home?region=us-east-1#/findings?fId=abc123");
  });

  it("an EKS runtime finding: instance network identity, pod workload, EKS cluster", () => {
    const finding = {
      ...(fixture("guardduty-runtime-finding-cgroups-release-agent-partial.json") as object),
      AccountId: "123456789012",
      Region: "eu-west-1",
      Resource: {
        ResourceType: "EKSCluster",
        EksClusterDetails: { Name: "prod-eks", Arn: "arn:aws:eks:eu-west-1:123456789012:cluster/prod-eks" },
        KubernetesDetails: { KubernetesWorkloadDetails: { Name: "web-7d9f-abcde", Type: "pods", Uid: "5cb83966-e274-48f1-89fb-25bd748d2773", Namespace: "shop", Containers: [{ Name: "web", Image: "nginx:1.25", Id: "containerd://0123abcd" }] } },
        InstanceDetails: { InstanceId: "i-0abc12345678def00", NetworkInterfaces: [{ PrivateIpAddress: "10.0.1.17", PrivateDnsName: "ip-10-0-1-17.eu-west-1.compute.internal" }] },
      },
    };
    const a = adapt("guardduty", finding);
    expect(a.identifiers).toMatchObject({
      instanceIds: ["i-0abc12345678def00", "i-99999999"],
      podUids: ["5cb83966-e274-48f1-89fb-25bd748d2773"],
      pods: ["shop/web-7d9f-abcde"],
      clusterNames: ["prod-eks"],
      hostnames: ["ip-10-0-1-17.eu-west-1.compute.internal"],
      ips: ["10.0.1.17"],
    });
    expect(a.identifiers.cloudIds.slice(0, 2)).toEqual(["arn:aws:ec2:eu-west-1:123456789012:instance/i-0abc12345678def00", "arn:aws:ec2:eu-west-1:123456789012:instance/i-99999999"]);
    expect(a.context.pod).toMatchObject({ name: "web-7d9f-abcde", uid: "5cb83966-e274-48f1-89fb-25bd748d2773" });
    expect(a.context.container).toMatchObject({ id: "0123abcd", name: "web", image: "nginx:1.25" });
  });

  it("names the field inside an EventBridge envelope", () => {
    const r = adaptRuntimePayload("guardduty", { "detail-type": "GuardDuty Finding", detail: { Type: "X:Y/Z", Severity: "high" } }, stamp);
    expect(r.ok ? null : r.error.field).toBe("detail.Severity");
  });
});

describe("AWS WAF", () => {
  it("maps the SQLi header block: BLOCK -> MEDIUM, SQL_INJECTION -> T1190/TA0001, request context, web ACL ARN", () => {
    const a = adapt("aws-waf", fixture("aws-waf-log-block-sqli-header.json"));
    expect(a).toMatchObject({ ruleId: "STMTest_SQLi_XSS", severity: "MEDIUM", originalSeverity: "BLOCK", occurredAt: "2019-12-13T23:40:12.771Z" });
    expect(a.mitre).toEqual({ tactics: ["TA0001"], techniques: ["T1190"], origin: "derived" });
    expect(a.context.request).toMatchObject({ method: "GET", host: "localhost:1989", path: "/foo", clientIp: "89.160.20.156", userAgent: "curl/7.61.1", attackClass: "sql_injection", matchedData: "10 AND 1" });
    expect(a.identifiers).toMatchObject({ cloudIds: ["arn:aws:wafv2:ap-southeast-2:EXAMPLE12345:regional/webacl/STMTest/1EXAMPLE-2ARN-3ARN-4ARN-123456EXAMPLE"], hostnames: ["localhost"], endpoints: ["https://localhost:1989/foo"] });
  });

  it("maps a rule-group XSS block with the group's rule id", () => {
    const a = adapt("aws-waf", fixture("aws-waf-log-block-xss-rulegroup.json"));
    expect(a.ruleId).toBe("RG-Reference/RuleA-XSS");
    expect(a.mitre.techniques).toEqual(["T1189", "T1190"]);
    expect(a.mitre.tactics).toEqual(["TA0001"]);
  });

  it("an ALB source: protected-resource ARN derived when the source id has the ALB format", () => {
    const a = adapt("aws-waf", fixture("aws-waf-log-block-sqli-alb-source.json"));
    expect(a.identifiers.cloudIds).toEqual(["arn:aws:wafv2:ap-southeast-2:12345:regional/webacl/test/111"]);
    const real = adapt("aws-waf", { ...(fixture("aws-waf-log-block-sqli-alb-source.json") as object), webaclId: "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/w/1", httpSourceId: "123456789012-app/shop-alb/0123456789abcdef" });
    expect(real.identifiers.cloudIds[0]).toBe("arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/shop-alb/0123456789abcdef");
  });
});

describe("ModSecurity", () => {
  it("maps the CRS 942100 SQLi: the attack rule is primary, CRITICAL -> HIGH, request and endpoint", () => {
    const a = adapt("modsecurity", fixture("modsecurity-v2-json-audit-sqli-blocked.json"));
    expect(a).toMatchObject({ ruleId: "942100", ruleName: "SQL Injection Attack Detected via libinjection", severity: "HIGH", originalSeverity: "CRITICAL", occurredAt: "2022-03-25T10:15:35.000Z" });
    expect(a.mitre).toEqual({ tactics: ["TA0001"], techniques: ["T1190"], origin: "derived" });
    expect(a.context.request).toMatchObject({ method: "GET", host: "test.website.com", path: "/", clientIp: "89.160.20.112", status: 403, action: "intercepted", attackClass: "sqli" });
    expect(a.identifiers).toMatchObject({ serviceNames: ["test.website.com"], endpoints: ["https://test.website.com/"], ips: ["172.21.50.216"] });
  });
});

describe("ModSecurity v3 (libmodsecurity JSON audit log)", () => {
  // The v2 fixture's transaction rewritten in the libmodsecurity 3 layout (transaction.request/response/messages[].details).
  const v3 = {
    transaction: {
      client_ip: "89.160.20.112",
      time_stamp: "Fri Mar 25 10:15:35 2022",
      server_id: "4f0c7f9c1a8e",
      client_port: 47461,
      host_ip: "172.21.50.216",
      host_port: 443,
      unique_id: "164820333525.870234",
      request: { method: "GET", http_version: 2.0, uri: "/?id=3%20or%20%27a%27=%27a%27", headers: { Host: "test.website.com", "User-Agent": "Mozilla/5.0" } },
      response: { http_code: 403, headers: {} },
      producer: { modsecurity: "ModSecurity v3.0.6 (Linux)", connector: "ModSecurity-nginx v1.0.2", secrules_engine: "Enabled", components: ["OWASP_CRS/3.3.2"] },
      messages: [
        { message: "SQL Injection Attack Detected via libinjection", details: { match: "detected SQLi using libinjection.", ruleId: "942100", data: "Matched Data: 1&sos found within ARGS:id: 3 or 'a'='a'", severity: "2", ver: "OWASP_CRS/3.3.2", tags: ["application-multi", "attack-sqli", "paranoia-level/1"] } },
        { message: "Inbound Anomaly Score Exceeded (Total Score: 5)", details: { ruleId: "949110", severity: "2", tags: ["attack-generic"] } },
      ],
    },
  };
  it("maps the same attack the same way as v2, time read as UTC", () => {
    const a = adapt("modsecurity", v3);
    expect(a).toMatchObject({ ruleId: "942100", severity: "HIGH", originalSeverity: "2", occurredAt: "2022-03-25T10:15:35.000Z" });
    expect(a.context.request).toMatchObject({ method: "GET", host: "test.website.com", path: "/", clientIp: "89.160.20.112", status: 403, action: "intercepted", attackClass: "sqli", matchedData: "1&sos found within ARGS:id: 3 or 'a'='a'" });
    expect(a.identifiers.endpoints).toEqual(["https://test.website.com/"]);
  });
  it("names the field when messages carry no rule id", () => {
    const r = adaptRuntimePayload("modsecurity", { transaction: { ...v3.transaction, messages: [{ message: "x" }] } }, stamp);
    expect(r.ok ? null : r.error.field).toBe("transaction.messages");
  });
});

describe("generic", () => {
  it("maps a documented RASP alert, MITRE from attack class", () => {
    const a = adapt("generic", {
      sensor: "Contrast Protect",
      ruleId: "sql-injection",
      title: "SQL injection blocked in /api/login",
      occurredAt: "2026-03-01T10:00:00+01:00",
      originalSeverity: "high",
      attackClass: "sql_injection",
      context: { request: { method: "POST", path: "/api/login", clientIp: "203.0.113.7" } },
      identifiers: { serviceNames: ["checkout-api"] },
      sensorLink: "https://app.contrastsecurity.com/attacks/123",
    });
    expect(a).toMatchObject({ sensor: "Contrast Protect", severity: "HIGH", occurredAt: "2026-03-01T09:00:00.000Z", sensorLink: "https://app.contrastsecurity.com/attacks/123" });
    expect(a.mitre).toEqual({ tactics: ["TA0001"], techniques: ["T1190"], origin: "derived" });
    expect(a.context.request?.attackClass).toBe("sql_injection");
    expect(a.identifiers.serviceNames).toEqual(["checkout-api"]);
  });

  it("accepts the example documented in docs/runtime-sources.md", () => {
    const doc = readFileSync(new URL("../../../docs/runtime-sources.md", import.meta.url), "utf8");
    const example = /```json\n([\s\S]*?)```/u.exec(doc)?.[1];
    const a = adapt("generic", JSON.parse(example ?? "null"));
    expect(a).toMatchObject({ sensor: "Contrast Protect", severity: "HIGH", context: { cluster: "prod-eks", namespace: "shop" } });
    expect(a.mitre).toEqual({ tactics: ["TA0001"], techniques: ["T1190"], origin: "payload" });
  });

  it("rejects a wrong-typed field with its name", () => {
    const r = adaptRuntimePayload("generic", { sensor: "x", ruleId: "r", title: "t", occurredAt: 5, severity: "HIGH" }, stamp);
    expect(r.ok ? null : r.error.field).toBe("occurredAt");
  });
});
