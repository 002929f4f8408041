import type { Logger } from "pino";
import type { Sink } from "../../src/sinks/sink.js";

/**
 * One sink in `npm run bench:sinks`: starts (or connects to) its destination, builds the sink with
 * acknowledgement on, and can tell how many distinct events the destination holds (the bench checks
 * that every acknowledged event arrived).
 */
export interface SinkBenchCase {
  /** Shown in the report: the sink type and what it ran against ("nats (real local server)"). */
  readonly name: string;
  /** Why this case cannot run here (a local service is down), or undefined when it can. */
  unavailable(): Promise<string | undefined>;
  start(logger: Logger): Promise<SinkBenchTarget>;
}

export interface SinkBenchTarget {
  sink: Sink;
  /** Distinct events the destination holds now (from the destination itself, not from the sink). */
  delivered(): Promise<number>;
  /** Closes the sink and stops anything the case started; removes what it created. */
  stop(): Promise<void>;
}
