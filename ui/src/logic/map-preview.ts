/** What POST /api/maps/test answers (src/server/api/maps.routes.ts): one output per input record. */
export interface MapTestAnswer {
  profile: string;
  stream: string;
  outputs: Array<{ input: number; profile?: string; record?: unknown; refused?: string }>;
  /** The raw records used, when the server sends them back (the built-in sample otherwise stays unseen). */
  inputs?: unknown[];
  records?: unknown[];
}

/** The editor's text parsed, or why it cannot be previewed yet. */
export function parseJsonText(text: string, what: string): { value?: unknown; problem?: string } {
  if (text.trim() === "") return {};
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return { problem: `${what} is not valid JSON yet: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** The body of a preview request: the unsaved map, and the user's raw records when given (else the built-in sample). */
export function previewBodyOf(map: unknown, records: unknown): Record<string, unknown> {
  const list = records === undefined ? undefined : Array.isArray(records) ? records : [records];
  return { map, ...(list ? { records: list } : {}) };
}

/** Pairs each output with the raw record it came from, for the side-by-side view. */
export function previewRows(answer: MapTestAnswer, records: unknown): Array<{ index: number; raw: unknown; output: unknown; refused?: string }> {
  const given = records === undefined ? (answer.inputs ?? answer.records) : Array.isArray(records) ? records : [records];
  return answer.outputs.map((o) => ({ index: o.input, raw: given?.[o.input] ?? "(the built-in sample record of this stream)", output: o.record, ...(o.refused ? { refused: o.refused } : {}) }));
}
