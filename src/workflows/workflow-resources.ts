import type { Dispatcher } from "undici";
import { createResponseAction, type ResponseAction } from "./actions/response-action.js";
import { createNotifier } from "./notify/create-notifier.js";
import type { Notifier } from "./notify/notification.js";
import type { WorkflowsConfig } from "./workflow-config.js";

/** The notifiers and actions of the `workflows:` section, created once and shared by every job of a process. */
export interface WorkflowResources {
  notifiers: ReadonlyMap<string, Notifier>;
  actions: ReadonlyMap<string, ResponseAction>;
  close(): Promise<void>;
}

export function createWorkflowResources(config: Pick<WorkflowsConfig, "notifiers" | "actions"> | undefined, options: { now?: () => number; dispatcher?: Dispatcher } = {}): WorkflowResources {
  const notifiers = new Map(Object.entries(config?.notifiers ?? {}).map(([name, spec]) => [name, createNotifier(name, spec, options)]));
  const actions = new Map(Object.entries(config?.actions ?? {}).map(([name, spec]) => [name, createResponseAction(name, spec)]));
  return {
    notifiers,
    actions,
    close: async () => {
      await Promise.all([...notifiers.values()].map((n) => n.close()));
    },
  };
}
