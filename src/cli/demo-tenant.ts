import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "pino";
import { startSimulator, type Simulator, type SimState } from "../sim/index.js";

/** Where the embedded default keeps its demo tenant between starts, beside the store. */
export function demoTenantStatePath(dataDir: string): string {
  return join(dataDir, "demo-tenant.json");
}

export interface DemoTenant {
  simulator: Simulator;
  /** True when the tenant continued from the data dir's saved state (the connector resumes from its cursors). */
  resumed: boolean;
  /** Writes the tenant's state now (atomically, mode 0600). */
  save(): void;
  /** Stops the periodic save and writes the state a last time; then close the simulator. */
  stop(): void;
}

export interface DemoTenantOptions {
  dataDir: string;
  seed: number;
  logger: Logger;
  /** How often the state is written while running. Default 30 s. */
  saveEveryMs?: number;
  now?: () => number;
}

/**
 * The embedded default's simulator, continued across restarts: its clock, its changes (activity, issue updates,
 * notes, uploads) are saved in the data dir and restored at the next start, so the demo tenant goes on where it
 * was and the connector resumes from its cursors instead of exporting everything again. A state that cannot be
 * used (another seed, a damaged file) is set aside with a warning and a fresh tenant starts.
 */
export async function startDemoTenant(options: DemoTenantOptions): Promise<DemoTenant> {
  const { dataDir, seed, logger } = options;
  const now = options.now ?? Date.now;
  const path = demoTenantStatePath(dataDir);
  const base = { seed, size: "small" as const, activityPerHour: 240, logger };
  let simulator: Simulator | undefined;
  let resumed = false;
  if (existsSync(path)) {
    try {
      const state = JSON.parse(readFileSync(path, "utf8")) as SimState;
      // Simulated time keeps its distance to the wall clock, so the stop counts as time passing in the tenant.
      simulator = await startSimulator({ ...base, clock: { realtime: true, offset: state.now - state.savedAt }, state });
      resumed = true;
    } catch (error) {
      const aside = `${path}.unusable-${now()}`;
      renameSync(path, aside);
      logger.warn({ err: error instanceof Error ? error.message : String(error), movedTo: aside }, "the saved demo tenant could not be restored; starting a fresh one (the connector exports it again)");
    }
  }
  simulator ??= await startSimulator({ ...base, clock: { realtime: true, start: now() } });
  const running = simulator;
  const save = (): void => {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const tmp = `${path}.tmp`;
    writeFileSync(tmp, JSON.stringify(running.snapshot()), { mode: 0o600 });
    renameSync(tmp, path);
  };
  // A data dir that cannot be written is reported by the store (which says what to do); here it only warns.
  const trySave = (): void => {
    try {
      save();
    } catch (error) {
      logger.warn({ err: error instanceof Error ? error.message : String(error), path }, "could not save the demo tenant's state; a restart may replay part of it");
    }
  };
  const timer = setInterval(trySave, options.saveEveryMs ?? 30_000);
  timer.unref();
  trySave();
  return {
    simulator: running,
    resumed,
    save,
    stop: () => {
      clearInterval(timer);
      trySave();
    },
  };
}
