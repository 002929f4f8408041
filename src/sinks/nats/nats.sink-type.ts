import { defineSinkType } from "../sink-type.js";
import { NATS_DEFAULTS, natsServers, natsSinkSchema, type NatsSinkSettings } from "./nats-settings.js";
import { NatsSink } from "./nats.sink.js";

export { natsSinkSchema, type NatsSinkSettings } from "./nats-settings.js";

export const natsSinkType = defineSinkType<NatsSinkSettings>({
  type: "nats",
  schema: natsSinkSchema,
  create: (id, settings, context) => new NatsSink(id, settings, context),
  describe: (id, s) => `${id}: NATS JetStream at ${natsServers(s).join(", ")} (stream ${s.stream ?? NATS_DEFAULTS.stream}, subject ${s.subject ?? NATS_DEFAULTS.subject})`,
  resolvePaths: (s, at) => ({
    ...s,
    ...(s.credsFile !== undefined ? { credsFile: at(s.credsFile) } : {}),
    ...(s.nkeySeedFile !== undefined ? { nkeySeedFile: at(s.nkeySeedFile) } : {}),
  }),
});
