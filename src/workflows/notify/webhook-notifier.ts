import type { Dispatcher } from "undici";
import { webhookSignature } from "../../sinks/webhook/webhook-signature.js";
import type { Notification, Notifier } from "./notification.js";
import { postJson } from "./post-json.js";

export interface WebhookNotifierSpec {
  url: string;
  headers?: Record<string, string>;
  /** Signs the body (`X-Wizbridge-Signature: t=<s>,v1=<hex HMAC-SHA256 of "<t>.<body>">`), as the webhook sink does. */
  secret?: string;
  timeoutSeconds: number;
}

/** The generic webhook body: the digest and the whole report (its structured data included), for SOAR and scripts. */
export function webhookBody(notification: Notification): Record<string, unknown> {
  return {
    source: "wizbridge",
    workflow: notification.report.workflow,
    title: notification.title,
    summary: notification.summary,
    items: notification.items,
    ...(notification.recipients ? { recipients: notification.recipients } : {}),
    report: notification.report,
  };
}

/** POSTs each notification as JSON to any HTTP receiver. */
export function webhookNotifier(name: string, spec: WebhookNotifierSpec, options: { now?: () => number; dispatcher?: Dispatcher } = {}): Notifier {
  const now = options.now ?? Date.now;
  return {
    name,
    type: "webhook",
    async send(notification) {
      const body = JSON.stringify(webhookBody(notification));
      const headers = { ...spec.headers, ...(spec.secret ? { "X-Wizbridge-Signature": webhookSignature(spec.secret, body, Math.floor(now() / 1000)) } : {}) };
      await postJson(spec.url, body, { notifier: name, headers, timeoutMs: spec.timeoutSeconds * 1000, ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}) });
    },
    close: async () => undefined,
  };
}
