/**
 * The engine alone on a fixed input, for before/after comparisons of its CPU per record on a busy machine:
 * `node --max-old-space-size=1024 --max-semi-space-size=32 dist/bench/sync-replay.main.js [pages.json]`.
 * The first run records BENCH_REPLAY_PAGES pages (default 40) of BENCH_PAGE findings (500) from a simulator
 * into the file (default: wizbridge-replay-pages.json in the temp directory); later runs replay the same file,
 * BENCH_REPLAY_ROUNDS times over (default 5). Run it under `--cpu-prof` or `valgrind --tool=callgrind` for a
 * profile or an instruction count that the machine's load does not blur.
 */
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSimulatorProcess } from "./simulator-process.js";
import { recordPagesToFile, replayRecordedPages } from "./sync-replay.js";

const PAGE = Number(process.env.BENCH_PAGE ?? 500);
const PAGES = Number(process.env.BENCH_REPLAY_PAGES ?? 40);
const ROUNDS = Number(process.env.BENCH_REPLAY_ROUNDS ?? 5);
/** The audience the engine asks the replay server's token endpoint for; the replay server ignores it. */
const AUDIENCE = "wiz-api";

async function main(): Promise<void> {
  const file = process.argv[2] ?? join(tmpdir(), "wizbridge-replay-pages.json");
  if (!existsSync(file)) {
    const sim = await startSimulatorProcess(["--size", "small", "--findings", String(PAGE * PAGES)]);
    try {
      await recordPagesToFile(sim.info, PAGES, PAGE, file);
    } finally {
      await sim.stop();
    }
    console.error(`recorded ${PAGES} pages of ${PAGE} findings into ${file}`);
  }
  const result = await replayRecordedPages(file, { rounds: ROUNDS, pageSize: PAGE, audience: AUDIENCE });
  console.log(JSON.stringify({ file, rounds: ROUNDS, ...result }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
