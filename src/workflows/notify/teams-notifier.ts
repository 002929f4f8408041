import type { Dispatcher } from "undici";
import { chatItems, type Notification, type Notifier } from "./notification.js";
import { postJson } from "./post-json.js";

// Adaptive Card TextBlocks take a Markdown subset: brackets and asterisks in Wiz text would turn into markup.
function plain(text: string): string {
  return text.replace(/([\\*_[\]()#>`])/g, "\\$1");
}

/**
 * The Microsoft Teams incoming-webhook body: one Adaptive Card in a `message` attachment, the format both
 * Teams Workflows webhooks and the older Office 365 connector webhooks take.
 */
export function teamsMessage(notification: Notification): Record<string, unknown> {
  const { shown, more } = chatItems(notification.items);
  const body: Array<Record<string, unknown>> = [
    { type: "TextBlock", text: plain(notification.title), size: "Large", weight: "Bolder", wrap: true },
    ...notification.summary.map((line) => ({ type: "TextBlock", text: plain(line), wrap: true, spacing: "Small" })),
  ];
  if (shown.length > 0) {
    const list = shown.map((item) => `- ${item.href ? `[${plain(item.text)}](${item.href})` : plain(item.text)}`).join("\n");
    body.push({ type: "TextBlock", text: list, wrap: true });
  }
  if (more) body.push({ type: "TextBlock", text: more, wrap: true, isSubtle: true });
  body.push({ type: "TextBlock", text: `wizbridge ${notification.report.workflow} · ${notification.report.generatedAt}`, isSubtle: true, size: "Small", wrap: true });
  return {
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: { $schema: "http://adaptivecards.io/schemas/adaptive-card.json", type: "AdaptiveCard", version: "1.4", body },
      },
    ],
  };
}

/** Posts to a Microsoft Teams incoming webhook (a Workflows or connector URL). */
export function teamsNotifier(name: string, spec: { url: string; timeoutSeconds: number }, dispatcher?: Dispatcher): Notifier {
  return {
    name,
    type: "teams",
    async send(notification) {
      if (notification.recipients) return;
      await postJson(spec.url, JSON.stringify(teamsMessage(notification)), { notifier: name, timeoutMs: spec.timeoutSeconds * 1000, ...(dispatcher ? { dispatcher } : {}) });
    },
    close: async () => undefined,
  };
}
