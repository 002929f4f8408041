import type { SinkRecord, SinkTestStep } from "../sink.js";
import { sinkTestRecord } from "../sink-settings.js";
import { authenticationFix, ClusterSetupError, itemSetupFix, writePrivilegeFix, type SetupContext } from "./cluster-failure.js";
import { clusterErrorText, type ClusterHttp } from "./cluster-http.js";
import { flavorMismatch, readClusterInfo } from "./cluster-info.js";
import { installedTemplateHash } from "./cluster-setup.js";
import type { BulkAttempt } from "./elasticsearch.sink.js";
import { buildIndexTemplate, type IndexTemplateOptions, type SearchFlavor } from "./index-template.js";

export interface SelfTestDeps {
  http: ClusterHttp;
  flavor: SearchFlavor;
  template: IndexTemplateOptions;
  templateName: string;
  context: SetupContext;
  now: () => number;
  /** False when tls.insecureSkipVerify is on. */
  verifiesCertificate: boolean;
  targetOf(record: SinkRecord): string;
  bulk(records: readonly SinkRecord[]): Promise<BulkAttempt>;
}

/**
 * `wizbridge sink test`: reach the cluster (TLS, version, engine), authenticate, check the index template,
 * write one marked test event where stream `issues` goes, and delete it. Each failed step says what to fix.
 */
export async function runSelfTest(deps: SelfTestDeps): Promise<SinkTestStep[]> {
  const { http, context } = deps;
  const steps: SinkTestStep[] = [];
  const https = http.address.startsWith("https:");

  const reach = "reach the cluster";
  let root;
  try {
    root = await http.request("GET", "/");
  } catch (error) {
    const explained = http.explainUnreachable(error instanceof Error && error.cause !== undefined ? error.cause : error);
    steps.push({ step: reach, ok: false, detail: `${http.address}: ${explained.what}`, fix: explained.fix });
    return steps;
  }
  const channel = https ? (deps.verifiesCertificate ? "over TLS, certificate verified" : "over TLS, certificate NOT verified (tls.insecureSkipVerify)") : "over plain http";
  if (root.status === 200) {
    const info = readClusterInfo(root.text);
    if (info === undefined) {
      steps.push({ step: reach, ok: false, detail: `${http.address} answered GET / with something that is not a cluster's answer: ${http.redact(clusterErrorText(root.text))}`, fix: "url must be the cluster's REST address (port 9200 by default, plus the path prefix of a proxy)." });
      return steps;
    }
    const mismatch = flavorMismatch(deps.flavor, info);
    const detail = `${info.flavor === "opensearch" ? "OpenSearch" : "Elasticsearch"} ${info.version}${info.clusterName ? ` (cluster ${info.clusterName})` : ""} at ${http.address}, ${channel}`;
    steps.push(mismatch ? { step: reach, ok: true, detail: `${detail}. WARNING: ${mismatch}`, fix: `set type: ${info.flavor} in the sink.` } : { step: reach, ok: true, detail });
  } else if (root.status === 401 || root.status === 403) {
    steps.push({ step: reach, ok: true, detail: `${http.address} answered ${channel} (version not shown: ${root.status === 401 ? "it asks for credentials" : "the credentials lack the monitor privilege GET / needs"})` });
  } else {
    steps.push({ step: reach, ok: false, detail: `${http.address} answered GET / with ${root.status}: ${http.redact(clusterErrorText(root.text))}`, fix: "url must be the cluster's REST address (port 9200 by default, plus the path prefix of a proxy)." });
    return steps;
  }

  const auth = "authenticate";
  if (root.status === 401) {
    steps.push({ step: auth, ok: false, detail: `401: ${http.redact(clusterErrorText(root.text))}`, fix: authenticationFix(context) });
    return steps;
  }
  steps.push({ step: auth, ok: true, detail: context.auth ? `the cluster accepted the ${context.auth.type === "apiKey" ? "API key" : `user ${context.auth.username}`}` : "no credentials configured, and the cluster takes anonymous requests" });

  const templateStep = `index template ${deps.templateName}`;
  const templateAnswer = await http.request("GET", `/_index_template/${encodeURIComponent(deps.templateName)}`).catch((error: unknown) => error as Error);
  const setupFix = `run \`wizbridge sink setup ${context.sinkId}\` (with credentials that hold manage_index_templates) before delivery starts: indices or data streams created without it get dynamic mappings${deps.template.dataStream ? " and are plain indices, not data streams" : ""}.`;
  let templateMissing = false;
  if (templateAnswer instanceof Error) {
    steps.push({ step: templateStep, ok: false, detail: templateAnswer.message, fix: "check the network to the cluster; then run the test again." });
    return steps;
  } else if (templateAnswer.status === 200) {
    const installed = installedTemplateHash(templateAnswer.text, deps.templateName);
    const wanted = (await buildIndexTemplate(deps.template)).hash;
    if (installed === wanted) steps.push({ step: templateStep, ok: true, detail: `installed and up to date for ${deps.template.indexPattern}` });
    else steps.push({ step: templateStep, ok: false, detail: `installed, but it does not match the sink's settings (mode, storeRaw, recordMappings or index changed)`, fix: setupFix });
  } else if (templateAnswer.status === 404) {
    templateMissing = true;
    steps.push({ step: templateStep, ok: false, detail: `not installed: nothing types the envelope of ${deps.template.indexPattern}`, fix: setupFix });
  } else if (templateAnswer.status === 403) {
    steps.push({ step: templateStep, ok: true, detail: `not checked: the credentials may not read index templates (fine for a writer); make sure \`wizbridge sink setup ${context.sinkId}\` was run` });
  } else {
    steps.push({ step: templateStep, ok: false, detail: `GET _index_template answered ${templateAnswer.status}: ${http.redact(clusterErrorText(templateAnswer.text))}`, fix: setupFix });
  }

  const record = sinkTestRecord(context.sinkId, deps.now());
  const target = deps.targetOf(record);
  const writeStep = `write a test event to ${target}`;
  if (templateMissing) {
    // The first write creates the index: without the template it would be created with the wrong mappings (or as a plain index instead of a data stream).
    steps.push({ step: writeStep, ok: false, detail: "skipped: the first write would create the target without the index template", fix: setupFix });
    return steps;
  }
  let written: string | undefined;
  try {
    const attempt = await deps.bulk([record]);
    if (attempt.kind === "too-large") {
      steps.push({ step: writeStep, ok: false, detail: `413: the cluster refuses a ${attempt.bytes}-byte request`, fix: "raise http.max_content_length in the cluster, or the limit of the proxy in front of it." });
      return steps;
    }
    const { outcome } = attempt;
    const refused = outcome.rejected.get(record.eventId);
    const retry = outcome.retry.get(record.eventId);
    if (refused !== undefined) {
      steps.push({ step: writeStep, ok: false, detail: http.redact(refused), fix: "the cluster refused the document itself: check the mappings of the target (an older index or template typing a WizEvent field differently), and any ingest pipeline." });
      return steps;
    }
    if (retry !== undefined) {
      steps.push({ step: writeStep, ok: false, detail: http.redact(retry.reason), fix: retry.kind === "config" ? itemSetupFix(retry.reason, context) : "the cluster is overloaded or a shard is unavailable; check the cluster's health and run the test again." });
      return steps;
    }
    written = outcome.indices?.get(record.eventId) ?? target;
    steps.push({ step: writeStep, ok: true, detail: `the cluster holds test event ${record.eventId} in ${written}${written !== target ? ` (backing index of ${target})` : ""}` });
  } catch (error) {
    const fix = error instanceof ClusterSetupError ? error.fix : "check the cluster's health and run the test again.";
    const message = error instanceof Error ? error.message : String(error);
    steps.push({ step: writeStep, ok: false, detail: http.redact(message.replace(/ Fix: .*$/s, "")), fix: /403/.test(message) ? writePrivilegeFix(context) : fix });
    return steps;
  }

  const deleteStep = "delete the test event";
  const path = `/${encodeURIComponent(written)}/_doc/${encodeURIComponent(record.eventId)}`;
  const deleted = await http.request("DELETE", path).catch((error: unknown) => error as Error);
  if (deleted instanceof Error) {
    steps.push({ step: deleteStep, ok: false, detail: deleted.message, fix: `delete it by hand when the cluster is reachable: DELETE ${written}/_doc/${record.eventId}` });
  } else if (deleted.status === 200) {
    steps.push({ step: deleteStep, ok: true, detail: `deleted ${record.eventId} from ${written}` });
  } else {
    steps.push({
      step: deleteStep,
      ok: false,
      detail: `${deleted.status}: ${http.redact(clusterErrorText(deleted.text))}`,
      fix:
        deleted.status === 403
          ? `delivery does not need it, but the test event stays: grant the index privilege delete on "${context.indexPattern}" for the test, or delete it by hand: DELETE ${written}/_doc/${record.eventId} (it is marked kind: test).`
          : `delete it by hand: DELETE ${written}/_doc/${record.eventId} (it is marked kind: test).`,
    });
  }
  return steps;
}
