import { request, type Dispatcher } from "undici";
import { readAnswerHead } from "../../sinks/http-answer-head.js";
import { webhookOrigin } from "../../sinks/webhook/webhook-url.js";
import { NotificationError } from "./notification-error.js";

export interface PostJsonOptions {
  notifier: string;
  headers?: Record<string, string>;
  timeoutMs: number;
  dispatcher?: Dispatcher;
}

/**
 * POSTs a JSON body and succeeds on a 2xx. Errors name the receiver by its origin only: Slack and Teams
 * webhook URLs carry their secret in the path, so the path never reaches a log or an error.
 */
export async function postJson(url: string, body: string, options: PostJsonOptions): Promise<void> {
  const where = webhookOrigin(url);
  let response: Dispatcher.ResponseData;
  try {
    response = await request(url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "wizbridge-workflows", ...options.headers },
      body,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    });
  } catch (error) {
    const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
    throw new NotificationError(options.notifier, `could not reach ${where} (${code ?? (error instanceof Error ? error.message.split("\n")[0] : "network error")}); check the URL's host and that this machine can reach it.`, { cause: error });
  }
  const head = (await readAnswerHead(response, 300)).toString("utf8").replace(/\s+/g, " ").trim();
  if (response.statusCode < 200 || response.statusCode > 299) {
    const hint =
      response.statusCode === 401 || response.statusCode === 403
        ? "the receiver refused the credentials; check the headers (or the URL's token) in the notifier's config"
        : response.statusCode === 404 || response.statusCode === 410
          ? "the webhook URL is unknown or was revoked; create a new incoming webhook and update the notifier's url"
          : "see the receiver's answer";
    throw new NotificationError(options.notifier, `${where} answered HTTP ${response.statusCode}${head ? `: ${head.slice(0, 200)}` : ""}; ${hint}.`);
  }
}
