import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import type { ServiceAccount } from "./service-accounts.js";

export type AuthFlavor = "cognito" | "auth0";

/** The audience each token service expects (Wiz docs and the XSOAR client: Cognito `wiz-api`, Auth0 `beyond-api`). */
export const AUDIENCE_BY_FLAVOR: Readonly<Record<AuthFlavor, string>> = { cognito: "wiz-api", auth0: "beyond-api" };

/**
 * Wiz auth hosts and their flavour (REFERENCE 1.1). A request whose Host header names one of them is
 * answered as that host would, so a client routed to the simulator can use the real URLs.
 */
export const WIZ_AUTH_HOSTS: Readonly<Record<string, AuthFlavor>> = {
  "auth.app.wiz.io": "cognito",
  "auth.wiz.io": "auth0",
  "auth.gov.wiz.io": "cognito",
  "auth0.gov.wiz.io": "auth0",
  "auth.app.wiz.us": "cognito",
  "auth.gov.wiz.us": "cognito",
  "auth.test.wiz.io": "cognito",
  "auth.demo.wiz.io": "cognito",
  "auth0.test.wiz.io": "auth0",
};

export interface TokenClaims {
  sub: string;
  aud: string;
  iss: string;
  iat: number;
  exp: number;
  jti: string;
  scope: string;
  name: string;
  /** Revocation generation the token was issued in. */
  gen: number;
}

export interface IssuedToken {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  scope: string;
}

export type TokenCheck =
  | { ok: true; claims: TokenClaims; account: ServiceAccount }
  | { ok: false; reason: "missing" | "malformed" | "bad-signature" | "expired" | "revoked" | "unknown-client" };

export interface TokenIssuerOptions {
  accounts: readonly ServiceAccount[];
  signingKey: Buffer;
  issuer: string;
  /** Lifetime in seconds: 86400 is commercial-style, 900 was seen on a gov tenant. */
  expiresIn: number;
  /** Token time in ms: the wall clock plus the simulator's advances (SimClock.wallTime), so clients checking `exp` locally accept tokens and advancing the simulator still expires them. */
  now: () => number;
}

/** Issues and checks JWT-shaped (HS256) access tokens; revocation is by issue time or by token id. */
export class TokenIssuer {
  private readonly accounts: Map<string, ServiceAccount>;
  private generation = 0;
  private revokedBelow = 0;
  private expiredBelow = 0;
  private readonly revokedIds = new Set<string>();
  private expiresIn: number;

  constructor(private readonly options: TokenIssuerOptions) {
    this.accounts = new Map(options.accounts.map((a) => [a.clientId, a]));
    this.expiresIn = options.expiresIn;
  }

  account(clientId: string): ServiceAccount | undefined {
    return this.accounts.get(clientId);
  }

  addAccount(account: ServiceAccount): void {
    this.accounts.set(account.clientId, account);
  }

  setExpiresIn(seconds: number): void {
    this.expiresIn = seconds;
  }

  /** Checks a client's secret in constant time; undefined when the id is unknown or the secret wrong. */
  authenticate(clientId: string, clientSecret: string): ServiceAccount | undefined {
    const account = this.accounts.get(clientId);
    if (!account) return undefined;
    const a = Buffer.from(account.clientSecret);
    const b = Buffer.from(clientSecret);
    return a.length === b.length && timingSafeEqual(a, b) ? account : undefined;
  }

  issue(account: ServiceAccount, audience: string): IssuedToken {
    const iat = Math.floor(this.options.now() / 1000);
    const claims: TokenClaims = {
      sub: account.clientId,
      aud: audience,
      iss: this.options.issuer,
      iat,
      exp: iat + this.expiresIn,
      jti: randomUUID(),
      scope: account.scopes.join(" "),
      name: account.name,
      gen: this.generation,
    };
    return { access_token: this.sign(claims), token_type: "Bearer", expires_in: this.expiresIn, scope: claims.scope };
  }

  check(authorization: string | undefined): TokenCheck {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
    if (!match?.[1]) return { ok: false, reason: "missing" };
    const parts = match[1].split(".");
    if (parts.length !== 3) return { ok: false, reason: "malformed" };
    const [header, payload, signature] = parts as [string, string, string];
    const expected = this.hmac(`${header}.${payload}`);
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "bad-signature" };
    let claims: TokenClaims;
    try {
      claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as TokenClaims;
    } catch {
      return { ok: false, reason: "malformed" };
    }
    if (this.revokedIds.has(claims.jti) || claims.gen < this.revokedBelow) return { ok: false, reason: "revoked" };
    if (claims.exp * 1000 <= this.options.now() || claims.gen < this.expiredBelow) return { ok: false, reason: "expired" };
    const account = this.accounts.get(claims.sub);
    if (!account) return { ok: false, reason: "unknown-client" };
    return { ok: true, claims, account };
  }

  /** Revokes every token issued up to now (as deleting or rotating a service account does). */
  revokeAll(): void {
    this.generation += 1;
    this.revokedBelow = this.generation;
  }

  /** Makes every token issued so far expire now, without moving the clock. */
  expireAll(): void {
    this.generation += 1;
    this.expiredBelow = this.generation;
  }

  revoke(jti: string): void {
    this.revokedIds.add(jti);
  }

  private sign(claims: TokenClaims): string {
    const header = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url");
    const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
    return `${header}.${payload}.${this.hmac(`${header}.${payload}`).toString()}`;
  }

  private hmac(input: string): Buffer {
    return Buffer.from(createHmac("sha256", this.options.signingKey).update(input).digest("base64url"));
  }
}
