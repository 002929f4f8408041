import type { ActionConfig } from "./action-config.js";
import { commandAction } from "./command-action.js";
import { webhookAction } from "./webhook-action.js";

/** What an action is given: the detection as Wiz returned it, and why it was routed there. */
export interface ActionInput {
  detection: Record<string, unknown> & { id: string };
  /** The cloud platform the detection was routed by ("unknown" when Wiz names none). */
  platform: string;
  /** The route key that matched (`AWS`, or `default`). */
  route: string;
}

/** What an action did, kept in the handled ledger and shown in the report. */
export interface ActionOutcome {
  /** One line: "exit 0", "HTTP 202". */
  result: string;
  /** The end of the command's output, or the receiver's answer. */
  output?: string;
}

/** A threat-response action (isolate, revoke...): succeeds or throws an Error saying what went wrong. */
export interface ResponseAction {
  readonly name: string;
  readonly type: ActionConfig["type"];
  /** For the report and dry runs: what would run ("command /opt/isolate.sh", "POST https://soar.example"). */
  readonly describe: string;
  run(input: ActionInput): Promise<ActionOutcome>;
}

export function createResponseAction(name: string, config: ActionConfig): ResponseAction {
  return config.type === "command" ? commandAction(name, config) : webhookAction(name, config);
}
