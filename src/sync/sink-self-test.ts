import type { Logger } from "pino";
import type { SinkTestStep } from "../sinks/sink.js";
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
    return { ok: false, steps: [{ step: "settings", ok: false, detail: error instanceof Error ? error.message : String(error), fix: "correct the sink's settings (PUT /api/sinks/<id>, or the config file)" }] };
  }
  let steps: SinkTestStep[];
  try {
    if (sink.selfTest) steps = await sink.selfTest();
    else {
      await sink.write([sinkTestRecord(id, context.now())]);
      steps = [{ step: "write a test event", ok: true, detail: "written" }];
    }
  } catch (error) {
    steps = [{ step: "test", ok: false, detail: error instanceof Error ? error.message : String(error), fix: "check the sink's address and credentials" }];
  } finally {
    await sink.close().catch(() => undefined);
  }
  return { ok: steps.length > 0 && steps.every((s) => s.ok), steps };
}
