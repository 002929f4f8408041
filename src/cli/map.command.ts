import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { openStore } from "../store/store-database.js";
import { TransformMapRepository } from "../store/transform-map.repository.js";
import { TransformMapError } from "../transform/maps/map-validator.js";
import { TransformMapCatalog, TransformMapCatalogError } from "../transform/maps/transform-map-catalog.js";
import { OutputProfileError } from "../transform/output-profile.js";
import { EXIT_CODES } from "./exit-codes.js";

export interface MapIo {
  out: { write(chunk: string): unknown };
}

class MapCommandError extends Error {}

interface StoreOptions {
  dataDir: string;
}

async function withCatalog<T>(opts: StoreOptions, use: (catalog: TransformMapCatalog) => Promise<T>): Promise<T> {
  const store = await openStore(join(resolve(opts.dataDir), "wizbridge.db"));
  try {
    return await use(new TransformMapCatalog(new TransformMapRepository(store.db)));
  } finally {
    await store.close();
  }
}

function parseDocument(text: string, source: string): unknown {
  try {
    return parseYaml(text) as unknown;
  } catch (error) {
    throw new MapCommandError(`${source} is not valid YAML or JSON: ${error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error)}`);
  }
}

function readInput(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new MapCommandError(`cannot read ${path} (${error instanceof Error ? error.message : String(error)}); check the path.`);
  }
}

export async function mapList(opts: StoreOptions & { json: boolean }, io: MapIo): Promise<void> {
  const rows = (await withCatalog(opts, (catalog) => catalog.list())).map(({ updatedAt: _updatedAt, ...row }) => row);
  if (opts.json) {
    io.out.write(`${JSON.stringify(rows)}\n`);
    return;
  }
  for (const r of rows) io.out.write(`${r.name.padEnd(24)} ${(r.builtIn ? "built-in (read-only)" : "saved").padEnd(21)} ${r.recordTypes.join(",").padEnd(24)} ${r.description}\n`);
}

export async function mapShow(name: string, opts: StoreOptions & { json: boolean }, io: MapIo): Promise<void> {
  const definition = await withCatalog(opts, (catalog) => catalog.definition(name));
  io.out.write(opts.json ? `${JSON.stringify(definition, null, 2)}\n` : stringifyYaml(definition));
}

export async function mapClone(source: string, target: string, opts: StoreOptions & { force: boolean }, io: MapIo, now = Date.now()): Promise<void> {
  await withCatalog(opts, (catalog) => catalog.clone(source, target, { force: opts.force, now }));
  io.out.write(`saved ${target} (a copy of ${source}); edit it with \`wizbridge map show ${target} > ${target}.yaml\`, change the file, then \`wizbridge map save --file ${target}.yaml\`.\n`);
}

export async function mapSave(opts: StoreOptions & { file: string }, io: MapIo, now = Date.now()): Promise<void> {
  const definition = parseDocument(readInput(opts.file), opts.file);
  const map = await withCatalog(opts, (catalog) => catalog.save(definition, now));
  io.out.write(`saved ${map.name}; use it with output: { profile: "map:${map.name}" } in a connector.\n`);
}

/** Records of an input file: a JSON array, one object, or JSON lines (what a JSONL sink or `wizbridge ... --json` writes). */
function recordsOfFile(path: string): unknown[] {
  const trimmed = readInput(path).trim();
  const parsed = trimmed.startsWith("[") || !trimmed.includes("\n") ? parseDocument(trimmed, path) : trimmed.split("\n").filter((l) => l.trim()).map((l, i) => parseDocument(l, `${path} line ${i + 1}`));
  return Array.isArray(parsed) ? parsed : [parsed];
}

export async function mapTest(opts: StoreOptions & { map: string; input?: string; stream?: string; ladder?: string }, io: MapIo): Promise<void> {
  if (opts.ladder !== undefined && opts.ladder !== "wiz" && opts.ladder !== "four-tier") throw new MapCommandError(`--ladder must be wiz or four-tier (custom ladders live in the connector config).`);
  const records = opts.input === undefined ? undefined : recordsOfFile(opts.input);
  const result = await withCatalog(opts, (catalog) =>
    catalog.test({ map: opts.map, ...(records ? { records } : {}), ...(opts.stream !== undefined ? { stream: opts.stream } : {}), ...(opts.ladder ? { ladder: opts.ladder as "wiz" | "four-tier" } : {}), now: Date.now() }),
  );
  for (const output of result.outputs) io.out.write("refused" in output ? `${JSON.stringify(output)}\n` : `${JSON.stringify(output, null, 2)}\n`);
}

/** Runs one map subcommand; user errors print and exit 2. */
async function run(io: MapIo, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    if (error instanceof MapCommandError || error instanceof TransformMapCatalogError || error instanceof TransformMapError || error instanceof OutputProfileError) {
      process.stderr.write(`wizbridge: ${error.message}\n`);
      process.exitCode = EXIT_CODES.input;
      return;
    }
    throw error;
  }
}

export function registerMapCommand(program: Command): Command {
  const io: MapIo = { out: process.stdout };
  const map = program.command("map").description("Transform maps: list, show, clone a built-in, save your own (validated), and test one on sample records");
  const dataDir = (c: Command): Command => c.option("--data-dir <dir>", "the data directory whose store keeps the saved maps", "./data");
  dataDir(map.command("list").description("built-in and saved maps").option("--json", "as JSON", false)).action((opts: StoreOptions & { json: boolean }) => run(io, () => mapList(opts, io)));
  dataDir(map.command("show <name>").description("a map's definition (YAML; --json for JSON)").option("--json", "as JSON", false)).action((name: string, opts: StoreOptions & { json: boolean }) =>
    run(io, () => mapShow(name, opts, io)),
  );
  dataDir(map.command("clone <source> <new-name>").description("copy a map (built-ins are read-only: clone one to edit it)").option("--force", "replace a saved map of that name", false)).action(
    (source: string, target: string, opts: StoreOptions & { force: boolean }) => run(io, () => mapClone(source, target, opts, io)),
  );
  dataDir(map.command("save").description("import or replace a user map from a YAML or JSON file (validated first)").requiredOption("--file <file>", "the map file")).action((opts: StoreOptions & { file: string }) =>
    run(io, () => mapSave(opts, io)),
  );
  dataDir(
    map
      .command("test")
      .description("show a map's (or a profile's) output for sample records before using it")
      .requiredOption("--map <name>", "a map name, or canonical, ocsf, ecs")
      .option("--input <file>", "raw Wiz nodes (JSON array, object or JSON lines; wizbridge events work too); default: a built-in sample")
      .option("--stream <name>", "the stream the records come from (default: from the map's record types)")
      .option("--ladder <ladder>", "severity ladder: wiz or four-tier"),
  ).action((opts: StoreOptions & { map: string; input?: string; stream?: string; ladder?: string }) => run(io, () => mapTest(opts, io)));
  return map;
}
