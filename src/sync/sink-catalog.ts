import { isAbsolute, resolve } from "node:path";
import { describeSink, exclusiveSinkResource } from "../sinks/sink-registry.js";
import { ManagedSinkRepository } from "../store/managed-sink.repository.js";
import { credentialsOf, objectBody, type CatalogDeps } from "./catalog-deps.js";
import { CatalogError, failureOf } from "./catalog-error.js";
import { buildSinkSettings } from "./config-loader.js";
import { deleteOwnerSecrets, readOwnerSecrets, sinkOwner, writeOwnerSecrets } from "./owner-secrets.js";
import { keepOmittedSecrets, maskSecrets, sinkSecretPaths, splitSecrets, withSecrets } from "./secret-fields.js";
import type { SinkConfig } from "./sync-config.js";

/** One sink as the API shows it: never a secret (each shows as `{set: true}`). */
export interface SinkView {
  id: string;
  source: "config" | "api";
  readOnly: boolean;
  type: string;
  /** One line: where it writes (no secrets). */
  target: string;
  /** The settings as the config file would hold them, secrets masked. */
  settings: Record<string, unknown>;
  /** Connectors that feed it. */
  connectors: string[];
  /** Set when a stored sink could not be started (its secret does not open, its settings no longer validate). */
  error?: { message: string; fix?: string };
}

/**
 * The sinks: the config file's (read-only) and those created through the API, stored without their secrets
 * (sealed in the credential store) and started in the engine. Survives restarts through `load()`.
 */
export class SinkCatalog {
  private readonly repo: ManagedSinkRepository;
  private readonly configIds: ReadonlySet<string>;
  /** Stored sinks that did not start, with why. */
  private readonly failed = new Map<string, { message: string; fix?: string }>();

  constructor(private readonly deps: CatalogDeps) {
    this.repo = new ManagedSinkRepository(deps.db);
    this.configIds = new Set(Object.keys(deps.engine.config.sinks));
  }

  /** Starts the stored sinks in the engine; one that fails is reported (and listed with its error), the others run. */
  async load(): Promise<void> {
    for (const entry of await this.repo.list()) {
      try {
        if (this.configIds.has(entry.id)) throw new CatalogError("conflict", `the config file defines a sink "${entry.id}" too; the config file's wins`, { fix: `delete the stored one (DELETE /api/sinks/${entry.id}) or rename the config file's sink.` });
        const secrets = await readOwnerSecrets(credentialsOf(this.deps), sinkOwner(entry.id));
        this.deps.engine.addSink(entry.id, this.validate(entry.id, withSecrets(entry.definition, secrets)));
      } catch (error) {
        const failure = failureOf(error);
        this.failed.set(entry.id, failure);
        this.deps.logger.error({ sink: entry.id, fix: failure.fix }, `the stored sink ${entry.id} did not start: ${failure.message}`);
      }
    }
  }

  sourceOf(id: string): "config" | "api" | undefined {
    if (this.configIds.has(id)) return "config";
    return this.deps.engine.config.sinks[id] !== undefined || this.failed.has(id) ? "api" : undefined;
  }

  /** Every sink id, config ones first. */
  ids(): string[] {
    return [...new Set([...Object.keys(this.deps.engine.config.sinks), ...this.failed.keys()])];
  }

  async view(id: string): Promise<SinkView> {
    const source = this.sourceOf(id);
    if (!source) throw this.notFound(id);
    const running = this.deps.engine.config.sinks[id];
    const connectors = this.deps.engine.feedersOf(id).map((c) => c.id);
    if (source === "config" && running) return { id, source, readOnly: true, type: running.type, target: describeSink(id, running), settings: maskSecrets(running as unknown as Record<string, unknown>, sinkSecretPaths(running.type)), connectors };
    const stored = await this.repo.get(id);
    const definition = stored?.definition ?? {};
    const type = String(definition.type ?? running?.type ?? "unknown");
    const fields = await this.secretFields(id);
    const settings = withSecrets(definition, new Map(fields.map((f) => [f, ""])));
    const failure = this.failed.get(id);
    return {
      id,
      source,
      readOnly: false,
      type,
      target: running ? describeSink(id, running) : `${id}: not running`,
      settings: maskSecrets(settings, sinkSecretPaths(type)),
      connectors,
      ...(failure ? { error: failure } : {}),
    };
  }

  /** POST /api/sinks: `{id, ...settings as in the config file}`. */
  async create(body: unknown): Promise<SinkView> {
    return this.deps.queue.run(async () => {
      const { id, settings } = this.idAndSettings(objectBody(body));
      if (this.sourceOf(id)) throw new CatalogError("conflict", `A sink "${id}" exists already (${this.sourceOf(id) === "config" ? "in the config file" : "created through the API"}); pick another id, or PUT /api/sinks/${id} to change it.`);
      const resolved = this.validate(id, settings);
      this.checkExclusive(id, resolved);
      const { rest, secrets } = splitSecrets(settings, sinkSecretPaths(resolved.type));
      const credentials = credentialsOf(this.deps);
      const now = this.deps.now();
      try {
        this.deps.engine.addSink(id, resolved);
      } catch (error) {
        throw new CatalogError("invalid", `The sink could not be built: ${error instanceof Error ? error.message : String(error)}`, { problems: [{ path: "", message: error instanceof Error ? error.message : String(error) }] });
      }
      try {
        await writeOwnerSecrets(credentials, sinkOwner(id), secrets, now);
        await this.repo.save(id, rest, now);
      } catch (error) {
        await this.deps.engine.removeSink(id);
        throw error;
      }
      return this.view(id);
    });
  }

  /** PUT /api/sinks/:id: full replace of an API sink; a secret left out (or sent back as `{set: true}`) is kept. */
  async replace(id: string, body: unknown): Promise<SinkView> {
    return this.deps.queue.run(async () => {
      this.writable(id);
      const input = objectBody(body);
      if (input.id !== undefined && input.id !== id) throw new CatalogError("invalid", `body.id is "${String(input.id)}" but the URL names "${id}"; a sink cannot be renamed (create a new one).`, { problems: [{ path: "id", message: `must be "${id}" (or left out)` }] });
      const credentials = credentialsOf(this.deps);
      const stored = await this.repo.get(id);
      const storedSecrets = await readOwnerSecrets(credentials, sinkOwner(id)).catch(() => new Map<string, string>());
      const { settings } = this.idAndSettings({ ...input, id });
      const type = typeof settings.type === "string" ? settings.type : "";
      const merged = keepOmittedSecrets(settings, sinkSecretPaths(type), { definition: stored?.definition ?? {}, secrets: storedSecrets });
      const resolved = this.validate(id, merged);
      this.checkExclusive(id, resolved);
      const { rest, secrets } = splitSecrets(merged, sinkSecretPaths(resolved.type));
      try {
        if (this.deps.engine.config.sinks[id]) await this.deps.engine.replaceSink(id, resolved);
        else this.deps.engine.addSink(id, resolved);
      } catch (error) {
        throw new CatalogError("invalid", `The sink could not be built: ${error instanceof Error ? error.message : String(error)}`, { problems: [{ path: "", message: error instanceof Error ? error.message : String(error) }] });
      }
      this.failed.delete(id);
      const now = this.deps.now();
      await writeOwnerSecrets(credentials, sinkOwner(id), secrets, now);
      await this.repo.save(id, rest, now);
      return this.view(id);
    });
  }

  /** DELETE /api/sinks/:id: refused while a connector feeds it. */
  async remove(id: string): Promise<{ deleted: string; credentialsDeleted: number }> {
    return this.deps.queue.run(async () => {
      this.writable(id);
      const feeding = this.deps.engine.feedersOf(id).map((c) => c.id);
      if (feeding.length > 0) throw new CatalogError("conflict", `Sink "${id}" is fed by ${feeding.join(", ")}; remove it from those connectors' sinks (PUT /api/connectors/<id>) first.`);
      if (this.deps.engine.config.sinks[id]) await this.deps.engine.removeSink(id);
      this.failed.delete(id);
      await this.repo.delete(id);
      return { deleted: id, credentialsDeleted: await deleteOwnerSecrets(this.deps.db, sinkOwner(id)) };
    });
  }

  private async secretFields(id: string): Promise<string[]> {
    return this.deps.credentials ? this.deps.credentials.fields(sinkOwner(id)) : [];
  }

  private idAndSettings(body: Record<string, unknown>): { id: string; settings: Record<string, unknown> } {
    const { id, ...settings } = body;
    if (typeof id !== "string" || id === "") throw new CatalogError("invalid", "id: is required: the sink's name (letters, digits, '.', '_' or '-'); connectors name it in their sinks list.", { problems: [{ path: "id", message: "is required (a string)" }] });
    return { id, settings };
  }

  private validate(id: string, settings: Record<string, unknown>): SinkConfig {
    const dataDir = this.deps.dataDir;
    const built = buildSinkSettings(id, settings, (p) => (isAbsolute(p) ? p : resolve(dataDir, p)));
    if ("problems" in built) throw new CatalogError("invalid", `${built.problems[0]?.path || "(settings)"}: ${built.problems[0]?.message ?? "invalid"}`, { problems: built.problems });
    return built.settings;
  }

  /** Two sinks writing one directory interleave and lose rotated files: refused as the config file refuses it. */
  private checkExclusive(id: string, settings: SinkConfig): void {
    const resource = exclusiveSinkResource(settings);
    if (resource === undefined) return;
    for (const [other, spec] of Object.entries(this.deps.engine.config.sinks)) {
      if (other !== id && exclusiveSinkResource(spec) === resource) throw new CatalogError("conflict", `Sink "${other}" writes to ${resource} already; give this sink its own directory, or feed the connectors into "${other}".`);
    }
  }

  private writable(id: string): void {
    const source = this.sourceOf(id);
    if (!source) throw this.notFound(id);
    if (source === "config") throw new CatalogError("read_only", `Sink "${id}" comes from the config file and is read-only here; edit the config file and restart.`);
  }

  private notFound(id: string): CatalogError {
    return new CatalogError("not_found", `No sink "${id}".`, { missing: { kind: "sink", id, known: this.ids() } });
  }
}
