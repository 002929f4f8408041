import type { ClusterAuth } from "./cluster-http.js";

/** A request the cluster answered with a status that says the sink is set up wrong: retried, never dead-lettered. */
export class ClusterSetupError extends Error {
  override readonly name = "ClusterSetupError";

  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(`${message} Fix: ${fix}`);
  }
}

/**
 * Fixes for the answers that mean the sink is set up wrong (credentials, privileges, a missing index or
 * pipeline): these are never dead-lettered; delivery retries until the fix is made.
 */
export interface SetupContext {
  sinkId: string;
  /** "Elasticsearch" or "OpenSearch". */
  name: string;
  auth: ClusterAuth | undefined;
  /** "wiz-*": what the privileges must cover. */
  indexPattern: string;
  pipeline: string | undefined;
  /** data-stream mode (create ops) rather than index mode. */
  dataStream: boolean;
}

/** 401: what to change in `auth`. */
export function authenticationFix(context: SetupContext): string {
  if (context.auth === undefined) return `the cluster requires credentials: set auth: {type: apiKey, apiKey: \${ES_API_KEY}} (or {type: basic, username, password}) in sink ${context.sinkId}.`;
  if (context.auth.type === "basic") return `check auth.username and auth.password of sink ${context.sinkId} (a typo, a changed password, or a user of another realm).`;
  return `check auth.apiKey of sink ${context.sinkId}: it must be the \`encoded\` value returned when the key was created (base64 of id:api_key), and the key must not be expired or invalidated.`;
}

/** The index privileges delivery needs: data streams take create ops (create_doc); index mode overwrites by _id (index). */
export function writePrivileges(context: SetupContext): string {
  return context.dataStream ? "create_doc, create_index and auto_configure" : "index, create_index and auto_configure (index ops overwrite by _id, which create_doc does not allow)";
}

/** 403 on writing: the privileges the user or API key needs. */
export function writePrivilegeFix(context: SetupContext): string {
  return `grant the sink's ${context.auth?.type === "apiKey" ? "API key" : "user"} the index privileges ${writePrivileges(context)} on "${context.indexPattern}"; delivery retries until it can write.`;
}

/** The fix for an item the cluster could not take because of the sink's set-up, from the item's reason. */
export function itemSetupFix(reason: string, context: SetupContext): string {
  if (/security_exception|unauthorized|\b403\b/.test(reason)) return writePrivilegeFix(context);
  if (/index_not_found_exception/.test(reason)) {
    return `the cluster does not create indices on first write (action.auto_create_index): run \`wizbridge sink setup ${context.sinkId}\` and allow auto-creation for "${context.indexPattern}", or create the indices yourself.`;
  }
  if (/pipeline with id/.test(reason)) return `create the ingest pipeline ${context.pipeline ?? ""} in the cluster, or remove pipeline from sink ${context.sinkId}.`;
  if (/index_closed_exception/.test(reason)) return "the target index is closed: open it (POST <index>/_open).";
  if (/cluster_block_exception/.test(reason)) return "the index is blocked for writes (index.blocks.write or read_only): lift the block once the cause (often a full disk) is fixed.";
  return "read the cluster's reason above.";
}

/** 403 on `PUT _index_template`: who may run setup. */
export function templatePrivilegeFix(context: SetupContext): string {
  return `\`wizbridge sink setup\` needs the cluster privilege manage_index_templates: run it once with an administrator's credentials (e.g. override auth through \${ENV} in the config), then go back to the writer's ${context.auth?.type === "apiKey" ? "API key" : "user"}.`;
}
