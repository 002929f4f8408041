import { authenticationFix, ClusterSetupError, templatePrivilegeFix, type SetupContext } from "./cluster-failure.js";
import { clusterErrorText, type ClusterHttp } from "./cluster-http.js";
import { flavorMismatch, readClusterInfo } from "./cluster-info.js";
import { buildIndexTemplate, TEMPLATE_PRIORITY, type IndexTemplateOptions, type SearchFlavor } from "./index-template.js";

export interface ClusterSetupDeps {
  http: ClusterHttp;
  flavor: SearchFlavor;
  template: IndexTemplateOptions;
  templateName: string;
  context: SetupContext;
}

/**
 * `wizbridge sink setup`: installs (or updates) the composable index template for the sink's indices or
 * data streams, and reports existing indices the template cannot change. Idempotent: a template whose
 * `_meta.wizbridge_hash` matches is left alone.
 */
export async function installIndexTemplate(deps: ClusterSetupDeps): Promise<string[]> {
  const { http, templateName, template, context } = deps;
  const done: string[] = [];
  const where = `${http.name} at ${http.address}`;

  const root = await http.request("GET", "/");
  if (root.status === 401) throw new ClusterSetupError(`${where} refused the credentials (401: ${http.redact(clusterErrorText(root.text))}).`, authenticationFix(context));
  if (root.status === 200) {
    const info = readClusterInfo(root.text);
    if (info) {
      const mismatch = flavorMismatch(deps.flavor, info);
      if (mismatch) throw new ClusterSetupError(`${where}: ${mismatch}`, `change the sink's type to ${info.flavor}, then run setup again.`);
      done.push(`reached ${info.flavor === "opensearch" ? "OpenSearch" : "Elasticsearch"} ${info.version} at ${http.address}`);
    }
  } else if (root.status !== 403) {
    // 403: the credentials lack the monitor privilege GET / needs; the template calls below say whether they may manage templates.
    throw new ClusterSetupError(`${where} answered GET / with ${root.status}: ${http.redact(clusterErrorText(root.text))}.`, "url must be the cluster's REST address (port 9200 by default, plus the path prefix of a proxy).");
  }

  const built = await buildIndexTemplate(template);
  const path = `/_index_template/${encodeURIComponent(templateName)}`;
  const existing = await http.request("GET", path);
  let installedHash: string | undefined;
  if (existing.status === 200) installedHash = installedTemplateHash(existing.text, templateName) ?? "";
  else if (existing.status === 401) throw new ClusterSetupError(`${where} refused the credentials (401).`, authenticationFix(context));
  else if (existing.status !== 404 && existing.status !== 403) {
    throw new ClusterSetupError(`${where} answered GET ${path} with ${existing.status}: ${http.redact(clusterErrorText(existing.text))}.`, "read the cluster's reason above.");
  }

  const what = `index template ${templateName} (pattern ${template.indexPattern}${template.dataStream ? ", data stream" : ""}, raw ${template.storeRaw === "indexed" ? (deps.flavor === "opensearch" ? "as flat_object" : "as flattened") : "stored only"}, record ${template.recordMappings === "ecs" ? `typed from ECS (${built.fieldCount} mapped fields)` : "mapped dynamically"}, priority ${TEMPLATE_PRIORITY})`;
  const changed = installedHash !== built.hash;
  if (!changed) {
    done.push(`${what} is already installed and up to date`);
  } else {
    const put = await http.request("PUT", path, { body: JSON.stringify(built.body) });
    if (put.status === 401) throw new ClusterSetupError(`${where} refused the credentials (401).`, authenticationFix(context));
    if (put.status === 403) throw new ClusterSetupError(`${where} refused to install ${templateName} (403: ${http.redact(clusterErrorText(put.text))}).`, templatePrivilegeFix(context));
    if (put.status < 200 || put.status >= 300) {
      throw new ClusterSetupError(
        `${where} refused index template ${templateName} (${put.status}: ${http.redact(clusterErrorText(put.text))}).`,
        `if another index template with priority ${TEMPLATE_PRIORITY} also matches ${template.indexPattern}, change that template's priority or this sink's index setting; otherwise read the cluster's reason above.`,
      );
    }
    done.push(`${installedHash === undefined ? "installed" : "updated"} ${what}`);
  }
  done.push(...(await existingTargetNotes(deps, changed)));
  return done;
}

/** The `_meta.wizbridge_hash` of the template in a `GET _index_template/<name>` answer. */
export function installedTemplateHash(text: string, name: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as { index_templates?: Array<{ name?: string; index_template?: { _meta?: { wizbridge_hash?: unknown } } }> };
    const hash = parsed.index_templates?.find((t) => t.name === name)?.index_template?._meta?.wizbridge_hash;
    return typeof hash === "string" ? hash : undefined;
  } catch {
    return undefined;
  }
}

/** What the template cannot change: indices created before it (or of the wrong kind for the mode). */
async function existingTargetNotes(deps: ClusterSetupDeps, changed: boolean): Promise<string[]> {
  const { http, template } = deps;
  const resolved = await http.request("GET", `/_resolve/index/${encodeURIComponent(template.indexPattern)}`);
  if (resolved.status !== 200) return [`could not list the existing targets of ${template.indexPattern} (${resolved.status}); indices created before the template keep their mappings`];
  let parsed: { indices?: Array<{ name?: string; data_stream?: string }>; data_streams?: Array<{ name?: string }> };
  try {
    parsed = JSON.parse(resolved.text) as typeof parsed;
  } catch {
    return [];
  }
  const plain = (parsed.indices ?? []).filter((i) => i.data_stream === undefined && typeof i.name === "string").map((i) => i.name as string);
  const streams = (parsed.data_streams ?? []).map((d) => d.name).filter((n): n is string => typeof n === "string");
  const notes: string[] = [];
  if (template.dataStream && plain.length > 0) {
    notes.push(
      `WARNING: ${plain.join(", ")} ${plain.length === 1 ? "is a plain index, not a data stream" : "are plain indices, not data streams"}: events keep going there. Delete ${plain.length === 1 ? "it" : "them"} (or reindex into a data stream) before delivery, so the data stream is created from the template.`,
    );
  }
  if (!template.dataStream && streams.length > 0) {
    notes.push(`WARNING: ${streams.join(", ")} ${streams.length === 1 ? "is a data stream" : "are data streams"}, which take only create ops: set mode: data-stream in the sink, or delete ${streams.length === 1 ? "it" : "them"}.`);
  }
  if (changed && !template.dataStream && plain.length > 0) {
    notes.push(`note: ${plain.join(", ")} already ${plain.length === 1 ? "exists and keeps its" : "exist and keep their"} mappings; the template applies to indices created from now on (reindex to apply it to existing data)`);
  }
  if (changed && template.dataStream && streams.length > 0) {
    notes.push(`note: ${streams.join(", ")} pick${streams.length === 1 ? "s" : ""} up the new mappings at the next rollover (POST <data stream>/_rollover to apply them now)`);
  }
  return notes;
}
