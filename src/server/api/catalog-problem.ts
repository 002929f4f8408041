import { CatalogError } from "../../sync/catalog-error.js";
import { ApiProblem, notFound } from "./api-router.js";

const STATUS: Record<CatalogError["kind"], number> = { invalid: 400, conflict: 409, read_only: 409, not_found: 404, unavailable: 503 };
const ERROR_CODE: Record<CatalogError["kind"], string> = { invalid: "bad_request", conflict: "conflict", read_only: "read_only", not_found: "not_found", unavailable: "unavailable" };

/**
 * Runs a catalog change and turns its refusal into the API's error answer: 400 naming each field as
 * `body.<path>`, 404 with the known ids, 409 for a taken id or a config-file entry, 503 without a master key.
 */
export async function catalogCall<T>(work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof CatalogError)) throw error;
    if (error.kind === "not_found" && error.missing) throw notFound(error.missing.kind, error.missing.id, error.missing.known);
    const issues = error.problems.map((p) => ({ path: p.path ? `body.${p.path}` : "body", message: p.message }));
    const message = error.kind === "invalid" && issues[0] ? `${issues[0].path}: ${issues[0].message}` : error.message;
    throw new ApiProblem(STATUS[error.kind], {
      error: ERROR_CODE[error.kind],
      message,
      ...(issues.length > 0 ? { issues } : {}),
      ...(error.fix ? { fix: error.fix } : {}),
    });
  }
}
