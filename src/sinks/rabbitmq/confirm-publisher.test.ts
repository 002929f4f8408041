import { EventEmitter } from "node:events";
import type { Message, Options } from "amqplib";
import { describe, expect, it } from "vitest";
import { SinkRejectedError, SinkUnavailableError, type SinkRecord } from "../sink.js";
import { ConfirmPublisher, type PublishChannel } from "./confirm-publisher.js";
import { RabbitmqConfigError } from "./rabbitmq-errors.js";
import { compileRoutingKeyTemplate } from "./routing-key.js";

interface Sent {
  exchange: string;
  key: string;
  content: Buffer;
  options: Options.Publish;
  confirm(error: unknown): void;
}

/** A confirm channel that records publishes and lets the test answer them (ack, nack, return, close). */
class FakeChannel extends EventEmitter {
  readonly sent: Sent[] = [];
  /** publish returns false (buffer full) for these positions. */
  readonly full = new Set<number>();
  private closedWith: Error | undefined;

  publish(exchange: string, key: string, content: Buffer, options?: Options.Publish, confirm?: (error: unknown) => void): boolean {
    if (this.closedWith) throw new Error("Channel closed");
    this.sent.push({ exchange, key, content, options: options ?? {}, confirm: confirm ?? (() => undefined) });
    return !this.full.has(this.sent.length - 1);
  }

  ack(...positions: number[]): void {
    for (const p of positions) this.sent[p]?.confirm(null);
  }

  nack(position: number): void {
    this.sent[position]?.confirm(new Error("message nacked"));
  }

  returnMessage(position: number): void {
    const sent = this.sent[position] as Sent;
    this.emit("return", { content: sent.content, fields: { replyCode: 312, replyText: "NO_ROUTE", exchange: sent.exchange, routingKey: sent.key }, properties: { messageId: sent.options.messageId } } as unknown as Message);
  }

  /** As amqplib does on a server channel.close: 'error' with the code, then 'close' failing unconfirmed callbacks. */
  closeByServer(code: number, text: string, confirmedBefore: readonly number[]): void {
    const error = Object.assign(new Error(`Channel closed by server: ${code} (${text})`), { code });
    this.closedWith = error;
    this.emit("error", error);
    this.sent.forEach((s, i) => {
      if (!confirmedBefore.includes(i)) s.confirm(new Error("channel closed"));
    });
    this.emit("close");
  }
}

const record = (i: number, size = 20): SinkRecord => ({ seq: i, eventId: `e${i}`, connectorId: "prod", stream: "issues", payload: JSON.stringify({ id: `e${i}`, source: "wiz", kind: i === 2 ? "removal" : "upsert", pad: "x".repeat(size) }) });

function publisherOn(channel: FakeChannel, confirmTimeoutMs = 60_000): ConfirmPublisher {
  return new ConfirmPublisher(channel as unknown as PublishChannel, { sinkId: "bus", exchange: "wiz", keys: compileRoutingKeyTemplate("wiz.{connector}.{stream}"), mandatory: true, confirmTimeoutMs, redact: (t) => t });
}

const settled = (p: Promise<void>): Promise<unknown> =>
  p.then(
    () => "resolved",
    (e: unknown) => e,
  );
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe("ConfirmPublisher", () => {
  it("publishes persistent JSON with the event id, stream and kind, and resolves only after every confirm", async () => {
    const channel = new FakeChannel();
    const result = settled(publisherOn(channel).publish([record(1), record(2), record(3)]));
    await tick();
    expect(channel.sent.map((s) => [s.exchange, s.key, s.options.messageId, s.options.persistent, s.options.mandatory, s.options.contentType, s.options.type, s.options.headers])).toEqual([
      ["wiz", "wiz.prod.issues", "e1", true, true, "application/json", "issues", { "wiz-stream": "issues", "wiz-kind": "upsert", "wiz-connector": "prod" }],
      ["wiz", "wiz.prod.issues", "e2", true, true, "application/json", "issues", { "wiz-stream": "issues", "wiz-kind": "removal", "wiz-connector": "prod" }],
      ["wiz", "wiz.prod.issues", "e3", true, true, "application/json", "issues", { "wiz-stream": "issues", "wiz-kind": "upsert", "wiz-connector": "prod" }],
    ]);
    expect(channel.sent[0]?.content.toString("utf8")).toBe(record(1).payload);
    let done = false;
    void result.then(() => (done = true));
    channel.ack(0, 2);
    await tick();
    expect(done).toBe(false);
    channel.ack(1);
    expect(await result).toBe("resolved");
  });

  it("waits for drain when publish says the channel's buffer is full, before publishing more", async () => {
    const channel = new FakeChannel();
    channel.full.add(1);
    const result = settled(publisherOn(channel).publish([record(1), record(2), record(3), record(4)]));
    await tick();
    await tick();
    expect(channel.sent).toHaveLength(2);
    channel.emit("drain");
    await tick();
    expect(channel.sent).toHaveLength(4);
    channel.ack(0, 1, 2, 3);
    expect(await result).toBe("resolved");
  });

  it("keeps the confirms of concurrent batches apart", async () => {
    const channel = new FakeChannel();
    const publisher = publisherOn(channel);
    const first = settled(publisher.publish([record(1), record(2)]));
    const second = settled(publisher.publish([record(3), record(4)]));
    await tick();
    channel.ack(2, 3);
    expect(await second).toBe("resolved");
    channel.nack(1);
    channel.ack(0);
    expect(await first).toBeInstanceOf(SinkUnavailableError);
  });

  it("retries a batch with a nacked message (not a refusal of the event)", async () => {
    const channel = new FakeChannel();
    const result = settled(publisherOn(channel).publish([record(1), record(2)]));
    await tick();
    channel.ack(0);
    channel.nack(1);
    const error = await result;
    expect(error).toBeInstanceOf(SinkUnavailableError);
    expect(error).not.toBeInstanceOf(SinkRejectedError);
    expect((error as Error).message).toMatch(/nacked 1 of 2/);
  });

  it("turns returned (unroutable) messages into a binding error naming the key and the fix", async () => {
    const channel = new FakeChannel();
    const result = settled(publisherOn(channel).publish([record(1), record(2)]));
    await tick();
    channel.returnMessage(1);
    channel.ack(0, 1);
    const error = await result;
    expect(error).toBeInstanceOf(RabbitmqConfigError);
    expect((error as RabbitmqConfigError).message).toMatch(/returned 1 of 2 events as unroutable.*routing key wiz\.prod\.issues.*312 NO_ROUTE/);
    expect((error as RabbitmqConfigError).fix).toMatch(/Bind a durable queue to exchange wiz.*routing_key="wiz\.\*\.\*".*mandatory: false/);
    expect((error as RabbitmqConfigError).retryAfterMs).toBeGreaterThan(0);
  });

  it("refuses only the event the broker named as too large; the confirmed ones are accepted", async () => {
    const channel = new FakeChannel();
    const big = record(3, 5_000);
    const size = Buffer.byteLength(big.payload, "utf8");
    const result = settled(publisherOn(channel).publish([record(1), record(2), big, record(4)]));
    await tick();
    channel.ack(0);
    channel.closeByServer(406, `PRECONDITION_FAILED - message size ${size} is larger than configured max size 4096`, [0]);
    const error = (await result) as SinkRejectedError;
    expect(error).toBeInstanceOf(SinkRejectedError);
    expect([...error.rejected.keys()]).toEqual(["e3"]);
    expect(error.rejected.get("e3")).toMatch(/larger than configured max size 4096.*raise max_message_size/);
    expect([...(error.accepted ?? [])]).toEqual(["e1"]);
  });

  it("names the fix when the broker closes the channel for a missing exchange or a refused permission", async () => {
    for (const [code, text, fix] of [
      [404, "NOT_FOUND - no exchange 'wiz' in vhost '/'", /Create exchange wiz/],
      [403, "ACCESS_REFUSED - access to exchange 'wiz' refused", /write permission/],
    ] as const) {
      const channel = new FakeChannel();
      const result = settled(publisherOn(channel).publish([record(1)]));
      await tick();
      channel.closeByServer(code, text, []);
      const error = await result;
      expect(error).toBeInstanceOf(RabbitmqConfigError);
      expect((error as RabbitmqConfigError).fix).toMatch(fix);
    }
  });

  it("retries when the channel closes before the confirms, and when publishing on a closed channel", async () => {
    const channel = new FakeChannel();
    const publisher = publisherOn(channel);
    const result = settled(publisher.publish([record(1), record(2)]));
    await tick();
    channel.closeByServer(320, "CONNECTION_FORCED - broker forced connection closure with reason 'shutdown'", []);
    const error = await result;
    expect(error).toBeInstanceOf(SinkUnavailableError);
    expect((error as Error).message).toMatch(/channel closed before every message was confirmed.*CONNECTION_FORCED/);
    expect(await settled(publisher.publish([record(3)]))).toBeInstanceOf(SinkUnavailableError);
  });

  it("fails a batch whose confirms do not come within the timeout, and ignores them when they come late", async () => {
    const channel = new FakeChannel();
    const result = settled(publisherOn(channel, 100).publish([record(1), record(2)]));
    await tick();
    channel.ack(0);
    const error = await result;
    expect(error).toBeInstanceOf(SinkUnavailableError);
    expect((error as Error).message).toMatch(/confirmed 1 of 2 messages within 100 ms/);
    channel.ack(1);
  });
});
