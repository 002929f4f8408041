import { randomUUID } from "node:crypto";
import { UploadInputError } from "../../upload/upload-service.js";
import type { SimContext } from "../sim-context.js";
import { notFound, wizError } from "../wiz-graphql-error.js";

/** requestSecurityScanUpload is a Query in Wiz's API (every public sample sends it as one). */
export function requestSecurityScanUpload(_source: unknown, args: { filename: string }, context: SimContext) {
  try {
    return { upload: context.uploads.requestUpload(args.filename, context.account) };
  } catch (error) {
    if (error instanceof UploadInputError) throw wizError("BAD_USER_INPUT", error.message, { field: "filename" });
    throw error;
  }
}

export function systemActivity(_source: unknown, args: { id: string }, context: SimContext) {
  const activity = context.uploads.systemActivity(args.id);
  if (!activity) throw notFound();
  return activity;
}

const FORENSICS_TYPES = new Set(["VIRTUAL_MACHINE", "CONTAINER", "POD", "SERVERLESS", "CONTAINER_IMAGE", "VOLUME"]);

/** Starts a forensics copy of a VM or container's disks; the copy itself is Wiz-side work we only acknowledge. */
export function copyResourceForensicsToExternalAccount(_source: unknown, args: { input: { id: string } }, context: SimContext) {
  const index = context.tenant.cloudResources.indexOf(args.input.id);
  if (index === undefined) throw notFound();
  const type = String(context.tenant.cloudResources.get(index).type);
  if (!FORENSICS_TYPES.has(type)) {
    throw wizError("BAD_USER_INPUT", `Forensics copy works on virtual machines and containers; resource ${args.input.id} is a ${type}.`, { field: "id" });
  }
  return { systemActivityGroupId: randomUUID() };
}
