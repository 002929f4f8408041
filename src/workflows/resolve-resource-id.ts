import type { CloudResourceIdNode } from "../wiz/operations/cloud-resource/list-cloud-resource-ids.operation.js";
import type { CallWiz } from "./wiz-call.js";

/** A provider id (ARN, Azure resource id...) Wiz has no cloud resource for; the workflow stops before doing anything. */
export class ResourceNotFoundError extends Error {
  override readonly name = "ResourceNotFoundError";
}

/**
 * The Wiz internal id of a resource from its provider id, through cloudResource listIDs (the cheap look-up
 * OPERATIONS.md names for turning an ARN into the id forensics and filters need).
 */
export async function resolveResourceId(call: CallWiz, providerId: string): Promise<string> {
  const result = await call({ resource: "cloudResource", operation: "listIDs", parameters: { filterBy: { providerUniqueId: [providerId] }, first: 10 } });
  const nodes = (result as { nodes?: CloudResourceIdNode[] } | null)?.nodes ?? [];
  // Several resources can share a name-like id; the one whose provider id is exactly this one wins.
  const id = (nodes.find((node) => node.graphEntity?.providerUniqueId === providerId) ?? nodes[0])?.id;
  if (id === undefined) {
    throw new ResourceNotFoundError(
      `No Wiz cloud resource has the provider id ${providerId}. Check the id (an ARN, an Azure resource id...) with \`wizbridge cloud-resource list --input '{"filterBy":{"search":"<name>"}}'\`; a resource Wiz has not scanned yet, or one outside the service account's projects, is not found either.`,
    );
  }
  return id;
}
