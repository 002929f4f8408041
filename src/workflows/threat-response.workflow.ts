import { z } from "zod";
import { portalLinkOf } from "../model/portal-links.js";
import { truncateIssueNote } from "../wiz/operations/issue/issue-note-text.js";
import type { DetectionNode } from "../wiz/operations/detection/detection-node.js";
import type { WorkflowHandledRecord } from "../store/workflow-handled.repository.js";
import type { ResponseAction } from "./actions/response-action.js";
import { defineWorkflow, notificationOf, plural, type WorkflowContext } from "./workflow-definition.js";
import { severityList } from "./workflow-parameters.js";
import type { ReportCell, WorkflowReport } from "./report/workflow-report.js";
import { listNodes } from "./wiz-call.js";

export const THREAT_RESPONSE = "threat-response";

const parameters = z.strictObject({
  /** Detections created in the last this many minutes (Wiz's createdAt.inLast, counted on Wiz's clock). */
  minutes: z.int().min(1).max(30 * 24 * 60).default(5),
  severities: severityList.default(["CRITICAL"]),
  /** Cloud platform (AWS, Azure, GCP, ... as Wiz spells it) or `default` -> the name of an action under workflows.actions. */
  routes: z.record(z.string().min(1), z.string().min(1)).refine((r) => Object.keys(r).length > 0, { error: "route at least one cloud platform (or default) to an action" }),
  /** The status the linked issue is set to once its detection was acted on. */
  issueStatus: z.enum(["IN_PROGRESS", "OPEN"]).default("IN_PROGRESS"),
  /** At most this many detections per run (oldest first, so a backlog is worked through over runs). */
  limit: z.int().min(1).max(10_000).default(1000),
  notifyWhenClear: z.boolean().default(false),
});

type Parameters = z.output<typeof parameters>;

type Outcome =
  | { kind: "acted"; action: string; result: string; issue?: { id: string; status: string } | { id: string; error: string } }
  | { kind: "failed"; action: string; error: string }
  | { kind: "would-act"; action: string; describe: string; issueUpdate?: { issueId: string; patch: { status: string; note: string } } }
  | { kind: "already-handled"; state: string; at: string }
  | { kind: "claimed-elsewhere" }
  | { kind: "no-route"; platform: string };

interface Handled {
  detection: DetectionNode;
  platform: string;
  route?: string;
  outcome: Outcome;
}

/** The cloud platform a detection is routed by: its cloud account's provider (Wiz's spelling), else "unknown". */
export function platformOf(detection: Pick<DetectionNode, "cloudAccounts">): string {
  return detection.cloudAccounts.find((a) => a.cloudProvider)?.cloudProvider ?? "unknown";
}

function routeOf(params: Parameters, platform: string): string | undefined {
  if (params.routes[platform] !== undefined) return platform;
  const caseless = Object.keys(params.routes).find((key) => key.toLowerCase() === platform.toLowerCase());
  if (caseless) return caseless;
  return params.routes.default !== undefined ? "default" : undefined;
}

function noteFor(detection: DetectionNode, action: ResponseAction, result: string, at: number): string {
  const rule = detection.ruleMatch?.rule.name ?? "a detection rule";
  const resource = detection.primaryResource?.name ?? detection.primaryResource?.providerUniqueId ?? "its resource";
  const text = `wizbridge threat-response: detection ${detection.id} (${detection.severity}, ${rule}) on ${resource} was routed to the action "${action.name}" (${action.describe}) at ${new Date(at).toISOString()}: ${result}.`;
  return truncateIssueNote(text);
}

/** Every route names a configured action; checked before any Wiz call, so a typo stops the run instead of skipping detections. */
function checkRoutes(params: Parameters, actions: ReadonlyMap<string, ResponseAction>): void {
  const missing = Object.entries(params.routes).filter(([, action]) => !actions.has(action));
  if (missing.length === 0) return;
  const known = [...actions.keys()];
  throw new Error(
    `threat-response: route ${missing.map(([platform, action]) => `${platform} -> "${action}"`).join(", ")} names no action under workflows.actions${known.length > 0 ? ` (defined: ${known.join(", ")})` : " (none is defined)"}; add it to the config file or fix the route.`,
  );
}

/**
 * OPERATIONS' threat auto-response: detections of the last N minutes at the chosen severities, each routed
 * by cloud platform to an action (a command or a webhook), then the linked issue set IN_PROGRESS with a
 * note. A detection is claimed in the store before its action runs, so it is never acted on twice, also
 * across restarts and by two processes; a dry run only reads.
 */
export const threatResponseWorkflow = defineWorkflow({
  name: THREAT_RESPONSE,
  description: "Route recent detections by cloud platform to response actions, then set their issues IN_PROGRESS with a note",
  parameters,
  mutating: true,
  usesStore: true,
  async run(params, context) {
    checkRoutes(params, context.actions);
    const handled = context.handled;
    if (!handled) throw new Error("threat-response needs the store (it remembers what it handled); run it with --config or --data-dir.");
    const listed = await listNodes<DetectionNode>(
      context.call,
      {
        resource: "detection",
        operation: "list",
        parameters: {
          filterBy: { createdAt: { inLast: { amount: params.minutes, unit: "DurationFilterValueUnitMinutes" } }, severity: { equals: params.severities } },
          first: Math.min(params.limit, 1000),
          orderBy: { field: "CREATED_AT", direction: "ASC" },
        },
      },
      params.limit,
    );
    const earlier = await handled.find(THREAT_RESPONSE, listed.nodes.map((d) => d.id));
    const results: Handled[] = [];
    for (const detection of listed.nodes) results.push(await respond(detection, params, context, earlier.get(detection.id)));
    const report = reportOf(results, params, context, listed.truncated);
    const eventful = results.some((r) => r.outcome.kind === "acted" || r.outcome.kind === "failed" || r.outcome.kind === "would-act" || r.outcome.kind === "no-route");
    const items = results
      .filter((r) => r.outcome.kind !== "already-handled" && r.outcome.kind !== "claimed-elsewhere")
      .map((r) => ({ text: `${r.detection.severity} ${r.detection.ruleMatch?.rule.name ?? r.detection.id} (${r.platform}): ${outcomeText(r.outcome)}`, href: detectionLink(context, r.detection) }));
    return { report, notifications: eventful || params.notifyWhenClear ? [notificationOf(report, items)] : [] };
  },
});

async function respond(detection: DetectionNode, params: Parameters, context: WorkflowContext, earlier: WorkflowHandledRecord | undefined): Promise<Handled> {
  const platform = platformOf(detection);
  if (earlier) return { detection, platform, outcome: { kind: "already-handled", state: earlier.state, at: new Date(earlier.createdAt).toISOString() } };
  const route = routeOf(params, platform);
  // Not claimed: once a route for this platform is added, a later run still handles it.
  if (route === undefined) return { detection, platform, outcome: { kind: "no-route", platform } };
  const action = context.actions.get(params.routes[route] as string) as ResponseAction;
  const issueId = detection.issue?.id;
  if (context.dryRun) {
    const issueUpdate = issueId ? { issueId, patch: { status: params.issueStatus, note: noteFor(detection, action, "<the action's result>", context.now()) } } : undefined;
    return { detection, platform, route, outcome: { kind: "would-act", action: action.name, describe: action.describe, ...(issueUpdate ? { issueUpdate } : {}) } };
  }
  const ledger = context.handled;
  if (!ledger) throw new Error("threat-response needs the store.");
  const claimed = await ledger.claim(THREAT_RESPONSE, detection.id, { route, action: action.name, platform, issueId: issueId ?? null });
  if (!claimed) return { detection, platform, route, outcome: { kind: "claimed-elsewhere" } };
  let result: string;
  try {
    result = (await action.run({ detection: detection as unknown as DetectionNode & Record<string, unknown>, platform, route })).result;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await ledger.finish(THREAT_RESPONSE, detection.id, "failed", { route, action: action.name, platform, issueId: issueId ?? null, error: message });
    context.logger.warn({ detection: detection.id, action: action.name }, message);
    return { detection, platform, route, outcome: { kind: "failed", action: action.name, error: message } };
  }
  // Each detection acted on leaves its own note, so an issue with several detections shows every action.
  let issue: Extract<Outcome, { kind: "acted" }>["issue"];
  if (issueId) {
    try {
      await context.call({ resource: "issue", operation: "update", parameters: { issueId, patch: { status: params.issueStatus, note: noteFor(detection, action, result, context.now()) } } });
      issue = { id: issueId, status: params.issueStatus };
    } catch (error) {
      issue = { id: issueId, error: error instanceof Error ? error.message : String(error) };
      context.logger.warn({ detection: detection.id, issue: issueId }, `the action ran but the issue update failed: ${issue.error}`);
    }
  }
  await ledger.finish(THREAT_RESPONSE, detection.id, "done", { route, action: action.name, platform, result, issue: issue ?? null });
  return { detection, platform, route, outcome: { kind: "acted", action: action.name, result, ...(issue ? { issue } : {}) } };
}

function outcomeText(outcome: Outcome): string {
  switch (outcome.kind) {
    case "acted": {
      const issue = outcome.issue;
      const issueText = !issue ? "no linked issue" : "error" in issue ? `issue update failed: ${issue.error}` : `issue set ${issue.status}`;
      return `${outcome.action}: ${outcome.result}; ${issueText}`;
    }
    case "failed":
      return `${outcome.action} failed: ${outcome.error}`;
    case "would-act":
      return `dry run: would run ${outcome.action} (${outcome.describe})${outcome.issueUpdate ? `, then set issue ${outcome.issueUpdate.issueId} ${outcome.issueUpdate.patch.status} with a note` : ""}`;
    case "already-handled":
      return `already handled (${outcome.state}, ${outcome.at})`;
    case "claimed-elsewhere":
      return "being handled by another wizbridge process";
    case "no-route":
      return `no route for platform ${outcome.platform}: add it (or default) to routes`;
  }
}

function detectionLink(context: WorkflowContext, detection: DetectionNode): string {
  return portalLinkOf(context.portalOrigin, "detections", detection.id, null);
}

function reportOf(results: Handled[], params: Parameters, context: WorkflowContext, truncated: boolean): WorkflowReport {
  const count = (kind: Outcome["kind"]): number => results.filter((r) => r.outcome.kind === kind).length;
  const issuesSet = new Set(results.flatMap((r) => (r.outcome.kind === "acted" && r.outcome.issue && "status" in r.outcome.issue ? [r.outcome.issue.id] : []))).size;
  const summary = [
    `${plural(results.length, "detection")} of the last ${plural(params.minutes, "minute")} at ${params.severities.join("/")}${truncated ? ` (the oldest ${results.length}; more wait for the next run)` : ""}.`,
    context.dryRun
      ? `Dry run: ${count("would-act")} would be acted on, ${count("already-handled")} already handled, ${count("no-route")} without a route; nothing was run or changed.`
      : `${count("acted")} acted on, ${count("failed")} failed, ${count("already-handled")} already handled, ${count("no-route")} without a route${count("claimed-elsewhere") ? `, ${count("claimed-elsewhere")} handled by another process` : ""}; ${plural(issuesSet, "issue")} set ${params.issueStatus}.`,
  ];
  const rows: ReportCell[][] = results.map((r) => [
    { text: r.detection.ruleMatch?.rule.name ?? r.detection.id, href: detectionLink(context, r.detection) },
    r.detection.severity,
    r.detection.createdAt,
    r.platform,
    r.detection.primaryResource?.name ?? r.detection.primaryResource?.providerUniqueId ?? "",
    r.route ? `${r.route} -> ${params.routes[r.route]}` : "",
    outcomeText(r.outcome),
    r.detection.issue ? { text: r.detection.issue.id, href: portalLinkOf(context.portalOrigin, "issues", r.detection.issue.id, null) } : "",
  ]);
  return {
    workflow: THREAT_RESPONSE,
    title: context.dryRun ? `Wiz threat response (dry run): ${plural(count("would-act"), "detection")} would be acted on` : `Wiz threat response: ${plural(count("acted"), "detection")} acted on${count("failed") ? `, ${count("failed")} failed` : ""}`,
    generatedAt: new Date(context.now()).toISOString(),
    summary,
    tables: [{ title: "Detections", columns: ["Detection", "Severity", "Created", "Platform", "Resource", "Route", "Outcome", "Issue"], rows, ...(rows.length === 0 ? { note: "No detections in the window." } : {}) }],
    data: {
      dryRun: context.dryRun,
      minutes: params.minutes,
      severities: params.severities,
      detections: results.map((r) => ({ id: r.detection.id, severity: r.detection.severity, createdAt: r.detection.createdAt, platform: r.platform, route: r.route ?? null, issueId: r.detection.issue?.id ?? null, outcome: r.outcome })),
    },
  };
}
