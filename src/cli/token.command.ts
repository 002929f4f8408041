import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { InvalidArgumentError, type Command } from "commander";
import { API_ROLES, ApiTokenRepository, type ApiRole } from "../store/api-token.repository.js";
import { openStore } from "../store/store-database.js";
import { EXIT_CODES } from "./exit-codes.js";
import type { CommandIo } from "./start.command.js";

export interface TokenCommandOptions {
  dataDir: string;
  store?: string;
  json: boolean;
}

async function withTokens<T>(opts: TokenCommandOptions, io: Pick<CommandIo, "out">, run: (tokens: ApiTokenRepository) => Promise<T>): Promise<T | number> {
  const path = resolve(opts.store ?? resolve(opts.dataDir, "wizbridge.db"));
  if (!existsSync(path)) {
    io.out.write(`wizbridge: no store at ${path}. Tokens live in the store of the main job: pass its --data-dir (or --store), or run \`wizbridge start\` once.\n`);
    return EXIT_CODES.input;
  }
  const store = await openStore(path);
  try {
    return await run(new ApiTokenRepository(store.db));
  } finally {
    await store.close();
  }
}

/** `wizbridge token create`: a new API token with a role; the secret is printed once and only its hash is kept. */
export async function runTokenCreateCommand(opts: TokenCommandOptions & { role: ApiRole; name: string }, io: Pick<CommandIo, "out">): Promise<number> {
  const result = await withTokens(opts, io, async (tokens) => {
    const token = await tokens.create(opts.name, opts.role);
    if (opts.json) io.out.write(`${JSON.stringify({ id: token.id, name: token.name, role: token.role, token: token.secret })}\n`);
    else io.out.write(`${token.role} token "${token.name}" (id ${token.id}):\n\n  ${token.secret}\n\nShown once: wizbridge keeps only a hash. Send it as \`Authorization: Bearer <token>\`; revoke it with \`wizbridge token revoke ${token.id}\`.\n`);
    return EXIT_CODES.ok;
  });
  return result;
}

export async function runTokenListCommand(opts: TokenCommandOptions, io: Pick<CommandIo, "out">): Promise<number> {
  return withTokens(opts, io, async (tokens) => {
    const list = await tokens.list();
    const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
    if (opts.json) io.out.write(`${JSON.stringify(list.map((t) => ({ ...t, createdAt: iso(t.createdAt), lastUsedAt: iso(t.lastUsedAt), revokedAt: iso(t.revokedAt) })))}\n`);
    else if (list.length === 0) io.out.write("No API tokens yet: `wizbridge start` creates an admin token at its first start; `wizbridge token create --role viewer` adds one.\n");
    else for (const t of list) io.out.write(`${t.id}  ${t.role.padEnd(8)} ${t.name.padEnd(24)} created ${iso(t.createdAt)}  last used ${iso(t.lastUsedAt) ?? "never"}${t.revokedAt ? `  REVOKED ${iso(t.revokedAt)}` : ""}\n`);
    return EXIT_CODES.ok;
  });
}

export async function runTokenRevokeCommand(id: string, opts: TokenCommandOptions, io: Pick<CommandIo, "out">): Promise<number> {
  return withTokens(opts, io, async (tokens) => {
    if (!(await tokens.revoke(id))) {
      io.out.write(`wizbridge: no active token with id ${id}; \`wizbridge token list\` shows the ids.\n`);
      return EXIT_CODES.notFound;
    }
    io.out.write(`token ${id} revoked: requests with it now get 401 (a running server notices at the next request).\n`);
    return EXIT_CODES.ok;
  });
}

function role(value: string): ApiRole {
  if (!(API_ROLES as readonly string[]).includes(value)) throw new InvalidArgumentError(`must be one of ${API_ROLES.join(", ")}.`);
  return value as ApiRole;
}

export function registerTokenCommand(program: Command, io: Pick<CommandIo, "out">): Command {
  const token = program.command("token").description("API tokens of the main job's HTTP API: create (viewer, operator, admin), list, revoke");
  const common = (c: Command): Command =>
    c
      .option("--data-dir <dir>", "the main job's data directory (its store is <dir>/wizbridge.db)", "./data")
      .option("--store <file>", "the SQLite store file, when the config puts it elsewhere")
      .option("--json", "print JSON", false);
  common(token.command("create").description("Create a token; the secret is shown once"))
    .requiredOption("--role <role>", "viewer (read), operator (also sync, test, replay) or admin (also connectors, credentials, tokens, mutating Wiz operations)", role)
    .option("--name <name>", "what the token is for (shown by token list)", "api")
    .action(async (opts: TokenCommandOptions & { role: ApiRole; name: string }) => {
      process.exitCode = await runTokenCreateCommand(opts, io);
    });
  common(token.command("list").description("List tokens (never their secrets)")).action(async (opts: TokenCommandOptions) => {
    process.exitCode = await runTokenListCommand(opts, io);
  });
  common(token.command("revoke <id>").description("Revoke a token by id")).action(async (id: string, opts: TokenCommandOptions) => {
    process.exitCode = await runTokenRevokeCommand(id, opts, io);
  });
  return token;
}
