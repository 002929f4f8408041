import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { isStreamName, STREAM_NAMES, type StreamName } from "../model/stream-name.js";
import { openStore } from "../store/store-database.js";
import { TransformMapRepository } from "../store/transform-map.repository.js";
import { BUILT_IN_MAPS, isBuiltInMap } from "../transform/maps/built-in-maps.js";
import { TransformMapError, validateTransformMap } from "../transform/maps/map-validator.js";
import { SAMPLE_RAW_RECORDS } from "../transform/maps/sample-raw-records.js";
import { loadRawSchema } from "../transform/maps/source-paths.js";
import { MAP_NAME } from "../transform/maps/transform-map.schema.js";
import { MissingFieldError } from "../transform/normalisers/raw-fields.js";
import { RECORD_TYPE_OF_STREAM } from "../transform/normalisers/stream-normaliser.js";
import { OutputProfileError, resolveOutputProfile } from "../transform/output-profile.js";
import { EXIT_CODES } from "./exit-codes.js";

export interface MapIo {
  out: { write(chunk: string): unknown };
}

class MapCommandError extends Error {}

interface StoreOptions {
  dataDir: string;
}

async function withMaps<T>(opts: StoreOptions, use: (maps: TransformMapRepository) => Promise<T>): Promise<T> {
  const store = await openStore(join(resolve(opts.dataDir), "wizbridge.db"));
  try {
    return await use(new TransformMapRepository(store.db));
  } finally {
    await store.close();
  }
}

async function definitionOf(maps: TransformMapRepository, name: string): Promise<unknown> {
  if (isBuiltInMap(name)) return BUILT_IN_MAPS[name];
  const saved = await maps.get(name);
  if (!saved) throw new MapCommandError(`there is no transform map named ${name}; \`wizbridge map list\` shows the built-in and saved maps (is --data-dir the connector's?).`);
  return JSON.parse(saved.definition) as unknown;
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
  const saved = await withMaps(opts, (maps) => maps.list());
  const rows = [
    ...Object.values(BUILT_IN_MAPS).map((m) => ({ name: m.name, builtIn: true, recordTypes: m.recordTypes, description: m.description ?? "" })),
    ...saved.map((s) => {
      const m = JSON.parse(s.definition) as { recordTypes?: string[]; description?: string };
      return { name: s.name, builtIn: false, recordTypes: m.recordTypes ?? [], description: m.description ?? "" };
    }),
  ];
  if (opts.json) {
    io.out.write(`${JSON.stringify(rows)}\n`);
    return;
  }
  for (const r of rows) io.out.write(`${r.name.padEnd(24)} ${(r.builtIn ? "built-in (read-only)" : "saved").padEnd(21)} ${r.recordTypes.join(",").padEnd(24)} ${r.description}\n`);
}

export async function mapShow(name: string, opts: StoreOptions & { json: boolean }, io: MapIo): Promise<void> {
  const definition = await withMaps(opts, (maps) => definitionOf(maps, name));
  io.out.write(opts.json ? `${JSON.stringify(definition, null, 2)}\n` : stringifyYaml(definition));
}

async function saveValidated(maps: TransformMapRepository, definition: unknown, now: number): Promise<string> {
  const map = await validateTransformMap(definition, { rawSchema: loadRawSchema() });
  if (isBuiltInMap(map.name)) throw new MapCommandError(`${map.name} is a built-in map and stays read-only; give your map another name (\`wizbridge map clone ${map.name} my-${map.name}\`).`);
  await maps.save(map.name, JSON.stringify(definition), now);
  return map.name;
}

export async function mapClone(source: string, target: string, opts: StoreOptions & { force: boolean }, io: MapIo, now = Date.now()): Promise<void> {
  if (!MAP_NAME.test(target)) throw new MapCommandError(`"${target}" is not a map name: use lower-case letters, digits, '.', '_' or '-' (at most 64).`);
  await withMaps(opts, async (maps) => {
    if (!opts.force && (await maps.get(target))) throw new MapCommandError(`a map named ${target} is already saved; pick another name or add --force to replace it.`);
    const definition = { ...(structuredClone(await definitionOf(maps, source)) as Record<string, unknown>), name: target };
    await saveValidated(maps, definition, now);
  });
  io.out.write(`saved ${target} (a copy of ${source}); edit it with \`wizbridge map show ${target} > ${target}.yaml\`, change the file, then \`wizbridge map save --file ${target}.yaml\`.\n`);
}

export async function mapSave(opts: StoreOptions & { file: string }, io: MapIo, now = Date.now()): Promise<void> {
  const definition = parseDocument(readInput(opts.file), opts.file);
  const name = await withMaps(opts, (maps) => saveValidated(maps, definition, now));
  io.out.write(`saved ${name}; use it with output: { profile: "map:${name}" } in a connector.\n`);
}

export async function mapTest(opts: StoreOptions & { map: string; input?: string; stream?: string; ladder?: string }, io: MapIo): Promise<void> {
  const profileName = ["canonical", "ocsf", "ecs"].includes(opts.map) || opts.map.startsWith("map:") ? opts.map : `map:${opts.map}`;
  if (opts.ladder !== undefined && opts.ladder !== "wiz" && opts.ladder !== "four-tier") throw new MapCommandError(`--ladder must be wiz or four-tier (custom ladders live in the connector config).`);
  const { profile, recordType } = await withMaps(opts, async (maps) => {
    const loadUserMap = async (name: string): Promise<unknown> => {
      const saved = await maps.get(name);
      return saved ? (JSON.parse(saved.definition) as unknown) : undefined;
    };
    const resolved = await resolveOutputProfile({ profile: profileName, ...(opts.ladder ? { severityLadder: opts.ladder as "wiz" | "four-tier" } : {}) }, { loadUserMap });
    const definition = profileName.startsWith("map:") ? ((await definitionOf(maps, profileName.slice(4))) as { recordTypes?: string[] }) : undefined;
    return { profile: resolved, recordType: definition?.recordTypes?.[0] };
  });
  let stream: StreamName | undefined;
  if (opts.stream !== undefined) {
    if (!isStreamName(opts.stream)) throw new MapCommandError(`unknown stream "${opts.stream}" for --stream; streams are ${STREAM_NAMES.join(", ")}.`);
    stream = opts.stream;
  } else if (recordType !== undefined) {
    stream = STREAM_NAMES.find((s) => RECORD_TYPE_OF_STREAM[s] === recordType);
  }
  let records: unknown[];
  if (opts.input === undefined) {
    const sample = Object.values(SAMPLE_RAW_RECORDS).find((s) => stream === undefined || s.stream === stream) ?? SAMPLE_RAW_RECORDS.vulnerabilityFinding;
    stream ??= sample.stream;
    records = [sample.raw];
  } else {
    const text = readInput(opts.input);
    const trimmed = text.trim();
    // A JSON array, one object, or JSON lines (what a JSONL sink or `wizbridge ... --json` writes).
    const parsed = trimmed.startsWith("[") || !trimmed.includes("\n") ? parseDocument(trimmed, opts.input) : trimmed.split("\n").filter((l) => l.trim()).map((l, i) => parseDocument(l, `${opts.input ?? ""} line ${i + 1}`));
    records = Array.isArray(parsed) ? parsed : [parsed];
    // Whole wizbridge events: test the map on their raw node.
    records = records.map((r) => (r && typeof r === "object" && "source" in r && (r as { source?: unknown }).source === "wiz" && "raw" in r ? (r as { raw: unknown }).raw : r));
  }
  if (stream === undefined) throw new MapCommandError(`say which stream the input records come from with --stream (${STREAM_NAMES.join(", ")}).`);
  const context = { portalOrigin: "https://app.wiz.io", observedAt: new Date().toISOString(), observedAtMs: Date.now() };
  for (const [i, raw] of records.entries()) {
    if (!raw || typeof raw !== "object" || Array.isArray(raw)) {
      io.out.write(`${JSON.stringify({ input: i, refused: "not a JSON object (a Wiz node)" })}\n`);
      continue;
    }
    try {
      const rendered = await profile.render(stream, raw as Record<string, unknown>, context);
      io.out.write(`${JSON.stringify({ input: i, profile: rendered.profile, record: rendered.record }, null, 2)}\n`);
    } catch (error) {
      if (!(error instanceof MissingFieldError)) throw error;
      io.out.write(`${JSON.stringify({ input: i, refused: error.message })}\n`);
    }
  }
}

/** Runs one map subcommand; user errors print and exit 2. */
async function run(io: MapIo, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    if (error instanceof MapCommandError || error instanceof TransformMapError || error instanceof OutputProfileError) {
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
