import { describe, expect, it } from "vitest";
import { CONNECTOR_SECRET_PATHS, keepOmittedSecrets, maskSecrets, sinkSecretPaths, splitSecrets, withSecrets } from "./secret-fields.js";

const webhook = sinkSecretPaths("webhook");

describe("secret fields of connector entries and sink settings", () => {
  it("splits secrets out (map entries too), puts them back, and masks them as {set: true}", () => {
    const sink = { type: "webhook", url: "https://x", auth: { type: "bearer", token: "tok-123456" }, headers: { "X-Key": "hdr-secret", "X-Other": "hdr-2" } };
    const { rest, secrets } = splitSecrets(sink, webhook);
    expect(rest).toEqual({ type: "webhook", url: "https://x", auth: { type: "bearer" }, headers: {} });
    expect([...secrets]).toEqual([
      ["auth.token", "tok-123456"],
      ["headers.X-Key", "hdr-secret"],
      ["headers.X-Other", "hdr-2"],
    ]);
    expect(withSecrets(rest, secrets)).toEqual(sink);
    expect(maskSecrets(sink, webhook)).toEqual({ type: "webhook", url: "https://x", auth: { type: "bearer", token: { set: true } }, headers: { "X-Key": { set: true }, "X-Other": { set: true } } });
    expect(sink.auth.token).toBe("tok-123456");
  });

  it("a replacement keeps omitted secrets and {set: true}, drops {set: false}, and never moves a secret to another auth type", () => {
    const stored = { definition: { type: "webhook", auth: { type: "bearer" }, headers: {} }, secrets: new Map([["auth.token", "tok-123456"], ["headers.X-Key", "hdr-secret"], ["headers.X-Gone", "old"]]) };
    expect(keepOmittedSecrets({ type: "webhook", auth: { type: "bearer" }, headers: { "X-Key": { set: true } } }, webhook, stored)).toEqual({ type: "webhook", auth: { type: "bearer", token: "tok-123456" }, headers: { "X-Key": "hdr-secret" } });
    expect(keepOmittedSecrets({ type: "webhook", auth: { type: "basic", username: "u", password: "p-12345678" } }, webhook, stored)).toEqual({ type: "webhook", auth: { type: "basic", username: "u", password: "p-12345678" } });
    expect(keepOmittedSecrets({ type: "webhook", auth: { type: "bearer", token: { set: false } } }, webhook, stored)).toEqual({ type: "webhook", auth: { type: "bearer" } });
    const connector = { connection: { clientId: "id" } };
    expect(keepOmittedSecrets(connector, CONNECTOR_SECRET_PATHS, { definition: connector, secrets: new Map([["connection.clientSecret", "s3cret"]]) })).toEqual({ connection: { clientId: "id", clientSecret: "s3cret" } });
  });
});
