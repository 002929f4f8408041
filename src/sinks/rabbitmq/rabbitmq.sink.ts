import amqp, { type ChannelModel, type ConfirmChannel } from "amqplib";
import { SinkUnavailableError, type Sink, type SinkRecord, type SinkTestStep } from "../sink.js";
import type { SinkContext } from "../sink-context.js";
import { sinkTestRecord, tlsConnectionOptions } from "../sink-settings.js";
import { ConfirmPublisher } from "./confirm-publisher.js";
import { AMQP, explainConnectError, RabbitmqConfigError, redactSecrets, type RabbitmqProblem } from "./rabbitmq-errors.js";
import { exchangeOf, RABBITMQ_DEFAULTS, redactedUrl, urlSecrets, type ExchangeSettings, type RabbitmqSinkSettings } from "./rabbitmq-settings.js";
import { compileRoutingKeyTemplate, type RoutingKeyTemplate } from "./routing-key.js";

/** Reconnect backoff after a failed connect: writes within it fail at once instead of dialling again. */
const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 30_000;

/** One connection, its confirm channel and the publisher on it; dropped as a whole when either closes. */
interface Link {
  model: ChannelModel;
  channel: ConfirmChannel;
  publisher: ConfirmPublisher;
  broken: boolean;
  /** The broker's reason while it blocks publishers (a memory or disk alarm). */
  blocked: string | undefined;
  serverVersion: string;
}

/** How to open a connection: amqplib's connect, replaceable in tests. */
export type AmqpConnect = (url: string, socketOptions: Record<string, unknown>) => Promise<ChannelModel>;

/**
 * RabbitMQ over AMQP 0-9-1 with publisher confirms. At-least-once: every event is published persistent
 * (`messageId` = event id) on a confirm channel, and `write` resolves only when the broker confirmed
 * every message of the batch, i.e. each was routed to its queues and, for durable queues, written to
 * disk (quorum queues: to a majority). A nack, a lost connection or a channel closed before the last
 * confirm fails the batch, which the outbox writes again whole; messages that were already enqueued are
 * then enqueued twice, so consumers should deduplicate on `messageId` when duplicates matter. With
 * `mandatory` (default) an event no queue is bound for comes back and fails the batch with the binding
 * fix instead of silently vanishing.
 *
 * After the connection or the channel closes, the next write reconnects; while connecting fails, writes
 * within the backoff (0.5 s doubling to 30 s) fail at once, so the events wait in the outbox.
 */
export class RabbitmqSink implements Sink {
  readonly guarantee = "at-least-once" as const;
  private readonly keys: RoutingKeyTemplate;
  private readonly exchange: ExchangeSettings;
  private readonly where: string;
  private readonly secrets: string[];
  private link: Link | undefined;
  private linking: Promise<Link> | undefined;
  private failures = 0;
  private retryAt = 0;
  private lastFailure: Error | undefined;
  private closed = false;

  constructor(
    readonly id: string,
    private readonly settings: RabbitmqSinkSettings,
    private readonly context: SinkContext,
    private readonly amqpConnect: AmqpConnect = (url, options) => amqp.connect(url, options),
  ) {
    this.keys = compileRoutingKeyTemplate(settings.routingKey ?? RABBITMQ_DEFAULTS.routingKey);
    this.exchange = exchangeOf(settings);
    this.where = redactedUrl(settings.url);
    this.secrets = urlSecrets(settings.url);
  }

  async write(batch: readonly SinkRecord[]): Promise<void> {
    if (batch.length === 0) return;
    const link = await this.open();
    await link.publisher.publish(batch);
  }

  /** Declares the exchange (durable, of the configured type). */
  async setup(): Promise<string[]> {
    const link = await this.open(false);
    const { name, type } = this.exchange;
    try {
      await this.declareExchange(link.model);
    } catch (error) {
      const problem = this.explainChannelError(error);
      throw new RabbitmqConfigError(problem.message, problem.fix);
    }
    return [`declared exchange ${name} (${type}, durable); bind a durable queue to it with routing key pattern ${this.keys.bindingPattern} (or # for everything) to receive the events`];
  }

  async selfTest(): Promise<SinkTestStep[]> {
    const steps: SinkTestStep[] = [];
    let link: Link;
    try {
      link = await this.open(false, true);
      steps.push({ step: "connect", ok: true, detail: `connected to ${this.where} (RabbitMQ ${link.serverVersion}, ${this.settings.url.startsWith("amqps:") ? "TLS" : "no TLS"})` });
    } catch (error) {
      const problem = error instanceof RabbitmqConfigError ? { message: error.reason, fix: error.fix } : this.explainConnect(error instanceof SinkUnavailableError && error.cause !== undefined ? error.cause : error);
      steps.push({ step: "connect", ok: false, detail: this.redact(problem.message), fix: problem.fix });
      return steps;
    }

    const { name, type } = this.exchange;
    try {
      await this.checkExchange(link.model);
      steps.push({ step: "exchange", ok: true, detail: `exchange ${name} exists${this.exchange.declare ? ` (declared as ${type}, durable)` : ""}` });
    } catch (error) {
      const problem = error instanceof RabbitmqConfigError ? { message: error.reason, fix: error.fix } : this.explainChannelError(error);
      steps.push({ step: "exchange", ok: false, detail: this.redact(problem.message), fix: problem.fix });
      return steps;
    }

    const record = sinkTestRecord(this.id, this.context.now());
    const key = this.keys.keyOf(record.connectorId, record.stream);
    try {
      await this.write([record]);
      const mandatory = this.settings.mandatory ?? RABBITMQ_DEFAULTS.mandatory;
      steps.push({ step: "publish test event", ok: true, detail: `RabbitMQ confirmed the marked test event ${record.eventId} (routing key ${key}${mandatory ? ", routed to at least one queue" : ", mandatory off: not checked that a queue took it"})` });
    } catch (error) {
      steps.push({
        step: "publish test event",
        ok: false,
        detail: this.redact(error instanceof RabbitmqConfigError ? error.reason : error instanceof Error ? error.message : String(error)),
        fix: error instanceof RabbitmqConfigError ? error.fix : "Check the broker's alarms (rabbitmqctl status: memory or disk alarm blocks publishers) and queue limits.",
      });
    }
    return steps;
  }

  async close(): Promise<void> {
    this.closed = true;
    const link = this.link ?? (await this.linking?.catch(() => undefined));
    this.link = undefined;
    if (!link) return;
    link.broken = true;
    link.publisher.failAll(new SinkUnavailableError(`sink ${this.id} is closing; the batch stays in the outbox.`));
    await link.model.close().catch(() => undefined);
  }

  /** The live link; connects when there is none, unless the last attempt failed within the backoff. */
  private open(declare = true, now = false): Promise<Link> {
    if (this.closed) return Promise.reject(new Error(`sink ${this.id} is closed.`));
    const link = this.link;
    if (link && !link.broken) {
      if (link.blocked !== undefined) return Promise.reject(new SinkUnavailableError(`RabbitMQ at ${this.where} is blocking publishers (${link.blocked}); the batch stays in the outbox until it unblocks.`));
      return Promise.resolve(link);
    }
    if (this.linking) return this.linking;
    const wait = this.retryAt - this.context.now();
    if (wait > 0 && !now) {
      const last = this.lastFailure;
      if (last instanceof RabbitmqConfigError) return Promise.reject(last);
      return Promise.reject(new SinkUnavailableError(`RabbitMQ at ${this.where} is unavailable (${last ? this.redact(last.message) : "connection lost"}); next connection attempt in ${Math.ceil(wait / 1000)} s, the batch stays in the outbox.`, { retryAfterMs: wait }));
    }
    this.linking = this.connect(declare).then(
      (connected) => {
        this.failures = 0;
        this.retryAt = 0;
        this.lastFailure = undefined;
        this.linking = undefined;
        return connected;
      },
      (error: unknown) => {
        this.failures += 1;
        this.retryAt = this.context.now() + Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** Math.min(10, this.failures - 1));
        this.lastFailure = error instanceof Error ? error : new Error(String(error));
        this.linking = undefined;
        throw error;
      },
    );
    return this.linking;
  }

  private async connect(declare: boolean): Promise<Link> {
    const { logger, baseDir } = this.context;
    const url = new URL(this.settings.url);
    if (!url.searchParams.has("heartbeat")) url.searchParams.set("heartbeat", String(this.settings.heartbeatSeconds ?? RABBITMQ_DEFAULTS.heartbeatSeconds));
    const tls = url.protocol === "amqps:" ? tlsConnectionOptions(this.id, this.settings.tls ?? {}, logger, baseDir) : undefined;
    let model: ChannelModel;
    try {
      model = await this.amqpConnect(url.toString(), {
        ...tls,
        timeout: this.settings.connectTimeoutMs ?? RABBITMQ_DEFAULTS.connectTimeoutMs,
        noDelay: true,
        keepAlive: true,
        clientProperties: { connection_name: `wizbridge sink ${this.id}` },
      });
    } catch (error) {
      const problem = this.explainConnect(error);
      // amqplib's error never carries the URL; it stays as the cause of a network problem only.
      throw problem.config ? new RabbitmqConfigError(problem.message, problem.fix) : new SinkUnavailableError(`${problem.message} ${problem.fix}`, { cause: error });
    }
    try {
      if (declare && this.exchange.declare) await this.declareExchange(model);
      else if (declare) await this.checkExchange(model);
      const channel = await model.createConfirmChannel();
      const serverVersion = String((model.connection.serverProperties as { version?: unknown }).version ?? "?");
      const link: Link = {
        model,
        channel,
        publisher: new ConfirmPublisher(channel, {
          sinkId: this.id,
          exchange: this.exchange.name,
          keys: this.keys,
          mandatory: this.settings.mandatory ?? RABBITMQ_DEFAULTS.mandatory,
          confirmTimeoutMs: this.settings.confirmTimeoutMs ?? RABBITMQ_DEFAULTS.confirmTimeoutMs,
          redact: (text) => this.redact(text),
        }),
        broken: false,
        blocked: undefined,
        serverVersion,
      };
      this.watch(link);
      if (this.closed) {
        await model.close().catch(() => undefined);
        throw new Error(`sink ${this.id} is closed.`);
      }
      this.link = link;
      logger.info({ sink: this.id, broker: this.where, exchange: this.exchange.name }, "connected to RabbitMQ");
      return link;
    } catch (error) {
      await model.close().catch(() => undefined);
      if (error instanceof SinkUnavailableError || (error instanceof Error && error.message.endsWith("is closed."))) throw error;
      const problem = this.explainChannelError(error);
      throw problem.config ? new RabbitmqConfigError(problem.message, problem.fix) : new SinkUnavailableError(`${problem.message} ${problem.fix}`);
    }
  }

  /** A lost connection or channel fails the batches waiting for confirms and makes the next write reconnect. */
  private watch(link: Link): void {
    const { logger } = this.context;
    const drop = (why: string, error?: Error): void => {
      if (link.broken) return;
      link.broken = true;
      if (this.link === link) this.link = undefined;
      const said = error ? this.redact(error.message) : why;
      link.publisher.failAll(new SinkUnavailableError(`lost the RabbitMQ ${why} (${said}) before every message was confirmed; the batch stays in the outbox and is retried.`));
      if (!this.closed) logger.warn({ sink: this.id, broker: this.where, error: said }, `RabbitMQ ${why} lost; the next write reconnects`);
      void link.model.close().catch(() => undefined);
    };
    let connectionError: Error | undefined;
    link.model.on("error", (error: Error) => {
      connectionError = error;
    });
    link.model.on("close", () => drop("connection", connectionError));
    link.model.on("blocked", (reason: string) => {
      link.blocked = reason;
      logger.warn({ sink: this.id, reason }, "RabbitMQ blocks publishers (resource alarm); writes fail until it unblocks");
    });
    link.model.on("unblocked", () => {
      link.blocked = undefined;
      logger.info({ sink: this.id }, "RabbitMQ unblocked publishers");
    });
    // The publisher already keeps the channel's error; the listener only stops it being an unhandled 'error'.
    link.channel.on("error", () => undefined);
    // The publisher's listeners ran first: its batches already have their verdict (a size refusal, a missing exchange).
    link.channel.on("close", () => drop("channel", link.publisher.failure));
  }

  /** Asserts the exchange durable, on a channel of its own (a refusal closes the channel it happened on). */
  private async declareExchange(model: ChannelModel): Promise<void> {
    const channel = await model.createChannel();
    // A refusal arrives as the rejected call; the listener only stops it being an unhandled 'error' too.
    channel.on("error", () => undefined);
    await channel.assertExchange(this.exchange.name, this.exchange.type, { durable: true });
    await channel.close().catch(() => undefined);
  }

  private async checkExchange(model: ChannelModel): Promise<void> {
    const channel = await model.createChannel();
    channel.on("error", () => undefined);
    try {
      await channel.checkExchange(this.exchange.name);
    } catch (error) {
      const problem = this.explainChannelError(error);
      throw new RabbitmqConfigError(problem.message, problem.fix);
    }
    await channel.close().catch(() => undefined);
  }

  private explainConnect(error: unknown): RabbitmqProblem {
    const said = this.redact(error instanceof Error ? error.message : String(error));
    const code = String((error as { code?: unknown } | undefined)?.code ?? "");
    return explainConnectError(said, code, this.where);
  }

  private explainChannelError(error: unknown): RabbitmqProblem {
    const said = this.redact(error instanceof Error ? error.message : String(error));
    const code = (error as { code?: unknown } | undefined)?.code;
    const { name, type } = this.exchange;
    if (code === AMQP.notFound || /NOT_FOUND/.test(said)) {
      return { message: `exchange ${name} does not exist (${said}).`, fix: `Set exchange.declare: true (the sink declares it durable, type ${type}) or run \`wizbridge sink setup ${this.id}\`, or create it: rabbitmqadmin declare exchange name=${name} type=${type} durable=true.`, config: true };
    }
    if (code === AMQP.accessRefused || /ACCESS_REFUSED/.test(said)) {
      return { message: `RabbitMQ refused access to exchange ${name} (${said}).`, fix: "Grant the user configure (to declare) and write permission on the exchange in this vhost: rabbitmqctl set_permissions -p <vhost> <user> <configure> <write> <read>.", config: true };
    }
    if (code === AMQP.preconditionFailed || /PRECONDITION_FAILED/.test(said)) {
      return { message: `exchange ${name} exists with other settings (${said}).`, fix: `Set exchange.type to the existing exchange's type (and leave declare off), or delete and re-declare the exchange as ${type}, durable.`, config: true };
    }
    return { message: `a RabbitMQ channel operation failed (${said}).`, fix: "Check the broker's log and alarms (rabbitmqctl status).", config: false };
  }

  /** Scrubs the password, leaving the already redacted broker address alone (a password "guest" must not hide the user "guest"). */
  private redact(text: string): string {
    return text
      .split(this.where)
      .map((part) => redactSecrets(part, this.secrets))
      .join(this.where);
  }
}
