import { describe, expect, it } from "vitest";
import { SinkUnavailableError } from "../sink.js";
import { batchFailure, explainFailure, failureKindOf, PostgresSinkConfigError, rowRejection } from "./postgres-errors.js";

const target = { host: "db", port: 5432, database: "security", user: "wiz", schema: "wiz" };
const pgError = (code: string, message = "boom", extra: Record<string, unknown> = {}): Error => Object.assign(new Error(message), { code, ...extra });
const keep = (text: string): string => text;

describe("postgres failures", () => {
  it("sorts SQLSTATEs and network errors into data, transient, missing-table and config", () => {
    expect(["22P05", "22001", "23502", "23505", "54000"].map((c) => failureKindOf(pgError(c)))).toEqual(["data", "data", "data", "data", "data"]);
    expect(["08006", "08001", "57P01", "57P03", "53300", "40P01", "40001", "57014"].map((c) => failureKindOf(pgError(c)))).toEqual(Array(8).fill("transient"));
    expect(["42P01", "3F000"].map((c) => failureKindOf(pgError(c)))).toEqual(["missing-table", "missing-table"]);
    expect(["28P01", "28000", "3D000", "42501"].map((c) => failureKindOf(pgError(c)))).toEqual(Array(4).fill("config"));
    expect(failureKindOf(pgError("ECONNREFUSED"))).toBe("transient");
    expect(failureKindOf(new Error("Connection terminated unexpectedly"))).toBe("transient");
    expect(failureKindOf(new Error("timeout exceeded when trying to connect"))).toBe("transient");
    expect(failureKindOf(pgError("DEPTH_ZERO_SELF_SIGNED_CERT", "self-signed certificate"))).toBe("config");
    expect(failureKindOf(new Error("The server does not support SSL connections"))).toBe("config");
    expect(failureKindOf(new Error("SSL connection has been closed unexpectedly"))).toBe("transient");
    expect(failureKindOf(pgError("42601", "syntax error"))).toBe("other");
  });

  it("says what to change for a wrong password, an unknown database, a missing grant and a refused port", () => {
    expect(explainFailure(pgError("28P01", 'password authentication failed for user "wiz"'), target).fix).toMatch(/password is wrong for user wiz/);
    expect(explainFailure(pgError("28000", 'no pg_hba.conf entry for host "10.0.0.1", user "wiz", database "security", no encryption'), target).fix).toMatch(/only accepts TLS/);
    expect(explainFailure(pgError("3D000", 'database "security" does not exist'), target).fix).toMatch(/CREATE DATABASE security/);
    expect(explainFailure(pgError("42501", "permission denied for database security"), target).fix).toMatch(/GRANT CREATE ON DATABASE security TO wiz/);
    expect(explainFailure(pgError("ECONNREFUSED", "connect ECONNREFUSED 10.0.0.1:5432"), target).fix).toMatch(/start PostgreSQL, or fix host\/port/);
    expect(explainFailure(pgError("57014", "canceling statement due to statement timeout"), target).fix).toMatch(/statementTimeoutMs/);
  });

  it("throws config errors as PostgresSinkConfigError and outages as SinkUnavailableError, redacted", () => {
    const auth = batchFailure(pgError("28P01", "password authentication failed for SECRET"), target, (t) => t.replaceAll("SECRET", "***"));
    expect(auth).toBeInstanceOf(PostgresSinkConfigError);
    expect(auth.message).not.toContain("SECRET");
    expect(batchFailure(pgError("57P01", "terminating connection due to administrator command"), target, keep)).toBeInstanceOf(SinkUnavailableError);
    expect(batchFailure(pgError("42P01", 'relation "wiz.events" does not exist'), target, keep)).toBeInstanceOf(SinkUnavailableError);
    const other = batchFailure(pgError("42601", "syntax error"), target, keep);
    expect(other).not.toBeInstanceOf(SinkUnavailableError);
    expect(other).not.toBeInstanceOf(PostgresSinkConfigError);
  });

  it("words a dead letter with the SQLSTATE, the column and a shortened detail", () => {
    const reason = rowRejection(pgError("23502", 'null value in column "wiz_id" violates not-null constraint', { column: "wiz_id", detail: `Failing row contains (${"x".repeat(500)})` }), keep);
    expect(reason).toMatch(/^PostgreSQL refused the event \(SQLSTATE 23502 in column wiz_id: null value/);
    expect(reason).toMatch(/\.\.\.\)\); a required value is missing/);
    expect(reason.length).toBeLessThan(600);
    expect(rowRejection(pgError("22P05", "unsupported Unicode escape sequence"), keep)).toMatch(/NUL character/);
  });
});
