import type { RuntimeAlert, RuntimeSource } from "../../model/runtime-alert.js";
import { runtimeAlertSchema } from "../../model/runtime-alert.js";
import { AdapterInputError } from "./adapter-input-error.js";
import { awsWafAdapter } from "./aws-waf.adapter.js";
import { falcoAdapter, falcosidekickAdapter } from "./falco.adapter.js";
import { genericAdapter } from "./generic.adapter.js";
import { guardDutyAdapter } from "./guardduty.adapter.js";
import { kubeArmorAdapter } from "./kubearmor.adapter.js";
import { modSecurityAdapter } from "./modsecurity.adapter.js";
import type { RuntimeAdapter } from "./runtime-adapter.js";
import { sysdigAdapter } from "./sysdig.adapter.js";
import { tetragonAdapter } from "./tetragon.adapter.js";
import { traceeAdapter } from "./tracee.adapter.js";

/** Every adapter, keyed by the `:source` of `POST /ingest/:source`. */
export const RUNTIME_ADAPTERS: Readonly<Record<RuntimeSource, RuntimeAdapter>> = {
  falco: falcoAdapter,
  falcosidekick: falcosidekickAdapter,
  tetragon: tetragonAdapter,
  tracee: traceeAdapter,
  kubearmor: kubeArmorAdapter,
  sysdig: sysdigAdapter,
  guardduty: guardDutyAdapter,
  "aws-waf": awsWafAdapter,
  modsecurity: modSecurityAdapter,
  generic: genericAdapter,
};

export function isRuntimeSource(name: string): name is RuntimeSource {
  return Object.hasOwn(RUNTIME_ADAPTERS, name);
}

export type AdaptResult = { ok: true; alert: RuntimeAlert } | { ok: false; error: AdapterInputError };

/**
 * Runs one payload through its source's adapter and stamps the intake fields. Never throws for bad
 * input: the result carries an AdapterInputError naming the field. The final zod parse guarantees
 * every accepted alert matches `runtimeAlertSchema`.
 */
export function adaptRuntimePayload(source: RuntimeSource, payload: unknown, stamp: { id: string; receivedAt: string }): AdaptResult {
  let draft;
  try {
    draft = RUNTIME_ADAPTERS[source].adapt(payload);
  } catch (e) {
    if (e instanceof AdapterInputError) return { ok: false, error: e };
    // A payload shape the adapter did not anticipate: still the sender's input, never a crash.
    return { ok: false, error: new AdapterInputError(source, "$", `unreadable payload (${e instanceof Error ? e.message.slice(0, 200) : "unknown error"})`) };
  }
  const parsed = runtimeAlertSchema.safeParse({ ...draft, id: stamp.id, receivedAt: stamp.receivedAt });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: new AdapterInputError(source, issue?.path.map(String).join(".") || "$", issue?.message ?? "invalid value") };
  }
  return { ok: true, alert: parsed.data };
}
