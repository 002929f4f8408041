/**
 * Static vocabulary of the generated tenant: company and team names, regions per provider, detection
 * origins (REFERENCE 2.12), MITRE ATT&CK tactics and techniques, and the words resource names are made of.
 */

export const COMPANY_NAMES = ["acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "wonka", "tyrell", "cyberdyne", "soylent", "vandelay"] as const;

export const SERVICE_WORDS = [
  "payments",
  "orders",
  "checkout",
  "auth",
  "billing",
  "search",
  "inventory",
  "ledger",
  "notifications",
  "catalog",
  "gateway",
  "reporting",
  "identity",
  "shipping",
  "pricing",
  "fraud",
  "media",
  "analytics",
  "profile",
  "support",
] as const;

export const ENVIRONMENT_WORDS = ["prod", "staging", "dev", "qa", "sandbox"] as const;

export const TEAM_NAMES = ["platform", "payments", "data", "identity", "growth", "mobile", "core-api", "sre", "security", "ml"] as const;

export const BUSINESS_UNITS = ["Retail", "Finance", "Platform Engineering", "Data & Analytics", "Corporate IT", "Consumer Apps", "Enterprise"] as const;

export const PROJECT_NAMES = [
  "Payments Platform",
  "Customer Identity",
  "Order Management",
  "Data Lake",
  "Mobile Backend",
  "Corporate IT",
  "Search & Discovery",
  "Fraud Detection",
  "Billing Services",
  "Internal Tools",
  "Marketing Web",
  "Logistics",
  "Machine Learning",
  "Partner APIs",
  "Shared Infrastructure",
  "Security Tooling",
  "Observability",
  "Developer Platform",
  "Checkout Experience",
  "Notifications",
] as const;

export const FIRST_NAMES = ["Alice", "Bob", "Carla", "Deepak", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemi", "Liam", "Maya", "Noah", "Olga", "Pedro", "Quinn", "Rosa", "Sven", "Tara", "Uma", "Victor", "Wen", "Yusuf", "Zoe"] as const;
export const LAST_NAMES = ["Anderson", "Baker", "Chen", "Dubois", "Evans", "Fischer", "Garcia", "Hansen", "Ivanova", "Jensen", "Kowalski", "Lopez", "Martin", "Nakamura", "Okafor", "Patel", "Rossi", "Schmidt", "Tanaka", "Walker"] as const;

export const AWS_REGIONS = ["us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2", "ap-northeast-1", "sa-east-1"] as const;
export const AZURE_REGIONS = ["eastus", "eastus2", "westus2", "westeurope", "northeurope", "uksouth", "australiaeast", "southeastasia"] as const;
export const GCP_REGIONS = ["us-central1", "us-east1", "us-west1", "europe-west1", "europe-west4", "asia-northeast1", "australia-southeast1"] as const;
export const OCI_REGIONS = ["us-ashburn-1", "us-phoenix-1", "eu-frankfurt-1", "uk-london-1", "ap-tokyo-1"] as const;
/** OCI OCIDs carry a short region key rather than the region name. */
export const OCI_REGION_KEYS: Readonly<Record<string, string>> = {
  "us-ashburn-1": "iad",
  "us-phoenix-1": "phx",
  "eu-frankfurt-1": "fra",
  "uk-london-1": "lhr",
  "ap-tokyo-1": "nrt",
};

export const REGIONS_BY_PROVIDER: Readonly<Record<string, readonly string[]>> = {
  AWS: AWS_REGIONS,
  Azure: AZURE_REGIONS,
  GCP: GCP_REGIONS,
  OCI: OCI_REGIONS,
};

/** Wiz DetectionOrigin values as listed in REFERENCE 2.12 (XD). */
export const DETECTION_ORIGINS = [
  "WIZ_SENSOR",
  "WIZ_ADMISSION_CONTROLLER",
  "WIZ_FILE_INTEGRITY_MONITORING",
  "AWS_GUARD_DUTY",
  "AWS_CLOUDTRAIL",
  "AZURE_DEFENDER_FOR_CLOUD",
  "AZURE_ACTIVITY_LOGS",
  "GCP_SECURITY_COMMAND_CENTER",
  "GCP_AUDIT_LOGS",
  "WIZ_AGENTLESS_FILE_INTEGRITY_MONITORING",
  "AZURE_ACTIVE_DIRECTORY",
  "GOOGLE_WORKSPACE_AUDIT_LOGS",
  "WIN_SENTINEL_ONE",
  "WIZ_CODE_ANALYZER",
  "WIN_SALT",
  "WIN_NONAME",
  "WIN_CROWD_STRIKE",
  "WIN_TRACEABLE",
  "WIZ_CLI",
  "WIZ_IDE_EXTENSION",
  "WIZ_THREAT_DETECTION",
  "WIZ_KUBERNETES_AUDIT_LOGS_COLLECTOR",
  "WIZ_CUSTOM_INTEGRATION",
  "WIN_AKAMAI_GUARDICORE",
  "OKTA_SYSTEM_LOGS",
  "WIN_SNOWFLAKE",
  "WIN_FALCO",
  "OCI_AUDIT_LOGS",
  "WIZ_VCS_FETCHER",
  "AWS_VPC_FLOW_LOGS",
  "GITHUB_AUDIT_LOGS",
  "WIN_FIRE_TAIL",
  "AZURE_STORAGE_ACCOUNT",
  "AZURE_KEY_VAULT",
  "AWS_RESOLVER_QUERY_LOGS",
  "AWS_S3_DATA_EVENTS",
  "GCP_STORAGE_DATA_ACCESS_LOGS",
  "AWS_CLOUDTRAIL_NETWORK_ACTIVITY",
  "WIZ_BROWSER_EXTENSION",
  "WIN_SALT_SECURITY",
] as const;

export interface MitreTactic {
  id: string;
  name: string;
}

export const MITRE_TACTICS: readonly MitreTactic[] = [
  { id: "TA0001", name: "Initial Access" },
  { id: "TA0002", name: "Execution" },
  { id: "TA0003", name: "Persistence" },
  { id: "TA0004", name: "Privilege Escalation" },
  { id: "TA0005", name: "Defense Evasion" },
  { id: "TA0006", name: "Credential Access" },
  { id: "TA0007", name: "Discovery" },
  { id: "TA0008", name: "Lateral Movement" },
  { id: "TA0009", name: "Collection" },
  { id: "TA0010", name: "Exfiltration" },
  { id: "TA0011", name: "Command and Control" },
  { id: "TA0040", name: "Impact" },
];

export interface MitreTechnique {
  id: string;
  name: string;
  tactic: string;
}

export const MITRE_TECHNIQUES: readonly MitreTechnique[] = [
  { id: "T1078.004", name: "Valid Accounts: Cloud Accounts", tactic: "TA0001" },
  { id: "T1190", name: "Exploit Public-Facing Application", tactic: "TA0001" },
  { id: "T1059.004", name: "Command and Scripting Interpreter: Unix Shell", tactic: "TA0002" },
  { id: "T1609", name: "Container Administration Command", tactic: "TA0002" },
  { id: "T1098.001", name: "Account Manipulation: Additional Cloud Credentials", tactic: "TA0003" },
  { id: "T1136.003", name: "Create Account: Cloud Account", tactic: "TA0003" },
  { id: "T1611", name: "Escape to Host", tactic: "TA0004" },
  { id: "T1548", name: "Abuse Elevation Control Mechanism", tactic: "TA0004" },
  { id: "T1562.008", name: "Impair Defenses: Disable or Modify Cloud Logs", tactic: "TA0005" },
  { id: "T1070.006", name: "Indicator Removal: Timestomp", tactic: "TA0005" },
  { id: "T1552.005", name: "Unsecured Credentials: Cloud Instance Metadata API", tactic: "TA0006" },
  { id: "T1003.008", name: "OS Credential Dumping: /etc/passwd and /etc/shadow", tactic: "TA0006" },
  { id: "T1110", name: "Brute Force", tactic: "TA0006" },
  { id: "T1580", name: "Cloud Infrastructure Discovery", tactic: "TA0007" },
  { id: "T1613", name: "Container and Resource Discovery", tactic: "TA0007" },
  { id: "T1021.004", name: "Remote Services: SSH", tactic: "TA0008" },
  { id: "T1530", name: "Data from Cloud Storage", tactic: "TA0009" },
  { id: "T1537", name: "Transfer Data to Cloud Account", tactic: "TA0010" },
  { id: "T1071.001", name: "Application Layer Protocol: Web Protocols", tactic: "TA0011" },
  { id: "T1105", name: "Ingress Tool Transfer", tactic: "TA0011" },
  { id: "T1496", name: "Resource Hijacking", tactic: "TA0040" },
  { id: "T1485", name: "Data Destruction", tactic: "TA0040" },
];

export const MITRE_FRAMEWORK = { id: "wf-id-53", name: "MITRE ATT&CK Matrix", enabled: true } as const;
export const CIS_FRAMEWORK = { id: "wf-id-1", name: "CIS Controls v8", enabled: true } as const;
export const WIZ_FRAMEWORK = { id: "wf-id-7", name: "Wiz for Risk Assessment", enabled: true } as const;

export const RESOLUTION_REASONS_RESOLVED = ["ISSUE_FIXED", "ISSUE_FIXED", "ISSUE_FIXED", "OBJECT_DELETED", "CONTROL_CHANGED"] as const;
export const RESOLUTION_REASONS_REJECTED = ["WONT_FIX", "FALSE_POSITIVE", "EXCEPTION"] as const;
export const RESOLUTION_REASONS_THREAT = ["MALICIOUS_THREAT", "NOT_MALICIOUS_THREAT", "SECURITY_TEST_THREAT", "PLANNED_ACTION_THREAT", "INCONCLUSIVE_THREAT"] as const;

export const NOTE_TEXTS = [
  "Assigned to the owning team for remediation.",
  "Confirmed with the service owner; fix scheduled for the next release.",
  "Compensating control in place (WAF rule), lowering priority.",
  "Ticket opened, waiting on change approval.",
  "Investigated: expected behaviour of the deployment pipeline.",
  "Patched image rolled out to staging, production next week.",
  "Escalated to the incident channel.",
  "Owner asked for an exception until the migration completes.",
] as const;

export const AUDIT_ACTIONS = [
  "Login",
  "UpdateIssue",
  "CreateIssueNote",
  "CreateServiceAccount",
  "UpdateProject",
  "CreateReport",
  "RunQuery",
  "UpdateAutomationRule",
  "CreateUser",
  "DeleteIssueNote",
  "UpdateCloudConfigurationRule",
  "RequestSecurityScanUpload",
] as const;

export const USER_AGENTS = [
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36",
  "python-requests/2.31.0",
  "8864e131-72db-4928-1293-e292f0ed699f/xsoar/1.3.2",
  "Go-http-client/2.0",
  "aws-cli/2.15.30 Python/3.11.8 Linux/5.10.213 exe/x86_64.amzn.2",
  "Terraform/1.7.5",
] as const;

export const OPERATING_SYSTEMS = ["Amazon Linux 2", "Amazon Linux 2023", "Ubuntu 22.04", "Ubuntu 20.04", "Debian 12", "RHEL 8.9", "Windows Server 2019", "Windows Server 2022"] as const;
export const SERVERLESS_RUNTIMES = ["python3.12", "python3.9", "nodejs20.x", "nodejs16.x", "java17", "go1.x", "dotnet8"] as const;
export const K8S_NAMESPACES = ["default", "kube-system", "payments", "orders", "monitoring", "ingress-nginx", "auth", "data", "argocd", "cert-manager"] as const;
export const CONTAINER_IMAGES = ["nginx", "api-server", "worker", "frontend", "redis", "postgres-exporter", "fluent-bit", "envoy", "checkout-service", "payments-api", "orders-worker", "grafana"] as const;
