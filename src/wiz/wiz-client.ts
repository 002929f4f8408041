import { rootCertificates } from "node:tls";
import { Agent, ProxyAgent, type Dispatcher } from "undici";
import type { z } from "zod";
import type { ConnectionSettingsInput, ResolvedConnectionSettings } from "./connection-settings.js";
import { createOperationContext } from "./operations/operation-context.js";
import { operationId, type OperationDefinition } from "./operations/operation-definition.js";
import { parseOperationInput } from "./operations/operation-input.js";
import { findOperation, OPERATIONS, RESOURCES, type OperationName, type OperationOf, type RegisteredOperation, type ResourceName } from "./operations/registry.js";
import { operationNodes, operationPages, runOperation } from "./operations/run-operation.js";
import type { Page, RelayConnection } from "./paginate.js";
import { dispatcherOptions } from "./transport.js";
import { WizClientCore, type WizClientCoreOptions } from "./wiz-client-core.js";
import { WizInputError } from "./wiz-errors.js";

export interface CallOptions {
  signal?: AbortSignal;
}

/** What an operation takes (before defaults) and returns. */
export type OperationInput<D extends RegisteredOperation> = z.input<D["input"]>;
export type OperationOutput<D extends RegisteredOperation> = ReturnType<D["output"]>;
/** The record type of a list operation's pages. */
export type OperationNode<D> = D extends { paginated: { connection(data: unknown): infer C } } ? (NonNullable<C> extends RelayConnection<infer N> ? N : never) : never;

// Input may be left out when every field of it is optional.
type InputArgs<D extends RegisteredOperation> =
  Partial<OperationInput<D>> extends OperationInput<D> ? [input?: OperationInput<D>, options?: CallOptions] : [input: OperationInput<D>, options?: CallOptions];

type OperationsOf<R extends ResourceName> = Extract<RegisteredOperation, { resource: R }>;
type ListOperationsOf<R extends ResourceName> = Extract<OperationsOf<R>, { paginated: object }>;

/**
 * `client.<resource>`: one method per operation returning its result (the first page for lists), and for
 * each list `<name>All` (every record, one page in memory) and `<name>Pages` (every page).
 */
export type ResourceClient<R extends ResourceName> = {
  readonly [D in OperationsOf<R> as D["name"]]: (...args: InputArgs<D>) => Promise<OperationOutput<D>>;
} & {
  readonly [D in ListOperationsOf<R> as `${D["name"]}All`]: (...args: InputArgs<D>) => AsyncGenerator<OperationNode<D>, void, undefined>;
} & {
  readonly [D in ListOperationsOf<R> as `${D["name"]}Pages`]: (...args: InputArgs<D>) => AsyncIterable<Page<OperationNode<D>>>;
};

export type ResourceClients = { readonly [R in ResourceName]: ResourceClient<R> };

/** Options used when the client builds its own core; `dispatcher` also carries the upload PUT. */
export type WizClientOptions = Omit<WizClientCoreOptions, "settings">;

/**
 * The typed Wiz SDK: `new WizClient(settings).issue.list({...})`. Every method is derived from the
 * operation registry, and `run(resource, name, input)` serves the CLI, MCP and HTTP surfaces. Input is
 * validated before any request; bad input throws WizInputError naming the field.
 */
class WizClientImpl {
  readonly core: WizClientCore;
  private readonly ownsCore: boolean;
  private readonly options: WizClientOptions;
  /** Created on the first upload; the Wiz API traffic goes through the core's own transport. */
  private uploadDispatcher: Dispatcher | undefined;

  constructor(settingsOrCore: WizClientCore | ConnectionSettingsInput | ResolvedConnectionSettings, options: WizClientOptions = {}) {
    this.ownsCore = !(settingsOrCore instanceof WizClientCore);
    this.core = settingsOrCore instanceof WizClientCore ? settingsOrCore : new WizClientCore({ ...options, settings: settingsOrCore });
    this.options = options;
    for (const resource of RESOURCES) {
      Object.defineProperty(this, resource, { value: this.resourceClient(resource), enumerable: true });
    }
  }

  /** Runs one operation: its result, or the first page of a list. */
  run<R extends ResourceName, N extends OperationName<R>>(
    resource: R,
    name: N,
    input?: OperationInput<OperationOf<R, N>>,
    options?: CallOptions,
  ): Promise<OperationOutput<OperationOf<R, N>>>;
  run(resource: string, name: string, input?: unknown, options?: CallOptions): Promise<unknown>;
  async run(resource: string, name: string, input?: unknown, options: CallOptions = {}): Promise<unknown> {
    const definition = this.definition(resource, name);
    const parsed: unknown = parseOperationInput(definition, input);
    return runOperation(definition, parsed, this.context(options));
  }

  /** Every record of a list operation, one page in memory at a time. Input is checked on the call, not on the first `next()`. */
  iterate<R extends ResourceName, N extends OperationName<R>>(
    resource: R,
    name: N,
    input?: OperationInput<OperationOf<R, N>>,
    options?: CallOptions,
  ): AsyncGenerator<OperationNode<OperationOf<R, N>>, void, undefined>;
  iterate(resource: string, name: string, input?: unknown, options?: CallOptions): AsyncGenerator<unknown, void, undefined>;
  iterate(resource: string, name: string, input?: unknown, options: CallOptions = {}): AsyncGenerator<unknown, void, undefined> {
    return operationNodes(this.pages(resource, name, input, options));
  }

  /** Every page of a list operation (for progress lines and checkpoints); the input's `first` is the page size. */
  pages<R extends ResourceName, N extends OperationName<R>>(
    resource: R,
    name: N,
    input?: OperationInput<OperationOf<R, N>>,
    options?: CallOptions,
  ): AsyncIterable<Page<OperationNode<OperationOf<R, N>>>>;
  pages(resource: string, name: string, input?: unknown, options?: CallOptions): AsyncIterable<Page<unknown>>;
  pages(resource: string, name: string, input?: unknown, options: CallOptions = {}): AsyncIterable<Page<unknown>> {
    const definition = this.definition(resource, name);
    const parsed: unknown = parseOperationInput(definition, input);
    return operationPages(definition, parsed, this.context(options));
  }

  /** Closes the connection pools this client opened (a core passed in belongs to the caller). */
  async close(): Promise<void> {
    const own = this.uploadDispatcher;
    this.uploadDispatcher = undefined;
    await Promise.all([own?.close(), this.ownsCore ? this.core.close() : undefined]);
  }

  private definition(resource: string, name: string): OperationDefinition {
    const found: OperationDefinition | undefined = findOperation(resource, name);
    if (!found) {
      throw new WizInputError(
        {
          what: `There is no Wiz operation ${resource}.${name}.`,
          cause: "a misspelt resource or operation name.",
          fix: `use one of ${OPERATIONS.map(operationId).join(", ")}; nothing was sent to Wiz.`,
        },
        { code: "UNKNOWN_OPERATION", operationName: `${resource}.${name}`, mayHaveExecuted: false },
      );
    }
    return found;
  }

  private context(options: CallOptions) {
    return createOperationContext(this.core, () => this.dispatcher(), options.signal);
  }

  private dispatcher(): Dispatcher {
    if (this.options.dispatcher) return this.options.dispatcher;
    this.uploadDispatcher ??= uploadDispatcherFor(this.core.settings);
    return this.uploadDispatcher;
  }

  private resourceClient(resource: ResourceName): object {
    const methods: Record<string, unknown> = {};
    for (const operation of OPERATIONS) {
      if (operation.resource !== resource) continue;
      const { name } = operation;
      methods[name] = (input?: unknown, options?: CallOptions) => this.run(resource, name, input, options);
      if (operation.paginated) {
        methods[`${name}All`] = (input?: unknown, options?: CallOptions) => this.iterate(resource, name, input, options);
        methods[`${name}Pages`] = (input?: unknown, options?: CallOptions) => this.pages(resource, name, input, options);
      }
    }
    return Object.freeze(methods);
  }
}

/** The upload PUT goes to S3, not Wiz: same proxy, CA and timeouts as the API, its own pool. */
function uploadDispatcherFor(settings: ResolvedConnectionSettings): Dispatcher {
  const base = dispatcherOptions(settings);
  if (!settings.proxyUrl) return new Agent(base);
  const tls = settings.ca ? { ca: [...rootCertificates, settings.ca] } : undefined;
  return new ProxyAgent({ ...base, uri: settings.proxyUrl, ...(tls ? { requestTls: tls, proxyTls: tls } : {}) });
}

export type WizClient = WizClientImpl & ResourceClients;

// The resource properties are added from the registry at construction, which a class declaration cannot
// express; this constructor type states them, so `new WizClient(settings).issue.list` is typed.
export const WizClient = WizClientImpl as unknown as new (
  settingsOrCore: WizClientCore | ConnectionSettingsInput | ResolvedConnectionSettings,
  options?: WizClientOptions,
) => WizClient;
