import { z } from "zod";
import { portalLinkOf } from "../model/portal-links.js";
import type { ProjectNode } from "../wiz/operations/project/list-projects.operation.js";
import type { ProjectTeam } from "../wiz/operations/project/get-project-team.operation.js";
import type { Notification } from "./notify/notification.js";
import { defineWorkflow, notificationOf, plural } from "./workflow-definition.js";
import { issueStatusList } from "./workflow-parameters.js";
import { SEVERITY_ORDER, severityTotalsOf, type ReportCell, type SeverityTotals, type WorkflowReport } from "./report/workflow-report.js";
import { listNodes } from "./wiz-call.js";

const parameters = z.strictObject({
  statuses: issueStatusList.default(["OPEN", "IN_PROGRESS"]),
  /** Only projects whose name contains this text (Wiz's filterBy.search). */
  search: z.string().min(1).optional(),
  /** Mail each project's digest to its owners (through the job's smtp notifiers); false: the overall report only. */
  mailOwners: z.boolean().default(true),
  /** Also mail the security champions. */
  includeChampions: z.boolean().default(false),
  limit: z.int().min(1).max(10_000).default(1000),
});

interface ProjectRow {
  project: ProjectNode;
  totals: SeverityTotals;
  team: ProjectTeam;
  recipients: string[];
}

const names = (people: ProjectTeam["projectOwners"]): string => people.map((p) => p.name ?? p.email ?? p.id).join(", ");

/**
 * OPERATIONS' MSSP per-project reporting: every non-archived project, its severityCounts and team (getTeam
 * by the project's name); one overall report, and each project's digest mailed to its owners.
 */
export const projectReportWorkflow = defineWorkflow({
  name: "project-report",
  description: "Per non-archived project: severity counts and team; each project's digest mailed to its owners",
  parameters,
  mutating: false,
  usesStore: false,
  async run(params, context) {
    const listed = await listNodes<ProjectNode>(
      context.call,
      { resource: "project", operation: "list", parameters: { filterBy: { includeArchived: false, ...(params.search ? { search: params.search } : {}) }, first: 500 } },
      params.limit,
    );
    const projects = listed.nodes.filter((p) => !p.archived);
    const rows: ProjectRow[] = [];
    for (const project of projects) {
      const totals = severityTotalsOf(await context.call({ resource: "issue", operation: "severityCounts", parameters: { filterBy: { status: params.statuses, project: [project.id] } } }));
      const team = (await context.call({ resource: "project", operation: "getTeam", parameters: { filterBy: { search: project.name } } })) as ProjectTeam;
      const people = [...team.projectOwners, ...(params.includeChampions ? team.securityChampions : [])];
      const recipients = [...new Set(people.flatMap((p) => (p.email ? [p.email] : [])))];
      rows.push({ project, totals, team, recipients });
    }
    const generatedAt = new Date(context.now()).toISOString();
    const overall: SeverityTotals = { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, INFORMATIONAL: 0 };
    for (const row of rows) for (const s of SEVERITY_ORDER) overall[s] += row.totals[s];
    const link = (project: ProjectNode): string => portalLinkOf(context.portalOrigin, "projects", project.id, null);
    const tableRows: ReportCell[][] = rows.map((r) => [
      { text: r.project.name, href: link(r.project) },
      r.project.riskProfile?.businessImpact ?? "",
      ...SEVERITY_ORDER.map((s) => r.totals[s]),
      names(r.team.projectOwners),
      names(r.team.securityChampions),
    ]);
    const withoutMail = rows.filter((r) => r.recipients.length === 0).map((r) => r.project.name);
    const report: WorkflowReport = {
      workflow: "project-report",
      title: `Wiz project report: ${plural(rows.length, "project")}, ${overall.CRITICAL} critical issues`,
      generatedAt,
      summary: [
        `${plural(rows.length, "non-archived project")}${listed.truncated ? ` (the first ${params.limit})` : ""}; issues ${params.statuses.join(" or ")}: ${SEVERITY_ORDER.map((s) => `${overall[s]} ${s}`).join(", ")}.`,
        params.mailOwners
          ? `${plural(rows.length - withoutMail.length, "project digest")} addressed to owners${withoutMail.length > 0 ? `; no owner with an e-mail address: ${withoutMail.join(", ")}` : ""}.`
          : "Owners are not mailed (mailOwners: false).",
      ],
      severityCounts: overall,
      tables: [{ title: "Projects", columns: ["Project", "Business impact", ...SEVERITY_ORDER, "Owners", "Security champions"], rows: tableRows, ...(tableRows.length === 0 ? { note: "No projects." } : {}) }],
      data: { statuses: params.statuses, totals: overall, projects: rows.map((r) => ({ ...r.project, portalUrl: link(r.project), totals: r.totals, team: r.team, recipients: r.recipients })) },
    };
    const notifications: Notification[] = [notificationOf(report, rows.filter((r) => r.totals.CRITICAL > 0).map((r) => ({ text: `${r.project.name}: ${r.totals.CRITICAL} critical, ${r.totals.HIGH} high`, href: link(r.project) })))];
    if (params.mailOwners) {
      for (const row of rows) if (row.recipients.length > 0) notifications.push(projectNotification(row, params.statuses, generatedAt, link(row.project)));
    }
    return { report, notifications };
  },
});

function projectNotification(row: ProjectRow, statuses: readonly string[], generatedAt: string, href: string): Notification {
  const report: WorkflowReport = {
    workflow: "project-report",
    title: `Wiz project digest: ${row.project.name}`,
    generatedAt,
    summary: [
      `Issues ${statuses.join(" or ")} in ${row.project.name}: ${SEVERITY_ORDER.map((s) => `${row.totals[s]} ${s}`).join(", ")}.`,
      `Owners: ${names(row.team.projectOwners) || "none"}; security champions: ${names(row.team.securityChampions) || "none"}.`,
    ],
    severityCounts: row.totals,
    tables: [{ title: "Project", columns: ["Project", "Business impact", ...SEVERITY_ORDER], rows: [[{ text: row.project.name, href }, row.project.riskProfile?.businessImpact ?? "", ...SEVERITY_ORDER.map((s) => row.totals[s])]] }],
    data: { project: { ...row.project, portalUrl: href }, totals: row.totals, team: row.team },
  };
  return { ...notificationOf(report, [{ text: row.project.name, href }]), recipients: row.recipients };
}
