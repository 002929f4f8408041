/** Drops undefined and null members, so optional attributes are absent rather than null. */
export function compact<T extends Record<string, unknown>>(value: T): T {
  // A copy rather than `delete`: deleting keys drops V8 objects into slow dictionary mode.
  const out: Record<string, unknown> = {};
  for (const key in value) {
    const v = value[key];
    if (v !== undefined && v !== null) out[key] = v;
  }
  return out as T;
}
