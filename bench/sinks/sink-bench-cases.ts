import type { SinkBenchCase } from "./sink-bench-case.js";
import { jsonlSinkBench } from "./jsonl.sink-bench.js";
import { webhookSinkBench } from "./webhook.sink-bench.js";
import { splunkHecSinkBench } from "./splunk-hec.sink-bench.js";
import { elasticsearchSinkBench } from "./elasticsearch.sink-bench.js";
import { kafkaSinkBench } from "./kafka.sink-bench.js";
import { natsSinkBench } from "./nats.sink-bench.js";
import { rabbitmqSinkBench } from "./rabbitmq.sink-bench.js";
import { syslogSinkBench } from "./syslog.sink-bench.js";
import { postgresSinkBench } from "./postgres.sink-bench.js";

/** The sinks `npm run bench:sinks` measures, in report order. */
export const SINK_BENCH_CASES: readonly SinkBenchCase[] = [jsonlSinkBench, webhookSinkBench, splunkHecSinkBench, elasticsearchSinkBench, kafkaSinkBench, natsSinkBench, rabbitmqSinkBench, syslogSinkBench, postgresSinkBench];
