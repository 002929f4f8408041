import { AUDIENCE_BY_FLAVOR, WIZ_AUTH_HOSTS, type AuthFlavor, type TokenIssuer } from "./token-issuer.js";

export interface TokenResponse {
  status: number;
  body: Record<string, unknown>;
}

/**
 * POST /oauth/token: OAuth2 client_credentials as Wiz's token services answer it. The flavour (and so the
 * expected audience) comes from the Host header when it names a Wiz auth host, else from the simulator option.
 * Error bodies follow RFC 6749 section 5.2 (`error`, `error_description`), the shape Backstage's Wiz client reads.
 */
export function answerTokenRequest(
  issuer: TokenIssuer,
  request: { body: string; contentType: string | undefined; host: string | undefined },
  defaultFlavor: AuthFlavor,
): TokenResponse {
  if (!(request.contentType ?? "").toLowerCase().startsWith("application/x-www-form-urlencoded")) {
    return invalid(400, "invalid_request", "The token request must be a form POST (Content-Type: application/x-www-form-urlencoded) with grant_type, client_id, client_secret and audience.");
  }
  const form = new URLSearchParams(request.body);
  const grantType = form.get("grant_type");
  if (grantType !== "client_credentials") {
    return invalid(400, "unsupported_grant_type", `grant_type must be client_credentials, got ${grantType === null ? "nothing" : JSON.stringify(grantType)}.`);
  }
  const clientId = form.get("client_id") ?? "";
  const clientSecret = form.get("client_secret") ?? "";
  if (!clientId || !clientSecret) return invalid(401, "invalid_client", "client_id and client_secret are required.");
  const hostName = (request.host ?? "").split(":")[0]?.toLowerCase() ?? "";
  const flavor = WIZ_AUTH_HOSTS[hostName] ?? defaultFlavor;
  const account = issuer.authenticate(clientId, clientSecret);
  if (!account) {
    // Auth0 answers access_denied/Unauthorized; Cognito-fronted services answer invalid_client.
    return flavor === "auth0"
      ? invalid(401, "access_denied", "Unauthorized")
      : invalid(401, "invalid_client", "Client authentication failed: wrong client_id or client_secret, or the service account was deleted.");
  }
  const audience = form.get("audience") ?? "";
  const expected = AUDIENCE_BY_FLAVOR[flavor];
  if (audience !== expected) {
    return invalid(
      flavor === "auth0" ? 403 : 400,
      flavor === "auth0" ? "access_denied" : "invalid_request",
      `audience ${JSON.stringify(audience)} is not served here: this ${flavor === "auth0" ? "Auth0 (legacy)" : "Cognito"} token service expects audience "${expected}".`,
    );
  }
  return { status: 200, body: { ...issuer.issue(account, audience) } };
}

function invalid(status: number, error: string, description: string): TokenResponse {
  return { status, body: { error, error_description: description } };
}
