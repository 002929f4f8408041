/**
 * Where each event goes: the sink's `index` setting is a naming template ("wiz-{stream}") that becomes one
 * index or data stream per stream (and per connector when it names `{connector}`).
 */

export const DEFAULT_INDEX_TEMPLATE = "wiz-{stream}";

const PLACEHOLDER = /\{([^{}]*)\}/g;
const KNOWN_PLACEHOLDERS = new Set(["stream", "connector"]);
/** Characters Elasticsearch and OpenSearch refuse anywhere in an index or data stream name. */
const FORBIDDEN_CHARACTERS = ["\\", "/", "*", "?", '"', "<", ">", "|", " ", ",", "#", ":"];
const MAX_NAME_BYTES = 255;

/** "vulnerabilityFindings" -> "vulnerability-findings", "Prod_EU.1" -> "prod-eu-1": index names are lower case. */
export function kebabCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1-$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** Why `name` cannot be an index or data stream name, or undefined when it can (the rules both engines enforce). */
export function indexNameProblem(name: string): string | undefined {
  if (name === "") return "is empty";
  if (name !== name.toLowerCase()) return "must be lower case";
  const bad = FORBIDDEN_CHARACTERS.find((c) => name.includes(c));
  if (bad !== undefined) return `must not contain ${bad === " " ? "a space" : `'${bad}'`} (refused: ${FORBIDDEN_CHARACTERS.map((c) => (c === " " ? "space" : c)).join(" ")})`;
  if (/^[-_+]/.test(name)) return "must not start with '-', '_' or '+'";
  if (name.startsWith(".")) return "must not start with '.' (such names are hidden or reserved for system indices)";
  if (Buffer.byteLength(name, "utf8") > MAX_NAME_BYTES) return `must be at most ${MAX_NAME_BYTES} bytes long`;
  return undefined;
}

/** Problems with the naming template itself (unknown placeholder, a pattern that would match every index), or undefined. */
export function indexTemplateProblem(template: string): string | undefined {
  for (const [, name] of template.matchAll(PLACEHOLDER)) {
    if (!KNOWN_PLACEHOLDERS.has(name ?? "")) return `has an unknown placeholder {${name ?? ""}}; use {stream} and/or {connector}`;
  }
  const literal = template.replace(PLACEHOLDER, "");
  if (/[{}]/.test(literal)) return "has an unbalanced '{' or '}'; placeholders are written {stream} and {connector}";
  if (literal === "") return 'needs some fixed text besides the placeholders (e.g. "wiz-{stream}"), so its index template matches only wizbridge\'s indices';
  // Render with every stream name and a sample connector: a problem in the fixed text shows up in each.
  const sample = renderIndexName(template, { stream: "vulnerabilityFindings", connector: "connector" });
  const problem = indexNameProblem(sample);
  return problem === undefined ? undefined : `gives "${sample}", which ${problem}`;
}

/** The index (or data stream) for one event: placeholders replaced by the lower-case kebab form of their value. */
export function renderIndexName(template: string, values: { stream: string; connector: string }): string {
  return template.replace(PLACEHOLDER, (_, name: string) => kebabCase(name === "stream" ? values.stream : values.connector));
}

/** The index pattern an index template needs to cover every name the naming template gives ("wiz-{stream}" -> "wiz-*"). */
export function indexPatternOf(template: string): string {
  return template.replace(PLACEHOLDER, "*").replace(/\*+/g, "*");
}

/**
 * Index names by connector and stream, rendered and checked once each (a handful per sink), and kept
 * JSON-quoted for the bulk action lines.
 */
export class IndexNames {
  private readonly quoted = new Map<string, string>();

  constructor(private readonly template: string) {}

  /** The JSON string literal of the target for (connector, stream); throws a configuration error when it is not a legal name. */
  quotedFor(connector: string, stream: string): string {
    const key = `${connector}\u0000${stream}`;
    let value = this.quoted.get(key);
    if (value === undefined) {
      const name = renderIndexName(this.template, { stream, connector });
      const problem = indexNameProblem(name);
      if (problem !== undefined) {
        throw new Error(`index "${this.template}" gives "${name}" for connector ${connector}, stream ${stream}, which ${problem}. Change the sink's index setting.`);
      }
      value = JSON.stringify(name);
      this.quoted.set(key, value);
    }
    return value;
  }

  nameFor(connector: string, stream: string): string {
    return JSON.parse(this.quotedFor(connector, stream)) as string;
  }
}
