import { describe, expect, it } from "vitest";
import {
  WizAuthError,
  WizError,
  WizInputError,
  WizNetworkError,
  WizNotFoundError,
  WizPaginationError,
  WizPermissionError,
  WizRateLimitError,
  WizResponseError,
  WizSchemaError,
  WizServerError,
  WizSettingsError,
} from "../wiz/index.js";
import { CliInputError } from "./cli-input-error.js";
import { EXIT_CODES, EXIT_CODES_HELP, exitCodeFor } from "./exit-codes.js";

const explanation = { what: "w", cause: "c", fix: "f" };

describe("exitCodeFor", () => {
  it.each([
    ["a CLI input error", new CliInputError("bad json", "fix it"), 2],
    ["a Wiz input error", new WizInputError(explanation, { code: "BAD_USER_INPUT" }), 2],
    ["invalid settings", new WizSettingsError(explanation, "endpoint"), 2],
    ["an auth error", new WizAuthError(explanation, { code: "TOKEN_REFUSED", source: "token-endpoint" }), 3],
    ["a permission error", new WizPermissionError(explanation, { code: "UNAUTHORIZED", missingScopes: ["read:issues"] }), 4],
    ["throttling", new WizRateLimitError(explanation, { code: "RATE_LIMIT_EXCEEDED" }), 5],
    ["a network error", new WizNetworkError(explanation, { code: "NETWORK_DNS", failure: "dns" }), 6],
    ["a 5xx", new WizServerError(explanation, { code: "HTTP_503" }), 6],
    ["a proxy answering instead of Wiz", new WizResponseError(explanation, { code: "MALFORMED_RESPONSE" }), 6],
    ["not found", new WizNotFoundError(explanation, { code: "NOT_FOUND" }), 7],
    ["schema drift", new WizSchemaError(explanation, { code: "GRAPHQL_VALIDATION_FAILED" }), 1],
    ["a repeated cursor", new WizPaginationError(explanation, { code: "CURSOR_REPEATED" }), 1],
    ["an unknown Wiz code", new WizError(explanation, { code: "SOMETHING_NEW" }), 1],
    ["a plain error", new Error("boom"), 1],
    ["a thrown string", "boom", 1],
  ])("maps %s to %i", (_label, error, code) => {
    expect(exitCodeFor(error)).toBe(code);
  });

  it("documents every code in the help epilog", () => {
    for (const code of Object.values(EXIT_CODES)) expect(EXIT_CODES_HELP).toMatch(new RegExp(`^  ${code}  `, "m"));
  });
});
