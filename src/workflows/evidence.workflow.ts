import { z } from "zod";
import { portalLinkOf } from "../model/portal-links.js";
import type { GraphEntityNode, GraphSearchResultNode } from "../wiz/operations/graph-search/graph-search-node.js";
import type { IssueEvidence } from "../wiz/operations/issue/get-issue-evidence.operation.js";
import type { IssueNode } from "../wiz/operations/issue/issue-node.js";
import { defineWorkflow, notificationOf, plural } from "./workflow-definition.js";
import type { ReportCell, WorkflowReport } from "./report/workflow-report.js";
import { listNodes } from "./wiz-call.js";

const parameters = z.strictObject({
  issueId: z.string().trim().min(1, { error: "must be the issue's Wiz UUID" }),
  /** At most this many graph rows are walked. */
  limit: z.int().min(1).max(10_000).default(500),
});

/** evidenceQuery as Wiz serialises it (JSON text) or as an object; null when the issue has none. */
export function parseEvidenceQuery(value: unknown, issueId: string): Record<string, unknown> | null {
  if (value === null || value === undefined || value === "") return null;
  if (typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  if (typeof value === "string") {
    try {
      const parsed: unknown = JSON.parse(value);
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch {
      // Falls through to the error below.
    }
  }
  throw new Error(`The evidence query of issue ${issueId} is not a graph query object (Wiz sent ${typeof value}); report the issue id to Wiz, or walk the graph by hand with graphSearch run.`);
}

/**
 * OPERATIONS' issue -> evidence -> graph walk: get the issue, getEvidence, parse evidenceQuery, run it with
 * projectId "*"; the report lists the affected graph entities.
 */
export const evidenceWorkflow = defineWorkflow({
  name: "evidence",
  description: "An issue's affected graph entities: its evidence query run over every project",
  parameters,
  mutating: false,
  usesStore: false,
  async run(params, context) {
    const issue = (await context.call({ resource: "issue", operation: "get", parameters: { filterBy: { id: params.issueId } } })) as IssueNode;
    const evidence = (await context.call({ resource: "issue", operation: "getEvidence", parameters: { filterBy: { id: params.issueId } } })) as IssueEvidence;
    const query = parseEvidenceQuery(evidence.evidenceQuery, params.issueId);
    let rows: GraphSearchResultNode[] = [];
    let truncated = false;
    if (query) {
      const found = await listNodes<GraphSearchResultNode>(
        context.call,
        { resource: "graphSearch", operation: "run", parameters: { query, projectId: "*", first: Math.min(params.limit, 500) } },
        params.limit,
      );
      rows = found.nodes;
      truncated = found.truncated;
    }
    // One row per entity: a graph row holds an entity per selected block, and entities repeat across rows.
    const entities = new Map<string, GraphEntityNode>();
    for (const row of rows) for (const entity of row.entities) if (entity && !entities.has(entity.id)) entities.set(entity.id, entity);
    const details = evidence.threatDetectionDetails;
    const issueLink = portalLinkOf(context.portalOrigin, "issues", issue.id, null);
    const entityRows: ReportCell[][] = [...entities.values()].map((e) => [
      { text: e.name ?? e.id, href: portalLinkOf(context.portalOrigin, "cloudResources", e.id, e.type) },
      e.type,
      e.providerUniqueId ?? "",
      typeof e.properties?.cloudPlatform === "string" ? e.properties.cloudPlatform : "",
      typeof e.properties?.region === "string" ? e.properties.region : "",
    ]);
    const tables: WorkflowReport["tables"] = [
      {
        title: "Affected graph entities",
        columns: ["Entity", "Type", "Provider id", "Cloud", "Region"],
        rows: entityRows,
        ...(truncated ? { note: `Only the first ${params.limit} graph rows were walked.` } : entityRows.length === 0 ? { note: query ? "The evidence query matched nothing." : "The issue has no evidence query." } : {}),
      },
    ];
    if (details) {
      tables.push({
        title: "Threat detection details",
        columns: ["Kind", "Name", "Type", "Provider id"],
        rows: [
          ...details.actors.map((a): ReportCell[] => ["actor", a.name ?? a.id, a.type ?? "", a.providerUniqueId ?? ""]),
          ...details.resources.map((r): ReportCell[] => ["resource", r.name ?? r.id, r.type ?? "", r.providerUniqueId ?? ""]),
        ],
      });
    }
    const title = issue.sourceRule?.name ?? issue.id;
    const report: WorkflowReport = {
      workflow: "evidence",
      title: `Wiz evidence: ${title}`,
      generatedAt: new Date(context.now()).toISOString(),
      summary: [
        `Issue ${issue.id}: ${issue.severity} ${issue.type}, ${issue.status}${issue.entitySnapshot?.name ? `, on ${issue.entitySnapshot.name}` : ""}.`,
        query ? `Its evidence query matched ${plural(rows.length, "graph row")} with ${plural(entities.size, "distinct entity", "distinct entities")}${truncated ? " (cut at the limit)" : ""}.` : "It has no evidence query: no graph search was run.",
      ],
      tables,
      data: { issue: { ...issue, portalUrl: issueLink }, evidenceQuery: query, entities: [...entities.values()], threatDetectionDetails: details ?? null, truncated },
    };
    const items = [{ text: `${issue.severity} ${title}`, href: issueLink }, ...entityRows.slice(0, 15).map((row) => row[0] as { text: string; href: string })];
    return { report, notifications: [notificationOf(report, items)] };
  },
});
