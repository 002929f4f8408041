import { WizAuthError, WizError, WizInputError, WizNotFoundError, WizPermissionError, WizRateLimitError, WizSettingsError } from "../../wiz/index.js";
import { ApiProblem } from "./api-router.js";

/**
 * A failed Wiz call as an API answer. The caller's own mistakes keep their 4xx (bad parameters 400 naming the
 * field under `prefix`, unknown object 404, throttled 429); a failure between wizbridge and Wiz (credentials,
 * scopes, network, Wiz errors) is 502, so it is never mistaken for the caller's token lacking a role (403).
 * Messages are the SDK's, which carry no secret.
 */
export function wizErrorProblem(error: WizError, prefix: string): ApiProblem {
  const base = { message: error.message, ...(error.fix ? { fix: error.fix } : {}) };
  if (error instanceof WizInputError) {
    const path = error.path ? `${prefix}.${error.path}` : prefix;
    return new ApiProblem(400, { error: "bad_request", ...base, message: `${path}: ${error.message}`, issues: [{ path, message: error.what }] });
  }
  if (error instanceof WizNotFoundError) return new ApiProblem(404, { error: "not_found", ...base });
  if (error instanceof WizRateLimitError) return new ApiProblem(429, { error: "wiz_rate_limited", ...base });
  if (error instanceof WizAuthError) return new ApiProblem(502, { error: "wiz_auth_failed", ...base });
  if (error instanceof WizPermissionError) return new ApiProblem(502, { error: "wiz_permission_denied", ...base });
  if (error instanceof WizSettingsError) return new ApiProblem(502, { error: "wiz_settings_invalid", ...base });
  return new ApiProblem(502, { error: `wiz_${error.code.toLowerCase()}`, ...base });
}

/** Runs a Wiz call and turns its WizError into the API answer (other errors pass through as 500s). */
export async function answeringWizErrors<T>(prefix: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof WizError) throw wizErrorProblem(error, prefix);
    throw error;
  }
}
