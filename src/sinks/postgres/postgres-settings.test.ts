import pino from "pino";
import { describe, expect, it } from "vitest";
import { describePostgres, endpointOf, poolConfigOf, postgresSinkSchema, redactorOf } from "./postgres-settings.js";

const SENTINEL = "SENTINEL-SECRET-123";
const logger = pino({ level: "silent" });

function problems(input: Record<string, unknown>): string[] {
  const result = postgresSinkSchema.safeParse({ type: "postgres", ...input });
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}

describe("postgres sink settings", () => {
  it("takes a connection string or discrete keys, not both, and never echoes the connection string", () => {
    expect(problems({ connectionString: `postgresql://wiz:${SENTINEL}@db.example:6543/security?sslmode=verify-full` })).toEqual([]);
    expect(problems({ host: "db", database: "security", user: "wiz", password: SENTINEL, port: 6543 })).toEqual([]);
    expect(problems({ connectionString: "postgresql://wiz@db/security", host: "db" })).toEqual([": sets connectionString and host; use one or the other."]);
    expect(problems({ host: "db" })).toEqual(["database: is required (or give a connectionString instead of host/port/database/user/password).", "user: is required (or give a connectionString instead of host/port/database/user/password)."]);
    const bad = problems({ connectionString: `mysql://wiz:${SENTINEL}@db/x?sslmode=prefer&connect_timeout=3` });
    expect(bad.join("\n")).toMatch(/must start with postgresql:\/\//);
    expect(bad.join("\n")).toMatch(/sslmode must be disable, require, verify-ca, verify-full/);
    expect(bad.join("\n")).toMatch(/parameter connect_timeout/);
    expect(bad.join("\n")).not.toContain(SENTINEL);
    expect(problems({ connectionString: `not a url ${SENTINEL}` }).join("\n")).not.toContain(SENTINEL);
    expect(problems({ connectionString: "postgresql://db:5432/" }).join("\n")).toMatch(/must name the database.*\n.*must name the user/);
  });

  it("checks the schema name, pool size and statement timeout", () => {
    const base = { host: "db", database: "d", user: "u" };
    expect(problems({ ...base, schema: "Wiz-Data" })).toEqual(["schema: must be a lower-case PostgreSQL identifier: letters, digits and '_', starting with a letter or '_', at most 63 characters"]);
    expect(problems({ ...base, pool: { max: 0 } })).toEqual(["pool.max: must be at least 1"]);
    expect(problems({ ...base, statementTimeoutMs: 10 })).toEqual(["statementTimeoutMs: must be at least 1000 ms"]);
    expect(problems({ ...base, unknown: 1 })[0]).toMatch(/unknown/i);
  });

  it("reads host, port, database, user and password from the URL, decoded", () => {
    const s = postgresSinkSchema.parse({ type: "postgres", connectionString: "postgresql://wiz%40corp:p%2Fw@[::1]:6543/sec%20db?sslmode=require&application_name=bridge" });
    expect(endpointOf(s)).toEqual({ host: "::1", port: 6543, database: "sec db", user: "wiz@corp", password: "p/w", sslMode: "require", applicationName: "bridge" });
  });

  it("gives pg discrete settings with TLS verified whenever sslmode asks for TLS", () => {
    const viaUrl = poolConfigOf("pg", postgresSinkSchema.parse({ type: "postgres", connectionString: "postgresql://u:pw@db/d?sslmode=require" }), logger, "/");
    expect(viaUrl).toMatchObject({ host: "db", port: 5432, database: "d", user: "u", password: "pw", ssl: { rejectUnauthorized: true }, max: 4, statement_timeout: 60_000, application_name: "wizbridge-pg" });
    expect(viaUrl).not.toHaveProperty("connectionString");
    const plain = poolConfigOf("pg", postgresSinkSchema.parse({ type: "postgres", host: "db", database: "d", user: "u", pool: { max: 9 }, statementTimeoutMs: 5000 }), logger, "/");
    expect(plain).toMatchObject({ ssl: false, max: 9, statement_timeout: 5000, query_timeout: 20_000 });
    const skip = poolConfigOf("pg", postgresSinkSchema.parse({ type: "postgres", host: "db", database: "d", user: "u", tls: { insecureSkipVerify: true } }), logger, "/");
    expect(skip.ssl).toMatchObject({ rejectUnauthorized: false });
    expect(problems({ connectionString: "postgresql://u@db/d?sslmode=disable", tls: {} })).toEqual(["tls: is set while the connectionString says sslmode=disable; remove one of them."]);
  });

  it("describes the target without the password, and redacts it (raw and URL-encoded) from any text", () => {
    const s = postgresSinkSchema.parse({ type: "postgres", connectionString: `postgresql://wiz:${SENTINEL}%2F@db:6543/security?sslmode=verify-full`, schema: "wiz_prod" });
    expect(describePostgres("pg", s)).toBe("pg: PostgreSQL at db:6543/security (schema wiz_prod, user wiz, TLS)");
    const redact = redactorOf(s);
    expect(redact(`failed with ${SENTINEL}/ and ${SENTINEL}%2F in ${s.connectionString ?? ""}`)).not.toContain(SENTINEL);
    const discrete = postgresSinkSchema.parse({ type: "postgres", host: "db", database: "d", user: "u", password: SENTINEL });
    expect(describePostgres("pg", discrete)).toBe("pg: PostgreSQL at db:5432/d (schema wiz, user u)");
    expect(redactorOf(discrete)(`x ${SENTINEL} y`)).toBe("x *** y");
  });
});
