import { request } from "undici";
import { readAnswerHead } from "../../sinks/http-answer-head.js";
import { webhookOrigin } from "../../sinks/webhook/webhook-url.js";
import type { ActionConfig } from "./action-config.js";
import type { ActionInput, ActionOutcome, ResponseAction } from "./response-action.js";

/** POSTs the detection JSON to a SOAR or response endpoint; a 2xx is success. The URL's path is never shown (it may hold a token). */
export function webhookAction(name: string, config: Extract<ActionConfig, { type: "webhook" }>): ResponseAction {
  const where = webhookOrigin(config.url);
  return {
    name,
    type: "webhook",
    describe: `POST ${where}`,
    async run(input: ActionInput): Promise<ActionOutcome> {
      const body = JSON.stringify({ source: "wizbridge", action: name, platform: input.platform, route: input.route, detection: input.detection });
      let response;
      try {
        response = await request(config.url, {
          method: "POST",
          headers: { "content-type": "application/json", "user-agent": "wizbridge-workflows", ...config.headers },
          body,
          headersTimeout: config.timeoutSeconds * 1000,
          bodyTimeout: config.timeoutSeconds * 1000,
        });
      } catch (error) {
        const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
        throw new Error(`action ${name}: could not reach ${where} (${code ?? "network error"}); check the URL and that this machine can reach it.`, { cause: error });
      }
      const answer = (await readAnswerHead(response, 500)).toString("utf8").trim();
      if (response.statusCode < 200 || response.statusCode > 299) {
        throw new Error(`action ${name}: ${where} answered HTTP ${response.statusCode}${answer ? `: ${answer.slice(0, 200)}` : ""}; check the action's url and headers.`);
      }
      return { result: `HTTP ${response.statusCode}`, ...(answer ? { output: answer } : {}) };
    },
  };
}
