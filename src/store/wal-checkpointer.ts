import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/**
 * Copies the store's WAL back into the database file from a worker thread with its own connection, so
 * the checkpoint (reading the WAL, writing the pages, the fsync) is not paid inside a page commit on the
 * event loop. At full speed that was about a third of the commit's CPU (bench:sync's engine floor,
 * 26 -> 18 µs per record), and each one held every other commit, runtime intake's acks included.
 *
 * PASSIVE checkpoints never block writers or readers; the main connection keeps a large auto-checkpoint
 * as a backstop, and goes back to SQLite's own in-commit checkpoints if this thread ever fails.
 */
export class WalCheckpointer {
  private stopped: Promise<void> | undefined;

  private constructor(
    private readonly worker: Worker,
    private readonly exited: Promise<void>,
  ) {}

  /** Starts checkpointing `path` every `intervalMs`; `onFailure` runs once if the thread dies. */
  static start(path: string, options: { intervalMs?: number; onFailure: (error: unknown) => void }): WalCheckpointer {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { path, driver: createRequire(import.meta.url).resolve("better-sqlite3"), intervalMs: options.intervalMs ?? 100 },
    });
    // A store someone forgot to close must not keep the process alive.
    worker.unref();
    let failed = false;
    const fail = (error: unknown): void => {
      if (failed) return;
      failed = true;
      options.onFailure(error);
    };
    worker.on("error", fail);
    const exited = new Promise<void>((resolve) => {
      worker.once("exit", (code) => {
        if (code !== 0) fail(new Error(`the WAL checkpoint thread exited with code ${code}`));
        resolve();
      });
    });
    return new WalCheckpointer(worker, exited);
  }

  /** Stops after the checkpoint in progress (if any); the worker's connection is closed. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      // Held open until the thread has closed its connection.
      this.worker.ref();
      this.worker.postMessage("stop");
      await this.exited;
    })();
    return this.stopped;
  }
}

/** CommonJS, evaluated in the worker: no file of its own, so it runs the same from `src` (tests) and `dist`. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma("busy_timeout = 0");
let timer;
const tick = () => {
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch (error) {
    // SQLITE_BUSY: another checkpoint is running; the next tick tries again.
    if (!error || error.code !== "SQLITE_BUSY") throw error;
  }
  timer = setTimeout(tick, workerData.intervalMs);
};
parentPort.on("message", (message) => {
  if (message !== "stop") return;
  clearTimeout(timer);
  try { db.pragma("wal_checkpoint(PASSIVE)"); } catch {}
  db.close();
  parentPort.close();
});
tick();
`;
