import type { WizClient } from "../wiz/wiz-client.js";
import { executeOperationRequest } from "../wiz/operations/operation-request.js";
import type { CallWiz } from "./wiz-call.js";

/**
 * Every workflow call through `executeOperationRequest`, the path `wizbridge run` and `POST /api/operations`
 * take: the same validation, the same refusals. Mutations are allowed only for a workflow that changes Wiz
 * by design and is not running dry, so a dry run cannot change anything even by mistake.
 */
export function wizCallOf(client: Pick<WizClient, "run">, options: { allowMutations: boolean; signal?: AbortSignal }): CallWiz {
  return (request) => executeOperationRequest(client, request, options);
}
