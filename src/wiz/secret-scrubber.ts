const JWT_PATTERN = /\beyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]{4,}/g;
const BEARER_PATTERN = /\b(Bearer)\s+[\w.~+/-]{8,}=*/gi;

/**
 * Removes secrets from text that came from elsewhere (an error body, an exception message) before it
 * reaches a message or a log: the known secrets verbatim, plus anything shaped like a JWT or a bearer token.
 */
export function scrubSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    // Short values would blank out ordinary words; real client secrets and tokens are long.
    if (secret && secret.length >= 8) out = out.split(secret).join("[REDACTED]");
  }
  return out.replace(JWT_PATTERN, "[REDACTED]").replace(BEARER_PATTERN, "$1 [REDACTED]");
}
