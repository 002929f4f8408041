export interface ConfigProblem {
  /** The key at fault, e.g. `connectors[0].streams.issues.pageSize`. */
  path: string;
  message: string;
}

/** A config file a user must fix: every problem names its key and says what to write instead. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";

  constructor(
    readonly source: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(`${source} has ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n${problems.map((p) => `  ${p.path || "(top level)"}: ${p.message}`).join("\n")}`);
  }
}
