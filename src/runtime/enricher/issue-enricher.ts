import type { WizClient } from "../../wiz/index.js";
import type { IssueNode } from "../../wiz/operations/issue/issue-node.js";
import { WizError } from "../../wiz/wiz-errors.js";
import { ISSUE_NOTE_MAX_LENGTH, ISSUE_NOTE_TRUNCATION_MARKER, truncateIssueNote } from "../../wiz/operations/issue/issue-note-text.js";
import type { DeliveryRepository } from "../fold/delivery.repository.js";
import { resolutionStatement, runtimeContextLines, type FoldedEvent } from "../fold/folded-event.js";

/** The issue calls the enricher makes. */
export interface IssueApi {
  /** Open THREAT_DETECTION issues on the graph entity, with their notes. */
  threatIssuesOn(entityId: string): Promise<IssueNode[]>;
  createNote(issueId: string, text: string): Promise<{ id: string }>;
}

export function wizIssueApi(client: WizClient): IssueApi {
  return {
    async threatIssuesOn(entityId) {
      const out: IssueNode[] = [];
      for await (const issue of client.issue.listAll({ filterBy: { relatedEntity: { id: [entityId] }, type: ["THREAT_DETECTION"], status: ["OPEN", "IN_PROGRESS"] }, first: 100 })) out.push(issue);
      return out;
    },
    createNote: async (issueId, text) => client.issue.createNote({ input: { issueId, text } }),
  };
}

/** The marker that makes a note findable again, so a retry or a restart never adds a second one. */
export function noteMarker(eventId: string): string {
  return `[wizbridge event ${eventId}]`;
}

/** The note: rule, resolution rung, process tree or request, count, first/last seen, link back. */
export function runtimeNoteText(event: FoldedEvent, alertLinkBase: string): string {
  const a = event.alert;
  const lines = [
    `Runtime detection from ${a.sensor} (${a.source}): ${a.title}`,
    `Rule: ${a.ruleName}${a.ruleId !== a.ruleName ? ` [${a.ruleId}]` : ""}; severity ${event.severity}${a.originalSeverity ? ` (sensor: ${a.originalSeverity})` : ""}`,
    `MITRE ATT&CK: ${[...a.mitre.tactics, ...a.mitre.techniques].join(", ")}`,
    `Resource found via ${resolutionStatement(event)}`,
    `Count: ${event.count}; first seen ${new Date(event.firstSeen).toISOString()}; last seen ${new Date(event.lastSeen).toISOString()}`,
    ...runtimeContextLines(a),
  ];
  // The link and the marker always stay: a long process tree is cut instead, so the note fits Wiz's limit and is
  // still found again by its marker.
  const tail = `\nLink: ${a.sensorLink ?? `${alertLinkBase}${encodeURIComponent(event.eventId)}`}\n${noteMarker(event.eventId)}`;
  return `${truncateIssueNote(lines.join("\n"), ISSUE_NOTE_TRUNCATION_MARKER, ISSUE_NOTE_MAX_LENGTH - tail.length)}${tail}`;
}

export interface EnricherOptions {
  alertLinkBase: string;
  /** Delay before looking for the issue again when Wiz has not raised it yet. */
  retryMs: number;
  batchSize: number;
}

export interface EnricherDeps {
  repository: DeliveryRepository;
  api: IssueApi;
  now: () => number;
  options: EnricherOptions;
}

/**
 * After Wiz confirms an upload: find the THREAT_DETECTION issue raised on the event's resource (same
 * rule name first) and add one note with the runtime context. The marker in the note keeps it single
 * across retries, restarts and later uploads.
 */
export class IssueEnricher {
  constructor(private readonly deps: EnricherDeps) {}

  async runDue(): Promise<number> {
    const { repository, now, options } = this.deps;
    const events = await repository.eventsToLink(now(), options.batchSize);
    // One issue look-up per resource, whatever number of events sit on it.
    const issuesByEntity = new Map<string, IssueNode[]>();
    let linked = 0;
    for (const event of events) {
      try {
        let issues = issuesByEntity.get(event.entityId);
        if (!issues) {
          issues = await this.deps.api.threatIssuesOn(event.entityId);
          issuesByEntity.set(event.entityId, issues);
        }
        const issue = issues.find((i) => i.sourceRule?.name === event.alert.ruleName) ?? (issues.length === 1 ? issues[0] : undefined);
        if (!issue) {
          await repository.deferLink(event, `no open THREAT_DETECTION issue named "${event.alert.ruleName}" on ${event.providerId} yet`, now() + options.retryMs, now());
          continue;
        }
        const marker = noteMarker(event.eventId);
        const existing = issue.notes.find((n) => n.text.includes(marker));
        const noteId = existing ? existing.id : (await this.deps.api.createNote(issue.id, runtimeNoteText(event, options.alertLinkBase))).id;
        await repository.markLinked(event, { issueId: issue.id, issueUrl: issue.url, noteId }, now());
        linked++;
      } catch (error) {
        const reason = error instanceof WizError ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);
        await repository.deferLink(event, `linking to the issue failed: ${reason}`, now() + options.retryMs, now());
      }
    }
    return linked;
  }
}
