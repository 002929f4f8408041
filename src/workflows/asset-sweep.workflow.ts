import { z } from "zod";
import { portalLinkOf } from "../model/portal-links.js";
import type { IssueNode } from "../wiz/operations/issue/issue-node.js";
import type { VulnerabilityFindingNode } from "../wiz/operations/vulnerability-finding/vulnerability-finding-node.js";
import { VULNERABILITY_FINDING_STATUSES } from "../wiz/operations/wiz-enums.js";
import { resolveResourceId } from "./resolve-resource-id.js";
import { defineWorkflow, notificationOf, plural } from "./workflow-definition.js";
import { issueStatusList, providerId } from "./workflow-parameters.js";
import { SEVERITY_ORDER, type ReportCell, type SeverityTotals, type WorkflowReport } from "./report/workflow-report.js";
import { listNodes } from "./wiz-call.js";

const parameters = z.strictObject({
  providerId,
  issueStatuses: issueStatusList.default(["OPEN", "IN_PROGRESS"]),
  findingStatuses: z.array(z.enum(VULNERABILITY_FINDING_STATUSES)).min(1).default(["OPEN"]),
  /** At most this many issues and this many findings are read (the report says when more exist). */
  limit: z.int().min(1).max(10_000).default(1000),
});

function emptyTotals(): SeverityTotals {
  return { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, INFORMATIONAL: 0 };
}

function add(totals: SeverityTotals, severity: string | null | undefined): void {
  if (severity && severity in totals) totals[severity as keyof SeverityTotals] += 1;
}

/**
 * OPERATIONS' vulnerability sweep of one asset: provider id -> listIDs -> the resource's issues
 * (relatedEntity.id) and vulnerability findings (assetId) -> one per-asset risk report.
 */
export const assetSweepWorkflow = defineWorkflow({
  name: "asset-sweep",
  description: "Per-asset risk report from a provider id (ARN...): the resource's issues and vulnerability findings",
  parameters,
  mutating: false,
  usesStore: false,
  async run(params, context) {
    const resourceId = await resolveResourceId(context.call, params.providerId);
    const issues = await listNodes<IssueNode>(
      context.call,
      { resource: "issue", operation: "list", parameters: { filterBy: { relatedEntity: { id: [resourceId] }, status: params.issueStatuses }, first: 500, orderBy: { field: "SEVERITY", direction: "DESC" } } },
      params.limit,
    );
    const findings = await listNodes<VulnerabilityFindingNode>(
      context.call,
      { resource: "vulnerabilityFinding", operation: "list", parameters: { filterBy: { assetId: [resourceId], status: params.findingStatuses }, first: 500 } },
      params.limit,
    );
    const issueTotals = emptyTotals();
    for (const issue of issues.nodes) add(issueTotals, issue.severity);
    const findingTotals = emptyTotals();
    for (const finding of findings.nodes) add(findingTotals, finding.CVSSSeverity ?? finding.vendorSeverity);
    const combined = emptyTotals();
    for (const s of SEVERITY_ORDER) combined[s] = issueTotals[s] + findingTotals[s];
    const exploitable = findings.nodes.filter((f) => f.hasExploit === true).length;
    const kev = findings.nodes.filter((f) => f.hasCisaKevExploit === true).length;
    const fixable = findings.nodes.filter((f) => f.fixedVersion).length;
    const highest = SEVERITY_ORDER.find((s) => combined[s] > 0) ?? "NONE";
    const resourceName = issues.nodes[0]?.entitySnapshot?.name ?? findings.nodes[0]?.vulnerableAsset?.name ?? params.providerId;
    const resourceLink = portalLinkOf(context.portalOrigin, "cloudResources", resourceId, issues.nodes[0]?.entitySnapshot?.type ?? findings.nodes[0]?.vulnerableAsset?.type ?? null);
    const issueRows: ReportCell[][] = issues.nodes.map((issue) => [
      { text: issue.sourceRule?.name ?? issue.id, href: portalLinkOf(context.portalOrigin, "issues", issue.id, null) },
      issue.severity,
      issue.status,
      issue.type,
      issue.createdAt,
    ]);
    // Most severe first, and among equals the exploitable ones.
    const rank = (f: VulnerabilityFindingNode): number => SEVERITY_ORDER.indexOf((f.CVSSSeverity ?? "INFORMATIONAL") as (typeof SEVERITY_ORDER)[number]) * 4 - (f.hasCisaKevExploit ? 2 : 0) - (f.hasExploit ? 1 : 0);
    const findingRows: ReportCell[][] = [...findings.nodes]
      .sort((a, b) => rank(a) - rank(b))
      .map((f) => [
        { text: f.vulnerabilityExternalId ?? f.name, href: f.portalUrl ?? portalLinkOf(context.portalOrigin, "vulnerabilityFindings", f.id, null) },
        f.CVSSSeverity ?? f.vendorSeverity ?? "",
        f.score,
        f.hasExploit ? "yes" : "no",
        f.hasCisaKevExploit ? "yes" : "no",
        [f.detailedName ?? "", f.version ?? ""].filter(Boolean).join(" "),
        f.fixedVersion ?? "",
        f.firstDetectedAt,
        f.lastDetectedAt,
      ]);
    const more = (found: { truncated: boolean; totalCount?: number; nodes: unknown[] }): string | undefined =>
      found.truncated ? `Only the first ${found.nodes.length}${found.totalCount !== undefined ? ` of ${found.totalCount}` : ""} are shown (limit ${params.limit}).` : undefined;
    const report: WorkflowReport = {
      workflow: "asset-sweep",
      title: `Wiz asset risk: ${resourceName} (highest severity ${highest})`,
      generatedAt: new Date(context.now()).toISOString(),
      summary: [
        `${params.providerId} is Wiz resource ${resourceId}.`,
        `${plural(issues.nodes.length, "issue")} ${params.issueStatuses.join(" or ")}: ${SEVERITY_ORDER.map((s) => `${issueTotals[s]} ${s}`).join(", ")}.`,
        `${plural(findings.nodes.length, "vulnerability finding")} ${params.findingStatuses.join(" or ")}: ${SEVERITY_ORDER.map((s) => `${findingTotals[s]} ${s}`).join(", ")}; ${exploitable} with a known exploit, ${kev} in CISA KEV, ${fixable} with a fixed version.`,
      ],
      severityCounts: combined,
      tables: [
        { title: "Issues", columns: ["Issue", "Severity", "Status", "Type", "Created"], rows: issueRows, ...(more(issues) ? { note: more(issues) } : issueRows.length === 0 ? { note: "None." } : {}) },
        {
          title: "Vulnerability findings",
          columns: ["Vulnerability", "Severity", "Score", "Exploit", "CISA KEV", "Package", "Fixed version", "First detected", "Last detected"],
          rows: findingRows,
          ...(more(findings) ? { note: more(findings) } : findingRows.length === 0 ? { note: "None." } : {}),
        },
      ],
      data: {
        providerId: params.providerId,
        resourceId,
        resourceUrl: resourceLink,
        highestSeverity: highest,
        issueTotals,
        findingTotals,
        exploitable,
        cisaKev: kev,
        fixable,
        issues: issues.nodes,
        vulnerabilityFindings: findings.nodes,
        truncated: { issues: issues.truncated, vulnerabilityFindings: findings.truncated },
      },
    };
    const items = [{ text: `${resourceName} in the Wiz portal`, href: resourceLink }, ...issueRows.slice(0, 10).map((row) => row[0] as { text: string; href: string })];
    return { report, notifications: [notificationOf(report, items)] };
  },
});
