import { defineSinkType } from "../sink-type.js";
import { describePostgres, postgresSinkSchema, type PostgresSinkSettings } from "./postgres-settings.js";
import { PostgresSink } from "./postgres.sink.js";

export { postgresSinkSchema, type PostgresSinkSettings } from "./postgres-settings.js";

export const postgresSinkType = defineSinkType<PostgresSinkSettings>({
  type: "postgres",
  schema: postgresSinkSchema,
  create: (id, settings, context) => new PostgresSink(id, settings, context),
  describe: describePostgres,
});
