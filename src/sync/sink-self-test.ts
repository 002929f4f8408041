import type { Logger } from "pino";
import type { Sink, SinkTestStep } from "../sinks/sink.js";
import { createSink } from "../sinks/sink-registry.js";
import { sinkTestRecord } from "../sinks/sink-settings.js";
import type { SinkConfig } from "./sync-config.js";

/**
 * A sink's self-test as `wizbridge sink test` runs it: a fresh instance from the settings (the running one
 * keeps delivering undisturbed) connects, authenticates and writes one marked test event, step by step;
 * a sink without a selfTest writes one test event.
 */
export async function runSinkSelfTest(id: string, settings: SinkConfig, context: { logger: Logger; now: () => number }): Promise<{ ok: boolean; steps: SinkTestStep[] }> {
  let sink;
  try {
    sink = createSink(id, settings, { logger: context.logger, baseDir: process.cwd(), now: context.now });
  } catch (error) {
    return { ok: false, steps: [{ step: "settings", ok: false, detail: error instanceof Error ? error.message : String(error), fix: "correct the sink's settings (in the config file, or PUT /api/sinks/<id> for a sink made through the API)" }] };
  }
  let steps: SinkTestStep[];
  try {
    steps = sink.selfTest ? await sink.selfTest() : await writeOneTestEvent(sink, id, context.now());
  } catch (error) {
    steps = [{ step: "test", ok: false, detail: error instanceof Error ? error.message : String(error), fix: "check the sink's address and credentials" }];
  } finally {
    await sink.close().catch(() => undefined);
  }
  return { ok: steps.length > 0 && steps.every((s) => s.ok), steps };
}

/** For sinks without a selfTest: one marked test event, written. */
async function writeOneTestEvent(sink: Sink, id: string, now: number): Promise<SinkTestStep[]> {
  try {
    await sink.write([sinkTestRecord(id, now)]);
    return [{ step: "write a test event", ok: true, detail: "written" }];
  } catch (error) {
    return [{ step: "write a test event", ok: false, detail: error instanceof Error ? error.message : String(error), fix: "check where the sink writes and that it is writable" }];
  }
}
