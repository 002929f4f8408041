import amqp, { type ConsumeMessage } from "amqplib";
import type { Logger } from "pino";
import { rabbitmqSinkSchema } from "../../src/sinks/rabbitmq/rabbitmq.sink-type.js";
import { RabbitmqSink } from "../../src/sinks/rabbitmq/rabbitmq.sink.js";
import type { SinkBenchCase } from "./sink-bench-case.js";
import { tcpPortOpen } from "../tcp-port-open.js";

/** The local broker the bench writes to (BENCH_RABBITMQ_URL to point elsewhere). */
const URL_ = process.env.BENCH_RABBITMQ_URL ?? "amqp://guest:guest@127.0.0.1:5672/";

/**
 * RabbitMQ on the local broker: an exchange and a durable classic queue of its own (bound with #),
 * deleted at the end; publisher confirms on. delivered() drains the queue into a set of message ids, so
 * it counts distinct events (a retried batch may have enqueued some twice).
 */
export const rabbitmqSinkBench: SinkBenchCase = {
  name: "rabbitmq (real local broker, durable queue, publisher confirms)",

  async unavailable() {
    const url = new URL(URL_);
    const open = await tcpPortOpen(Number(url.port || 5672), url.hostname);
    return open ? undefined : `no RabbitMQ broker at ${url.host} (start rabbitmq-server)`;
  },

  async start(logger: Logger) {
    const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
    const exchange = `wizbridge.bench.${run}`;
    const queue = `wizbridge.bench.${run}`;
    const sink = new RabbitmqSink("bench-rabbitmq", rabbitmqSinkSchema.parse({ type: "rabbitmq", url: URL_, exchange: { name: exchange, declare: true } }), { logger, baseDir: process.cwd(), now: Date.now });
    await sink.setup();
    const model = await amqp.connect(URL_);
    const channel = await model.createChannel();
    await channel.assertQueue(queue, { durable: true });
    await channel.bindQueue(queue, exchange, "#");
    const seen = new Set<string>();
    return {
      sink,
      async delivered() {
        let left = (await channel.checkQueue(queue)).messageCount;
        if (left === 0) return seen.size;
        await channel.prefetch(2_000);
        await new Promise<void>((resolve, reject) => {
          channel
            .consume(queue, (message: ConsumeMessage | null) => {
              if (!message) return;
              seen.add(String(message.properties.messageId));
              channel.ack(message);
              left -= 1;
              if (left === 0) {
                channel.cancel(message.fields.consumerTag).then(() => resolve(), reject);
              }
            })
            .catch(reject);
        });
        return seen.size;
      },
      async stop() {
        await sink.close();
        await channel.deleteQueue(queue).catch(() => undefined);
        await channel.deleteExchange(exchange).catch(() => undefined);
        await model.close();
      },
    };
  },
};
