import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from "fastify";
import { roleAllows, type ApiRole, type ApiTokenRepository } from "../../store/api-token.repository.js";

export interface ApiAuthOptions {
  tokens: ApiTokenRepository;
  now: () => number;
  /** Failed authentications per client address within `windowMs` before 429. Default 20 per minute. */
  failureLimit?: number;
  windowMs?: number;
}

/** Who made the request, once authenticated. */
export interface ApiPrincipal {
  tokenId: string;
  name: string;
  role: ApiRole;
}

declare module "fastify" {
  interface FastifyRequest {
    principal?: ApiPrincipal;
  }
}

/**
 * Bearer-token authentication with roles for /api routes. Failed attempts are counted per client address:
 * past the limit the address gets 429 with Retry-After until its window passes, so tokens cannot be guessed
 * at network speed.
 */
export class ApiAuth {
  private readonly failures = new Map<string, { count: number; since: number }>();
  private readonly limit: number;
  private readonly windowMs: number;

  constructor(private readonly options: ApiAuthOptions) {
    this.limit = options.failureLimit ?? 20;
    this.windowMs = options.windowMs ?? 60_000;
  }

  /** A preHandler that lets through tokens whose role is at least `role`. */
  require(role: ApiRole): preHandlerAsyncHookHandler {
    return async (request, reply) => {
      await this.check(request, reply, role);
    };
  }

  private async check(request: FastifyRequest, reply: FastifyReply, role: ApiRole): Promise<void> {
    const address = request.ip;
    const now = this.options.now();
    const record = this.failures.get(address);
    if (record && now - record.since > this.windowMs) this.failures.delete(address);
    const current = this.failures.get(address);
    if (current && current.count >= this.limit) {
      const retryAfter = Math.ceil((current.since + this.windowMs - now) / 1000);
      return void reply
        .code(429)
        .header("retry-after", String(Math.max(1, retryAfter)))
        .send({ error: "too_many_failed_logins", message: `Too many failed authentications from ${address}; wait ${retryAfter} s. Check the token: \`wizbridge token list\` shows which exist.` });
    }
    const header = request.headers.authorization;
    const presented = typeof header === "string" && /^Bearer\s+/i.test(header) ? header.replace(/^Bearer\s+/i, "").trim() : undefined;
    const principal = presented ? await this.options.tokens.verify(presented) : undefined;
    if (!principal) {
      this.failures.set(address, { count: (current?.count ?? 0) + 1, since: current?.since ?? now });
      return void reply
        .code(401)
        .header("www-authenticate", 'Bearer realm="wizbridge"')
        .send({
          error: "unauthorized",
          message: presented
            ? "The bearer token is not valid (unknown, revoked or mistyped). Create one with `wizbridge token create --role viewer|operator|admin`."
            : "This route needs an API token: send `Authorization: Bearer <token>`. The admin token is printed once at the first start; create more with `wizbridge token create`.",
        });
    }
    if (!roleAllows(principal.role, role)) {
      return void reply.code(403).send({ error: "forbidden", message: `This route needs the ${role} role; token "${principal.name}" has ${principal.role}. Create a token with --role ${role} (an admin can).` });
    }
    request.principal = { tokenId: principal.id, name: principal.name, role: principal.role };
  }
}
