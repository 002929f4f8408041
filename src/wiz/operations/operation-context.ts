import type { Dispatcher } from "undici";
import type { OperationContext } from "./operation-definition.js";
import type { WizClientCore } from "../wiz-client-core.js";

/** The context an operation runs in: the core's pipeline, the dispatcher for non-Wiz requests, the caller's signal. */
export function createOperationContext(core: WizClientCore, dispatcher: () => Dispatcher, signal?: AbortSignal): OperationContext {
  return {
    graphql: (document, variables, options) => core.graphql(document, variables, { mutating: options?.mutating, signal }),
    pages: (document, variables, pick, options) => core.paginate(document, variables, pick, { pageSizeCap: options.pageSizeCap, signal }),
    dispatcher,
    signal,
  };
}
