import type { GraphQLSchema } from "graphql";
import { isStreamName, STREAM_NAMES, type StreamName } from "../../model/stream-name.js";
import { MissingFieldError } from "../normalisers/raw-fields.js";
import { RECORD_TYPE_OF_STREAM } from "../normalisers/stream-normaliser.js";
import { createOutputProfile, resolveOutputProfile, type OutputProfile } from "../output-profile.js";
import { resolveSeverityLadder } from "../severity/severity-ladder.js";
import { BUILT_IN_MAPS, isBuiltInMap } from "./built-in-maps.js";
import { compileTransformMap } from "./map-evaluator.js";
import { validateTransformMap } from "./map-validator.js";
import { SAMPLE_RAW_RECORDS } from "./sample-raw-records.js";
import { loadRawSchema } from "./source-paths.js";
import { MAP_NAME, type TransformMap } from "./transform-map.schema.js";

/** Where user maps are kept (the store's TransformMapRepository fits); the catalog validates before saving. */
export interface SavedMapStore {
  get(name: string): Promise<{ name: string; definition: string; updatedAt: number } | undefined>;
  list(): Promise<Array<{ name: string; definition: string; updatedAt: number }>>;
  save(name: string, definition: string, now: number): Promise<void>;
}

/** Why the catalog refused: the CLI prints the message (exit 2), the HTTP API maps the reason to a status. */
export type MapCatalogRefusal = "not_found" | "exists" | "read_only" | "bad_input";

/** A request the catalog refuses before anything is saved; the message says what to do. */
export class TransformMapCatalogError extends Error {
  constructor(
    readonly reason: MapCatalogRefusal,
    message: string,
  ) {
    super(message);
    this.name = "TransformMapCatalogError";
  }
}

/** One line of the map list. */
export interface MapSummary {
  name: string;
  builtIn: boolean;
  recordTypes: string[];
  description: string;
  /** Epoch ms of the last save; absent for built-ins. */
  updatedAt?: number;
}

/** What a map test gives for one input record: the shaped record, or why the record was refused. */
export type MapTestOutput = { input: number; profile: string; record: unknown } | { input: number; refused: string };

export interface MapTestRequest {
  /** A map name (built-in or saved), a profile (canonical, ocsf, ecs, map:<name>), or an unsaved map definition. */
  map: string | Record<string, unknown>;
  /** Raw Wiz nodes (wizbridge events are unwrapped to their raw node); default: the built-in sample of the stream. */
  records?: readonly unknown[];
  stream?: string;
  ladder?: "wiz" | "four-tier";
  /** Epoch ms used as the records' observed time. */
  now: number;
}

export interface MapTestResult {
  profile: string;
  stream: StreamName;
  outputs: MapTestOutput[];
}

const PROFILES = ["canonical", "ocsf", "ecs"];

/**
 * The transform maps a user sees: the built-ins (read-only) and the saved ones, with list, show, clone, save
 * (validated first) and test on sample or given records. One place for the logic, so `wizbridge map` and
 * /api/maps behave the same.
 */
export class TransformMapCatalog {
  private rawSchema: GraphQLSchema | undefined;

  constructor(
    private readonly store: SavedMapStore,
    deps: { rawSchema?: GraphQLSchema } = {},
  ) {
    this.rawSchema = deps.rawSchema;
  }

  private schema(): GraphQLSchema {
    this.rawSchema ??= loadRawSchema();
    return this.rawSchema;
  }

  async list(): Promise<MapSummary[]> {
    const saved = await this.store.list();
    return [
      ...Object.values(BUILT_IN_MAPS).map((m) => ({ name: m.name, builtIn: true, recordTypes: [...m.recordTypes], description: m.description ?? "" })),
      ...saved.map((s) => {
        const m = JSON.parse(s.definition) as { recordTypes?: string[]; description?: string };
        return { name: s.name, builtIn: false, recordTypes: m.recordTypes ?? [], description: m.description ?? "", updatedAt: s.updatedAt };
      }),
    ];
  }

  /** A map's definition as saved (built-ins as shipped); throws not_found naming the known maps. */
  async definition(name: string): Promise<Record<string, unknown>> {
    if (isBuiltInMap(name)) return structuredClone(BUILT_IN_MAPS[name]) as Record<string, unknown>;
    const saved = await this.store.get(name);
    if (!saved) {
      const known = (await this.list()).map((m) => m.name);
      throw new TransformMapCatalogError("not_found", `there is no transform map named ${name}; known maps: ${known.join(", ")} (\`wizbridge map list\` or GET /api/maps; is the data directory the connector's?).`);
    }
    return JSON.parse(saved.definition) as Record<string, unknown>;
  }

  /** Whether a user map of that name is saved. */
  async isSaved(name: string): Promise<boolean> {
    return (await this.store.get(name)) !== undefined;
  }

  /** Copies a map under a new name (validated and saved); refuses to replace a saved map unless `force`. */
  async clone(source: string, target: string, options: { force: boolean; now: number }): Promise<TransformMap> {
    if (!MAP_NAME.test(target)) throw new TransformMapCatalogError("bad_input", `"${target}" is not a map name: use lower-case letters, digits, '.', '_' or '-' (at most 64).`);
    const definition = { ...(await this.definition(source)), name: target };
    if (!options.force && (await this.isSaved(target))) throw new TransformMapCatalogError("exists", `a map named ${target} is already saved; pick another name or replace it (--force, or "force": true).`);
    return this.save(definition, options.now);
  }

  /** Validates a map (every problem at once, as a TransformMapError) and saves it; built-in names stay read-only. */
  async save(definition: unknown, now: number): Promise<TransformMap> {
    const map = await validateTransformMap(definition, { rawSchema: this.schema() });
    if (isBuiltInMap(map.name)) throw new TransformMapCatalogError("read_only", `${map.name} is a built-in map and stays read-only; give your map another name (\`wizbridge map clone ${map.name} my-${map.name}\`).`);
    await this.store.save(map.name, JSON.stringify(definition), now);
    return map;
  }

  /** Shapes records with a map or profile and returns each output (or why a record was refused); nothing is saved. */
  async test(request: MapTestRequest): Promise<MapTestResult> {
    if (request.stream !== undefined && !isStreamName(request.stream)) throw new TransformMapCatalogError("bad_input", `unknown stream "${request.stream}"; streams are ${STREAM_NAMES.join(", ")}.`);
    const { profile, recordType } = await this.profileFor(request.map, request.ladder);
    let stream = request.stream as StreamName | undefined;
    stream ??= recordType === undefined ? undefined : STREAM_NAMES.find((s) => RECORD_TYPE_OF_STREAM[s] === recordType);
    let records: readonly unknown[];
    if (request.records === undefined) {
      const sample = Object.values(SAMPLE_RAW_RECORDS).find((s) => stream === undefined || s.stream === stream) ?? SAMPLE_RAW_RECORDS.vulnerabilityFinding;
      stream ??= sample.stream;
      records = [sample.raw];
    } else {
      // Whole wizbridge events: test the map on their raw node.
      records = request.records.map((r) => (r && typeof r === "object" && "source" in r && (r as { source?: unknown }).source === "wiz" && "raw" in r ? (r as { raw: unknown }).raw : r));
    }
    if (stream === undefined) throw new TransformMapCatalogError("bad_input", `say which stream the records come from (--stream, or "stream"): ${STREAM_NAMES.join(", ")}.`);
    const context = { portalOrigin: "https://app.wiz.io", observedAt: new Date(request.now).toISOString(), observedAtMs: request.now };
    const outputs: MapTestOutput[] = [];
    for (const [input, raw] of records.entries()) {
      if (!raw || typeof raw !== "object" || Array.isArray(raw)) {
        outputs.push({ input, refused: "not a JSON object (a Wiz node)" });
        continue;
      }
      try {
        const rendered = await profile.render(stream, raw as Record<string, unknown>, context);
        outputs.push({ input, profile: rendered.profile, record: rendered.record });
      } catch (error) {
        if (!(error instanceof MissingFieldError)) throw error;
        outputs.push({ input, refused: error.message });
      }
    }
    return { profile: profile.name, stream, outputs };
  }

  private async profileFor(map: MapTestRequest["map"], ladder: MapTestRequest["ladder"]): Promise<{ profile: OutputProfile; recordType: string | undefined }> {
    if (typeof map !== "string") {
      // An unsaved map (the console's editor): validated like a save, never stored.
      const validated = await validateTransformMap(map, { rawSchema: this.schema() });
      return { profile: createOutputProfile(`map:${validated.name}`, resolveSeverityLadder(ladder), compileTransformMap(validated)), recordType: validated.recordTypes[0] };
    }
    const profileName = PROFILES.includes(map) || map.startsWith("map:") ? map : `map:${map}`;
    if (!profileName.startsWith("map:")) return { profile: await resolveOutputProfile({ profile: profileName, ...(ladder ? { severityLadder: ladder } : {}) }, { loadUserMap: async () => undefined }), recordType: undefined };
    const definition = (await this.definition(profileName.slice(4))) as { recordTypes?: string[] };
    const profile = await resolveOutputProfile({ profile: profileName, ...(ladder ? { severityLadder: ladder } : {}) }, { loadUserMap: async () => definition, rawSchema: this.schema() });
    return { profile, recordType: definition.recordTypes?.[0] };
  }
}
