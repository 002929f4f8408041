import type { Writable } from "node:stream";
import type { Logger } from "pino";
import type { StreamOutcome } from "./connector-runner.js";
import type { StreamProgress } from "./stream-runner.js";

export interface ProgressReporter {
  onProgress(connectorId: string, progress: StreamProgress, final?: StreamOutcome): void;
}

/**
 * Progress per stream: on a terminal one line per stream rewritten in place (records, pages, rate);
 * elsewhere structured log lines such as `wiz: fetched 1234 issues`.
 */
export function createProgressReporter(options: { tty: boolean; out: Writable; logger: Logger; now?: () => number; logEveryMs?: number }): ProgressReporter {
  const now = options.now ?? Date.now;
  const lastShown = new Map<string, number>();
  const logEveryMs = options.logEveryMs ?? 10_000;
  return {
    onProgress(connectorId, progress, final) {
      const key = `${connectorId}/${progress.stream}`;
      const t = now();
      const seconds = Math.max(0.001, progress.elapsedMs / 1000);
      const rate = Math.round(progress.records / seconds);
      if (options.tty) {
        if (!final && t - (lastShown.get(key) ?? 0) < 100) return;
        lastShown.set(key, t);
        const status = final ? (final.status === "completed" ? "done" : final.status) : "…";
        const line = `${connectorId}  ${progress.stream.padEnd(24)} ${String(progress.records).padStart(9)} records  ${String(progress.pages).padStart(6)} pages  ${String(rate).padStart(7)}/s  ${progress.emitted} new  ${status}`;
        options.out.write(`\r\u001b[2K${line}${final ? "\n" : ""}`);
        return;
      }
      if (final) {
        lastShown.delete(key);
        const fields = { connector: connectorId, stream: progress.stream, records: progress.records, pages: progress.pages, emitted: progress.emitted, requests: progress.requests, perSecond: rate, status: final.status };
        if (final.status === "failed") options.logger.error({ ...fields, code: final.error?.code, fix: final.error?.fix }, `wiz: ${progress.stream} failed after ${progress.records} records: ${final.error?.message ?? ""}`);
        else options.logger.info(fields, `wiz: fetched ${progress.records} ${progress.stream} (${progress.emitted} new or changed)`);
        return;
      }
      if (!lastShown.has(key)) lastShown.set(key, t);
      if (t - (lastShown.get(key) ?? t) >= logEveryMs) {
        lastShown.set(key, t);
        options.logger.info({ connector: connectorId, stream: progress.stream, records: progress.records, pages: progress.pages, perSecond: rate }, `wiz: fetched ${progress.records} ${progress.stream} so far`);
      }
    },
  };
}
