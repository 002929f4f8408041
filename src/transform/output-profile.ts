import type { GraphQLSchema } from "graphql";
import type { CanonicalRecord } from "../model/canonical/index.js";
import type { StreamName } from "../model/stream-name.js";
import { toEcs } from "./ecs/ecs-mapper.js";
import { BUILT_IN_MAPS } from "./maps/built-in-maps.js";
import { compileTransformMap, type CompiledMap } from "./maps/map-evaluator.js";
import { validateTransformMap } from "./maps/map-validator.js";
import { loadRawSchema } from "./maps/source-paths.js";
import { STREAM_NORMALISERS } from "./normalisers/stream-normaliser.js";
import type { RawNode } from "./normalisers/raw-fields.js";
import { toOcsf } from "./ocsf/ocsf-mapper.js";
import { resolveSeverityLadder, type SeverityLadder, type SeverityLadderSetting } from "./severity/severity-ladder.js";

export const PROFILE_NAME = /^(canonical|ocsf|ecs|map:[a-z0-9][a-z0-9_.-]{0,63})$/;

/** A connector's `output:` setting. */
export interface OutputSetting {
  profile: string;
  severityLadder?: SeverityLadderSetting;
}

export interface RenderContext {
  portalOrigin: string;
  /** RFC 3339. */
  observedAt: string;
  observedAtMs: number;
}

export interface RenderedRecord {
  /** The profile that shaped `record` (a kind a profile has no shape for falls back to canonical). */
  profile: string;
  record: unknown;
}

/** Raw Wiz node -> what the envelope's `record` carries. Throws MissingFieldError for a record missing a required field. */
export interface OutputProfile {
  readonly name: string;
  readonly ladder: SeverityLadder;
  render(stream: StreamName, raw: RawNode, context: RenderContext): RenderedRecord | Promise<RenderedRecord>;
}

function canonicalOf(stream: StreamName, raw: RawNode, context: RenderContext, ladder: SeverityLadder): CanonicalRecord {
  return STREAM_NORMALISERS[stream](raw, { portalOrigin: context.portalOrigin, ladder });
}

/** Builds a profile; `map:` profiles take their compiled map (see resolveOutputProfile). */
export function createOutputProfile(name: string, ladder: SeverityLadder, map?: CompiledMap): OutputProfile {
  if (name === "canonical") return { name, ladder, render: (stream, raw, context) => ({ profile: "canonical", record: canonicalOf(stream, raw, context, ladder) }) };
  if (name === "ocsf") {
    return {
      name,
      ladder,
      render(stream, raw, context) {
        const record = canonicalOf(stream, raw, context, ladder);
        const ocsf = toOcsf(record, { observedAtMs: context.observedAtMs, raw });
        return ocsf ? { profile: "ocsf", record: ocsf } : { profile: "canonical", record };
      },
    };
  }
  if (name === "ecs") return { name, ladder, render: (stream, raw, context) => ({ profile: "ecs", record: toEcs(canonicalOf(stream, raw, context, ladder), { observedAt: context.observedAt, raw }) }) };
  if (!map) throw new Error(`output profile ${name} needs its compiled map; resolve it with resolveOutputProfile.`);
  const kinds = new Set<string>(map.map.recordTypes);
  return {
    name,
    ladder,
    render(stream, raw, context) {
      const record = canonicalOf(stream, raw, context, ladder);
      // A map is written for some record kinds; the others go out canonical.
      if (!kinds.has(record.recordType)) return { profile: "canonical", record };
      if (!map.hasExpressions) return { profile: name, record: map.applySync(record, raw) };
      return map.apply(record, raw).then((out) => ({ profile: name, record: out }));
    },
  };
}

export const DEFAULT_OUTPUT_PROFILE: OutputProfile = createOutputProfile("canonical", resolveSeverityLadder("wiz"));

export class OutputProfileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OutputProfileError";
  }
}

export interface ResolveProfileDeps {
  /** A user map's saved definition (parsed JSON), or undefined when there is none by that name. */
  loadUserMap(name: string): Promise<unknown>;
  rawSchema?: GraphQLSchema;
}

/** A connector's output setting as a ready profile: user maps are loaded from the store and validated again. */
export async function resolveOutputProfile(setting: OutputSetting | undefined, deps: ResolveProfileDeps): Promise<OutputProfile> {
  if (!setting) return DEFAULT_OUTPUT_PROFILE;
  const ladder = resolveSeverityLadder(setting.severityLadder);
  if (!setting.profile.startsWith("map:")) return createOutputProfile(setting.profile, ladder);
  const mapName = setting.profile.slice(4);
  const definition = BUILT_IN_MAPS[mapName] ?? (await deps.loadUserMap(mapName));
  if (definition === undefined) {
    throw new OutputProfileError(
      `output profile ${setting.profile}: there is no transform map named ${mapName}. Built-in maps: ${Object.keys(BUILT_IN_MAPS).join(", ")}; ` +
        `list yours with \`wizbridge map list\`, or save it with \`wizbridge map save --file <map.yaml>\` before the sync.`,
    );
  }
  const map = await validateTransformMap(definition, { rawSchema: deps.rawSchema ?? loadRawSchema() });
  return createOutputProfile(setting.profile, ladder, compileTransformMap(map));
}

/** A record that left a full-posture snapshot, in every profile: just what identifies it. */
export function removalRecordOf(recordType: string, id: string, portalUrl: string): Record<string, unknown> {
  return { recordType, id, status: "REMOVED", portalUrl };
}
