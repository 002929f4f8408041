/**
 * Wraps a raw node so that every property a mapper reads is recorded as a dotted path (list indices left out:
 * `sourceRules.description`, not `sourceRules.0.description`). Values are the real ones, so mappers take their
 * real branches.
 */
export function recordingReads(node: Record<string, unknown>): { node: Record<string, unknown>; paths: Set<string> } {
  const paths = new Set<string>();
  const wrap = (value: unknown, path: string): unknown => {
    if (value === null || typeof value !== "object") return value;
    const isArray = Array.isArray(value);
    return new Proxy(value as object, {
      get(target, key, receiver) {
        const v = Reflect.get(target, key, receiver) as unknown;
        if (typeof key !== "string") return v;
        if (isArray) return /^\d+$/.test(key) ? wrap(v, path) : v;
        const at = path === "" ? key : `${path}.${key}`;
        paths.add(at);
        return wrap(v, at);
      },
    });
  };
  return { node: wrap(node, "") as Record<string, unknown>, paths };
}
