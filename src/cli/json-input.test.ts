import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CliInputError } from "./cli-input-error.js";
import { describeSyntaxError, parseJsonObject, readJsonInputFile } from "./json-input.js";

const dir = mkdtempSync(join(tmpdir(), "wizbridge-json-input-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("JSON input", () => {
  it("parses an object from a file, or from stdin with -", async () => {
    const path = join(dir, "ok.json");
    writeFileSync(path, '{"filterBy": {"status": ["OPEN"]}}');
    expect(parseJsonObject(await readJsonInputFile(path, () => Promise.reject(new Error("no stdin"))))).toEqual({ filterBy: { status: ["OPEN"] } });
    expect(parseJsonObject(await readJsonInputFile("-", () => Promise.resolve('{"first": 5}')))).toEqual({ first: 5 });
  });

  it("names the file, line and column of a syntax error", async () => {
    const path = join(dir, "bad.json");
    writeFileSync(path, '{\n  "filterBy": {\n    "status": ["OPEN",]\n  }\n}\n');
    const source = await readJsonInputFile(path, () => Promise.resolve(""));
    expect(() => parseJsonObject(source)).toThrow(CliInputError);
    expect(() => parseJsonObject(source)).toThrow(`--json-input ${path} is not valid JSON: trailing comma before ] at line 3, column 23.`);
  });

  it("explains an empty or cut-off input and a non-object", () => {
    expect(describeSyntaxError("Unexpected end of JSON input", "")).toBe("the input is empty");
    expect(describeSyntaxError("Unexpected end of JSON input", '{"a":\n 1')).toBe("the JSON ends too early; expected , or } at line 2, column 3");
    expect(describeSyntaxError("", "{'a': 1}")).toBe("unexpected \"'\"; expected a property name in double quotes at line 1, column 2");
    expect(describeSyntaxError("", '{"a": "x\ny"}')).toMatch(/control character .* at line 1, column 9/);
    expect(describeSyntaxError("", '{"a": tru}')).toMatch(/unexpected "t"; expected a value at line 1, column 7/);
    expect(describeSyntaxError("", '{"a": 1} x')).toMatch(/after the end of the JSON value at line 1, column 10/);
    expect(() => parseJsonObject({ flag: "--input", text: "[1,2]" })).toThrow(/--input holds an array, not a JSON object/);
  });

  it("reports a missing file as an input error", async () => {
    await expect(readJsonInputFile(join(dir, "missing.json"), () => Promise.resolve(""))).rejects.toThrow(/cannot be read: no such file/);
  });
});
