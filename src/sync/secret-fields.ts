/**
 * Where secrets sit in a connector entry or a sink's settings, as dotted paths (`*` matches every key of a
 * map, such as a webhook sink's headers). The API stores everything else as JSON and seals these in the
 * credential store; answers show them as `{set: true}`.
 */
export const CONNECTOR_SECRET_PATHS: readonly string[] = Object.freeze(["connection.clientSecret", "connection.proxyUrl", "webhook.auth.token", "webhook.auth.value", "webhook.auth.password"]);

const TLS_SECRET = "tls.keyPassphrase";

const SINK_SECRET_PATHS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  elasticsearch: ["auth.password", "auth.apiKey"],
  opensearch: ["auth.password", "auth.apiKey"],
  "splunk-hec": ["token"],
  webhook: ["signing.secret", "auth.token", "auth.password", "headers.*"],
  kafka: ["sasl.password"],
  nats: ["token", "password"],
  postgres: ["password", "connectionString"],
  // The URL carries the password (amqp://user:password@host).
  rabbitmq: ["url"],
});

/** The secret paths of a sink type (every type may hold a TLS key passphrase). */
export function sinkSecretPaths(type: string): readonly string[] {
  return [...(SINK_SECRET_PATHS[type] ?? []), TLS_SECRET];
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/** What an answer shows in place of a secret; a client may send it back unchanged to keep the secret. */
export function isSecretMarker(value: unknown): value is { set: boolean } {
  return isObject(value) && typeof value.set === "boolean" && Object.keys(value).length === 1;
}

/** The concrete paths (wildcards expanded) of the secrets present in `value`. */
export function presentSecretPaths(value: unknown, patterns: readonly string[]): string[] {
  return pathsWhere(value, patterns, (v) => typeof v === "string");
}

function pathsWhere(value: unknown, patterns: readonly string[], test: (v: unknown) => boolean): string[] {
  const out: string[] = [];
  for (const pattern of patterns) {
    const parts = pattern.split(".");
    const parent = at(value, parts.slice(0, -1));
    const last = parts[parts.length - 1] as string;
    if (!isObject(parent)) continue;
    const keys = last === "*" ? Object.keys(parent) : [last];
    for (const key of keys) if (test(parent[key])) out.push([...parts.slice(0, -1), key].join("."));
  }
  return out;
}

/** A deep copy with the secrets taken out, and the secrets by concrete path. */
export function splitSecrets(value: Json, patterns: readonly string[]): { rest: Json; secrets: Map<string, string> } {
  const rest = structuredClone(value);
  const secrets = new Map<string, string>();
  for (const path of presentSecretPaths(value, patterns)) {
    const parts = path.split(".");
    const parent = at(rest, parts.slice(0, -1)) as Json;
    const key = parts[parts.length - 1] as string;
    secrets.set(path, parent[key] as string);
    delete parent[key];
  }
  return { rest, secrets };
}

/** A deep copy with secrets put back at their paths (where the parent object exists). */
export function withSecrets(value: Json, secrets: ReadonlyMap<string, string>): Json {
  const out = structuredClone(value);
  for (const [path, secret] of secrets) {
    const parts = path.split(".");
    const parent = at(out, parts.slice(0, -1));
    if (isObject(parent)) parent[parts[parts.length - 1] as string] = secret;
  }
  return out;
}

/** A deep copy with every secret shown as `{set: true}` (never its value). */
export function maskSecrets(value: Json, patterns: readonly string[]): Json {
  const out = structuredClone(value);
  for (const path of presentSecretPaths(value, patterns)) {
    const parts = path.split(".");
    (at(out, parts.slice(0, -1)) as Json)[parts[parts.length - 1] as string] = { set: true };
  }
  return out;
}

/**
 * A replacement body (PUT) with the stored secrets kept where the body omits them or sends `{set: true}`
 * back. A secret is kept only while its parent object is still there and of the same `type` (auth switched
 * from bearer to basic does not inherit the old token); an entry of a map (a header) only when sent back as
 * `{set: true}`, since leaving a header out removes it. `{set: false}` removes a secret.
 */
export function keepOmittedSecrets(body: Json, patterns: readonly string[], stored: { definition: Json; secrets: ReadonlyMap<string, string> }): Json {
  const out = structuredClone(body);
  const keep = new Set<string>();
  const remove = new Set<string>();
  for (const path of pathsWhere(out, patterns, isSecretMarker)) {
    const parts = path.split(".");
    const parent = at(out, parts.slice(0, -1)) as Json;
    const key = parts[parts.length - 1] as string;
    ((parent[key] as { set: boolean }).set ? keep : remove).add(path);
    delete parent[key];
  }
  for (const [path, secret] of stored.secrets) {
    if (remove.has(path)) continue;
    const parts = path.split(".");
    const parentPath = parts.slice(0, -1);
    const key = parts[parts.length - 1] as string;
    const parent = at(out, parentPath);
    if (!isObject(parent) || parent[key] !== undefined) continue;
    const inMap = patterns.some((p) => p.endsWith(".*") && p.slice(0, -2) === parentPath.join("."));
    if (inMap && !keep.has(path)) continue;
    const storedParent = at(stored.definition, parentPath);
    if (isObject(storedParent) && storedParent.type !== parent.type) continue;
    parent[key] = secret;
  }
  return out;
}

function at(value: unknown, parts: readonly string[]): unknown {
  let current = value;
  for (const part of parts) {
    if (!isObject(current)) return undefined;
    current = current[part];
  }
  return current;
}
