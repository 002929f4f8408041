import { defineSinkType } from "../sink-type.js";
import { KAFKA_DEFAULTS, kafkaSinkSchema, type KafkaSinkSettings } from "./kafka-settings.js";
import { KafkaSink } from "./kafka.sink.js";

export { kafkaSinkSchema, type KafkaSinkSettings } from "./kafka-settings.js";

export const kafkaSinkType = defineSinkType<KafkaSinkSettings>({
  type: "kafka",
  schema: kafkaSinkSchema,
  create: (id, settings, context) => new KafkaSink(id, settings, context),
  // Never the password; the SASL user name is not a secret and helps spot a wrong account.
  describe: (id, s) => {
    const traits = [
      "acks=all",
      "idempotent",
      ...(s.compression && s.compression !== "none" ? [s.compression] : []),
      ...(s.tls ? ["TLS"] : []),
      ...(s.sasl ? [`SASL ${s.sasl.mechanism.toUpperCase()}`] : []),
    ];
    return `${id}: Kafka at ${s.brokers.join(",")} (topic ${s.topic ?? KAFKA_DEFAULTS.topic}, ${traits.join(", ")})`;
  },
});
