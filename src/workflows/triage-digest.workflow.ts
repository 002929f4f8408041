import { z } from "zod";
import { portalLinkOf } from "../model/portal-links.js";
import type { IssueNode } from "../wiz/operations/issue/issue-node.js";
import { defineWorkflow, notificationOf, plural } from "./workflow-definition.js";
import { issueStatusList, severityList } from "./workflow-parameters.js";
import { SEVERITY_ORDER, severityTotalsOf, type ReportCell, type WorkflowReport } from "./report/workflow-report.js";
import { listNodes } from "./wiz-call.js";

const parameters = z.strictObject({
  /** Issues counted and listed; OPERATIONS' daily triage looks at open and in-progress ones. */
  statuses: issueStatusList.default(["OPEN", "IN_PROGRESS"]),
  /** The severities listed one by one (all five are counted). */
  severities: severityList.default(["CRITICAL"]),
  /** Only this project's issues (its Wiz UUID). */
  project: z.string().min(1).optional(),
  /** At most this many issues listed (the counts stay complete). */
  limit: z.int().min(1).max(5000).default(50),
  /** Also notify when nothing is listed ("all clear"); by default a clear morning sends nothing. */
  notifyWhenClear: z.boolean().default(false),
});

/**
 * OPERATIONS' daily critical triage: severityCounts for open and in-progress issues; if any are at the
 * listed severities, list them and post a digest with portal links.
 */
export const triageDigestWorkflow = defineWorkflow({
  name: "triage-digest",
  description: "Severity counts of open issues, and the critical ones listed with portal links",
  parameters,
  mutating: false,
  usesStore: false,
  async run(params, context) {
    const scope = { status: params.statuses, ...(params.project ? { project: [params.project] } : {}) };
    const totals = severityTotalsOf(await context.call({ resource: "issue", operation: "severityCounts", parameters: { filterBy: scope } }));
    const due = params.severities.reduce((sum, severity) => sum + totals[severity], 0);
    let issues: IssueNode[] = [];
    let truncated = false;
    if (due > 0) {
      const listed = await listNodes<IssueNode>(
        context.call,
        {
          resource: "issue",
          operation: "list",
          parameters: { filterBy: { ...scope, severity: params.severities }, first: Math.min(params.limit, 500), orderBy: { field: "CREATED_AT", direction: "DESC" } },
        },
        params.limit,
      );
      issues = listed.nodes;
      truncated = listed.truncated;
    }
    const which = params.severities.join("/");
    const link = (issue: IssueNode): string => portalLinkOf(context.portalOrigin, "issues", issue.id, null);
    const rows: ReportCell[][] = issues.map((issue) => [
      { text: issue.sourceRule?.name ?? issue.id, href: link(issue) },
      issue.severity,
      issue.status,
      issue.type,
      issue.entitySnapshot?.name ?? issue.entitySnapshot?.providerId ?? "",
      issue.entitySnapshot?.cloudPlatform ?? "",
      issue.projects.map((p) => p.name).join(", "),
      issue.createdAt,
    ]);
    const total = SEVERITY_ORDER.reduce((sum, s) => sum + totals[s], 0);
    const report: WorkflowReport = {
      workflow: "triage-digest",
      title: due > 0 ? `Wiz triage: ${plural(due, `${which.toLowerCase()} issue`)} ${params.statuses.join("/").toLowerCase()}` : `Wiz triage: no ${which.toLowerCase()} issues`,
      generatedAt: new Date(context.now()).toISOString(),
      summary: [
        `${plural(total, "issue")} ${params.statuses.join(" or ")}${params.project ? ` in project ${params.project}` : ""}: ${SEVERITY_ORDER.map((s) => `${totals[s]} ${s}`).join(", ")}.`,
        due > 0 ? `${plural(due, `${which} issue`)}; ${truncated ? `the newest ${issues.length} are listed` : "all listed below"}.` : `No ${which} issues: nothing to triage.`,
      ],
      severityCounts: totals,
      tables: [
        {
          title: `${which} issues`,
          columns: ["Issue", "Severity", "Status", "Type", "Resource", "Cloud", "Projects", "Created"],
          rows,
          ...(truncated ? { note: `${due - issues.length} more not listed (limit ${params.limit}).` } : due === 0 ? { note: "None." } : {}),
        },
      ],
      data: { totals, issues: issues.map((issue) => ({ ...issue, portalUrl: link(issue) })), truncated },
    };
    const items = issues.map((issue) => ({
      text: `${issue.severity} ${issue.sourceRule?.name ?? issue.type}${issue.entitySnapshot?.name ? ` on ${issue.entitySnapshot.name}` : ""}`,
      href: link(issue),
    }));
    return { report, notifications: due > 0 || params.notifyWhenClear ? [notificationOf(report, items)] : [] };
  },
});
