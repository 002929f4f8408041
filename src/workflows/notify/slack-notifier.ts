import type { Dispatcher } from "undici";
import { chatItems, type Notification, type Notifier } from "./notification.js";
import { postJson } from "./post-json.js";

/** Slack's mrkdwn needs only these three escaped; a link is `<url|text>`. */
function mrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** The Slack incoming-webhook body: a plain `text` fallback (notifications, old clients) and Block Kit blocks. */
export function slackMessage(notification: Notification): Record<string, unknown> {
  const { shown, more } = chatItems(notification.items);
  const items = shown.map((item) => `• ${item.href ? `<${item.href}|${mrkdwn(item.text)}>` : mrkdwn(item.text)}`);
  if (more) items.push(`_${more}_`);
  const blocks: Array<Record<string, unknown>> = [
    // Header text is plain and capped at 150 characters by Slack.
    { type: "header", text: { type: "plain_text", text: notification.title.slice(0, 150), emoji: false } },
    { type: "section", text: { type: "mrkdwn", text: notification.summary.map(mrkdwn).join("\n").slice(0, 3000) || "-" } },
  ];
  // A section's text is capped at 3000 characters: items go in several sections when needed.
  let chunk = "";
  for (const line of items) {
    if (chunk && chunk.length + line.length + 1 > 2900) {
      blocks.push({ type: "section", text: { type: "mrkdwn", text: chunk } });
      chunk = "";
    }
    chunk = chunk ? `${chunk}\n${line}` : line;
  }
  if (chunk) blocks.push({ type: "section", text: { type: "mrkdwn", text: chunk } });
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: `wizbridge ${mrkdwn(notification.report.workflow)} · ${notification.report.generatedAt}` }] });
  return { text: `${notification.title}: ${notification.summary.join(" ")}`.slice(0, 3000), blocks };
}

/** Posts to a Slack incoming webhook (https://hooks.slack.com/services/...). */
export function slackNotifier(name: string, spec: { url: string; timeoutSeconds: number }, dispatcher?: Dispatcher): Notifier {
  return {
    name,
    type: "slack",
    async send(notification) {
      if (notification.recipients) return;
      await postJson(spec.url, JSON.stringify(slackMessage(notification)), { notifier: name, timeoutMs: spec.timeoutSeconds * 1000, ...(dispatcher ? { dispatcher } : {}) });
    },
    close: async () => undefined,
  };
}
