import type { ConfigProblem } from "./config-error.js";

/** invalid: the body does not validate; conflict: the id is taken or the change would break something; read_only: a config-file entry; not_found; unavailable: no usable master key. */
export type CatalogErrorKind = "invalid" | "conflict" | "read_only" | "not_found" | "unavailable";

export interface CatalogErrorDetail {
  /** Each invalid field, named from the entry's root. */
  problems?: readonly ConfigProblem[];
  fix?: string;
  /** For not_found: what was asked for, and the ids that do exist. */
  missing?: { kind: "connector" | "sink"; id: string; known: readonly string[] };
}

/**
 * A change to the managed connectors or sinks that was refused: the kind maps to an HTTP status, the
 * message says what to do, and `problems` name each invalid field from the entry's root.
 */
export class CatalogError extends Error {
  override readonly name = "CatalogError";
  readonly problems: readonly ConfigProblem[];
  readonly fix: string | undefined;
  readonly missing: CatalogErrorDetail["missing"];

  constructor(
    readonly kind: CatalogErrorKind,
    message: string,
    detail: CatalogErrorDetail = {},
  ) {
    super(message);
    this.problems = detail.problems ?? [];
    this.fix = detail.fix;
    this.missing = detail.missing;
  }
}

/** What a stored entry that did not start shows: the message, and the fix when the error carries one. */
export function failureOf(error: unknown): { message: string; fix?: string } {
  if (error instanceof CatalogError) return { message: error.message, ...(error.fix ? { fix: error.fix } : {}) };
  if (error instanceof Error && error.name === "SecretBoxError") return { message: error.message, fix: "start with the master key the secrets were sealed with (WIZBRIDGE_MASTER_KEY or <data dir>/master.key), or set the secrets again with PUT." };
  return { message: error instanceof Error ? error.message : String(error) };
}
