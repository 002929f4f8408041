import { hash } from "node:crypto";

/** Deterministic event id: the same record version always gets the same id, in every process. */
export function eventIdOf(stream: string, recordId: string, version: string): string {
  return hash("sha256", `${stream}\u0000${recordId}\u0000${version}`).slice(0, 32);
}

/** A version for records without a change timestamp (projects, repositories): a hash of their content. */
export function contentVersionOf(raw: unknown): string {
  return `content:${hash("sha256", JSON.stringify(raw)).slice(0, 24)}`;
}
