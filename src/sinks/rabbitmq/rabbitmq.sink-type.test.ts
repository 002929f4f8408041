import { describe, expect, it } from "vitest";
import { redactSecrets } from "./rabbitmq-errors.js";
import { exchangeOf, urlSecrets } from "./rabbitmq-settings.js";
import { rabbitmqSinkSchema, rabbitmqSinkType } from "./rabbitmq.sink-type.js";

const SENTINEL = "SENTINEL-SECRET-123";

describe("rabbitmq sink settings", () => {
  it("takes the exchange by name or as an object, with topic and no declare by default", () => {
    const byName = rabbitmqSinkSchema.parse({ type: "rabbitmq", url: "amqp://u:p@h:5672/v", exchange: "wiz" });
    expect(exchangeOf(byName)).toEqual({ name: "wiz", type: "topic", declare: false });
    const full = rabbitmqSinkSchema.parse({ type: "rabbitmq", url: "amqps://h/v", exchange: { name: "wiz", type: "direct", declare: true }, tls: { caFile: "ca.pem" } });
    expect(exchangeOf(full)).toEqual({ name: "wiz", type: "direct", declare: true });
  });

  it("refuses what cannot work, saying what to write instead", () => {
    const problems = (input: Record<string, unknown>): string[] => {
      const result = rabbitmqSinkSchema.safeParse({ type: "rabbitmq", url: "amqp://h", exchange: "wiz", ...input });
      return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    };
    expect(problems({ url: "http://h" })[0]).toMatch(/^url: must be an amqp:\/\/ or amqps:\/\/ URL/);
    expect(problems({ tls: {} })[0]).toMatch(/^tls: needs an amqps:\/\/ url/);
    expect(problems({ exchange: "" })[0]).toMatch(/^exchange.name: must name an exchange/);
    expect(problems({ routingKey: "wiz.{connector}.#" })[0]).toMatch(/^routingKey: must be dot-separated words/);
    expect(problems({ exchange: { name: "wiz", type: "x" } })[0]).toMatch(/must be topic, direct, fanout or headers/);
    expect(problems({ mandatory: false, heartbeatSeconds: 0, confirmTimeoutMs: 5_000, batch: { maxEvents: 100 }, maxInFlight: 4 })).toEqual([]);
  });

  it("describes the sink with the password in the URL replaced, and scrubs it (raw and percent-encoded) from texts", () => {
    const settings = rabbitmqSinkSchema.parse({ type: "rabbitmq", url: `amqp://wiz:${encodeURIComponent(`${SENTINEL}/@`)}@mq.example:5672/sec`, exchange: "wiz" });
    const text = rabbitmqSinkType.describe("bus", settings);
    expect(text).toBe("bus: RabbitMQ at amqp://wiz:***@mq.example:5672/sec (exchange wiz, topic, routing key wiz.{connector}.{stream})");
    const secrets = urlSecrets(settings.url);
    expect(redactSecrets(`login ${SENTINEL}/@ and ${encodeURIComponent(`${SENTINEL}/@`)}`, secrets)).not.toContain(SENTINEL);
  });
});
