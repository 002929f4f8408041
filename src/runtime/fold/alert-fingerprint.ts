import { createHash } from "node:crypto";
import type { RuntimeAlert } from "../../model/runtime-alert.js";

/**
 * What makes two alerts "the same detection": source, rule, the Wiz resource it resolved to and the
 * adapter's salient arguments (file, command line, matched data...). Repeats of one fingerprint
 * within the fold window become one event with a count.
 */
export function alertFingerprint(alert: Pick<RuntimeAlert, "source" | "ruleId" | "salient">, providerUniqueId: string): string {
  const hash = createHash("sha256");
  // Length-prefixed parts, so ("a|b", "c") and ("a", "b|c") never collide.
  for (const part of [alert.source, alert.ruleId, providerUniqueId, ...alert.salient]) hash.update(`${part.length}:${part}`);
  return hash.digest("hex").slice(0, 32);
}

/** Whether an alert seen at `occurredAt` folds into an event spanning [firstSeen, lastSeen] with this window. */
export function withinFoldWindow(occurredAt: number, firstSeen: number, lastSeen: number, windowMs: number): boolean {
  return occurredAt >= firstSeen - windowMs && occurredAt <= lastSeen + windowMs;
}
