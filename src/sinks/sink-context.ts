import type { Logger } from "pino";

/** What a sink is built with besides its own settings (injected: no module globals). */
export interface SinkContext {
  logger: Logger;
  /** Where relative paths in the sink's settings (TLS files, directories) resolve: the config file's directory. */
  baseDir: string;
  /** Epoch ms. */
  now: () => number;
}
