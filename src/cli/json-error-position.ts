/** Where a JSON text first goes wrong and why; Node 20's JSON.parse often gives neither line nor offset. */
export interface JsonSyntaxProblem {
  offset: number;
  reason: string;
}

const WHITESPACE = new Set([" ", "\t", "\n", "\r"]);
const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;

/** Scans `text` as JSON (RFC 8259) and returns the first problem, or undefined when it is valid. */
export function locateJsonProblem(text: string): JsonSyntaxProblem | undefined {
  let at = 0;
  const fail = (reason: string, offset = at): never => {
    throw { offset, reason } satisfies JsonSyntaxProblem;
  };
  const unexpected = (expected: string): never => fail(at >= text.length ? `the JSON ends too early; expected ${expected}` : `unexpected ${JSON.stringify(text[at])}; expected ${expected}`);
  const skipWhitespace = (): void => {
    while (at < text.length && WHITESPACE.has(text[at] as string)) at += 1;
  };
  const literal = (word: string): void => {
    if (text.startsWith(word, at)) at += word.length;
    else unexpected("a value");
  };
  const string = (): void => {
    const start = at;
    at += 1;
    for (;;) {
      if (at >= text.length) fail("unterminated string", start);
      const code = text.charCodeAt(at);
      if (code === 0x22) {
        at += 1;
        return;
      }
      if (code < 0x20) fail("control character (such as a newline) inside a string");
      if (code === 0x5c) {
        ESCAPE.lastIndex = at;
        if (!ESCAPE.test(text)) fail("invalid escape in a string");
        at = ESCAPE.lastIndex;
      } else {
        at += 1;
      }
    }
  };
  const value = (): void => {
    skipWhitespace();
    const c = text[at];
    if (c === "{") return object();
    if (c === "[") return array();
    if (c === '"') return string();
    if (c === "t") return literal("true");
    if (c === "f") return literal("false");
    if (c === "n") return literal("null");
    NUMBER.lastIndex = at;
    if (c !== undefined && /[-\d]/.test(c) && NUMBER.test(text)) {
      at = NUMBER.lastIndex;
      return;
    }
    unexpected("a value");
  };
  const object = (): void => {
    at += 1;
    skipWhitespace();
    if (text[at] === "}") {
      at += 1;
      return;
    }
    for (;;) {
      skipWhitespace();
      if (text[at] === "}") fail("trailing comma before }");
      if (text[at] !== '"') unexpected("a property name in double quotes");
      string();
      skipWhitespace();
      if (text[at] !== ":") unexpected(": after the property name");
      at += 1;
      value();
      skipWhitespace();
      if (text[at] === ",") {
        at += 1;
        continue;
      }
      if (text[at] === "}") {
        at += 1;
        return;
      }
      unexpected(", or }");
    }
  };
  const array = (): void => {
    at += 1;
    skipWhitespace();
    if (text[at] === "]") {
      at += 1;
      return;
    }
    for (;;) {
      skipWhitespace();
      if (text[at] === "]") fail("trailing comma before ]");
      value();
      skipWhitespace();
      if (text[at] === ",") {
        at += 1;
        continue;
      }
      if (text[at] === "]") {
        at += 1;
        return;
      }
      unexpected(", or ]");
    }
  };
  try {
    value();
    skipWhitespace();
    if (at < text.length) fail(`unexpected ${JSON.stringify(text[at])} after the end of the JSON value`);
    return undefined;
  } catch (problem) {
    if (problem && typeof problem === "object" && "offset" in problem) return problem as JsonSyntaxProblem;
    throw problem;
  }
}
