import type { WorkflowReport } from "../report/workflow-report.js";

/** A line of a digest that may link somewhere (an issue's portal page). */
export interface NotificationItem {
  text: string;
  href?: string;
}

/** What a workflow sends to chat, e-mail or a webhook: a short digest, and the full report for channels that carry it. */
export interface Notification {
  title: string;
  summary: string[];
  /** The digest's items (critical issues, detections acted on); channels show the first ones. */
  items: NotificationItem[];
  report: WorkflowReport;
  /** E-mail only, to these addresses instead of the notifier's `to` (a project's owners); chat channels skip it. */
  recipients?: string[];
}

/** One configured channel (`workflows.notifiers.<name>`). */
export interface Notifier {
  readonly name: string;
  readonly type: "slack" | "teams" | "webhook" | "smtp";
  send(notification: Notification): Promise<void>;
  close(): Promise<void>;
}

/** How many digest items a chat message shows; the rest are counted ("and 12 more"). */
export const CHAT_ITEM_LIMIT = 20;

/** The items a chat message shows, and a closing line counting the ones left out. */
export function chatItems(items: readonly NotificationItem[]): { shown: NotificationItem[]; more: string | undefined } {
  const shown = items.slice(0, CHAT_ITEM_LIMIT);
  return { shown, more: items.length > shown.length ? `and ${items.length - shown.length} more (see the full report)` : undefined };
}
