import { defineSinkType } from "../sink-type.js";
import { exchangeOf, RABBITMQ_DEFAULTS, rabbitmqSinkSchema, redactedUrl, type RabbitmqSinkSettings } from "./rabbitmq-settings.js";
import { RabbitmqSink } from "./rabbitmq.sink.js";

export { rabbitmqSinkSchema, type RabbitmqSinkSettings } from "./rabbitmq-settings.js";

export const rabbitmqSinkType = defineSinkType<RabbitmqSinkSettings>({
  type: "rabbitmq",
  schema: rabbitmqSinkSchema,
  create: (id, settings, context) => new RabbitmqSink(id, settings, context),
  describe: (id, s) => {
    const exchange = exchangeOf(s);
    return `${id}: RabbitMQ at ${redactedUrl(s.url)} (exchange ${exchange.name}, ${exchange.type}, routing key ${s.routingKey ?? RABBITMQ_DEFAULTS.routingKey})`;
  },
});
