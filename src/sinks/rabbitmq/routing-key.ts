/**
 * Routing-key templates: `wiz.{connector}.{stream}`. In a topic exchange the key is dot-separated words
 * that bindings match with `*` and `#`, so each placeholder value becomes one word: every character other
 * than letters, digits, '_' and '-' (a dot would add a word) is made `_`.
 */
export const ROUTING_KEY_TEMPLATE_RULE = /^(?:[A-Za-z0-9_-]|\{connector\}|\{stream\})+(?:\.(?:[A-Za-z0-9_-]|\{connector\}|\{stream\})+)*$/;

export const ROUTING_KEY_TEMPLATE_MESSAGE = "must be dot-separated words of letters, digits, '_' or '-', with {connector} and {stream} as placeholders (e.g. wiz.{connector}.{stream})";

export const DEFAULT_ROUTING_KEY_TEMPLATE = "wiz.{connector}.{stream}";

export interface RoutingKeyTemplate {
  /** The routing key of one event (cached per connector and stream). */
  keyOf(connectorId: string, stream: string): string;
  /** A binding pattern matching every key the template renders (`wiz.*.*`). */
  readonly bindingPattern: string;
}

export function compileRoutingKeyTemplate(template: string): RoutingKeyTemplate {
  const cache = new Map<string, string>();
  return {
    bindingPattern: template
      .split(".")
      .map((word) => (word.includes("{") ? "*" : word))
      .join("."),
    keyOf(connectorId, stream) {
      const cacheKey = `${connectorId}\u0000${stream}`;
      let key = cache.get(cacheKey);
      if (key === undefined) {
        key = template.replaceAll("{connector}", routingWord(connectorId)).replaceAll("{stream}", routingWord(stream));
        cache.set(cacheKey, key);
      }
      return key;
    },
  };
}

export function routingWord(value: string): string {
  const word = value.replace(/[^A-Za-z0-9_-]/g, "_");
  return word === "" ? "_" : word;
}

/**
 * The top-level `kind` of a serialised WizEvent without parsing the whole event: it is written before
 * any nested object, so the first `"kind":"` at depth one is it; anything unusual falls back to a parse.
 */
export function eventKindOf(payload: string): string {
  const at = payload.indexOf('"kind":"');
  if (at > 0) {
    const brace = payload.indexOf("{", 1);
    const bracket = payload.indexOf("[", 1);
    if ((brace === -1 || brace > at) && (bracket === -1 || bracket > at)) {
      const start = at + 8;
      const end = payload.indexOf('"', start);
      if (end > start) {
        const kind = payload.slice(start, end);
        if (!kind.includes("\\")) return kind;
      }
    }
  }
  try {
    const parsed = JSON.parse(payload) as { kind?: unknown };
    return typeof parsed.kind === "string" ? parsed.kind : "unknown";
  } catch {
    return "unknown";
  }
}
