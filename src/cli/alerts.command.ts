import { resolve } from "node:path";
import type { Writable } from "node:stream";
import { InvalidArgumentError, type Command } from "commander";
import { RUNTIME_ALERT_STATES, RUNTIME_SOURCES } from "../model/runtime-alert.js";
import { DeliveryRepository, type AlertStatus } from "../runtime/fold/delivery.repository.js";
import { openStore } from "../store/store-database.js";
import { EXIT_CODES } from "./exit-codes.js";
import { counted } from "../sync/connector-status.js";

export interface AlertsCommandOptions {
  dataDir: string;
  store?: string;
  json: boolean;
  state?: string;
  source?: string;
  limit: number;
}

export interface AlertsIo {
  out: Writable;
  err: Writable;
}

function stateOption(value: string): string {
  if (!(RUNTIME_ALERT_STATES as readonly string[]).includes(value)) throw new InvalidArgumentError(`unknown state "${value}"; states are ${RUNTIME_ALERT_STATES.join(", ")}.`);
  return value;
}

function sourceOption(value: string): string {
  if (!(RUNTIME_SOURCES as readonly string[]).includes(value)) throw new InvalidArgumentError(`unknown source "${value}"; sources are ${RUNTIME_SOURCES.join(", ")}.`);
  return value;
}

function limitOption(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new InvalidArgumentError("must be a whole number from 1 to 100000.");
  return n;
}

async function withRepository<T>(opts: AlertsCommandOptions, run: (repo: DeliveryRepository) => Promise<T>): Promise<T> {
  const store = await openStore(opts.store ? resolve(opts.store) : resolve(opts.dataDir, "wizbridge.db"));
  try {
    return await run(new DeliveryRepository(store.db));
  } finally {
    await store.close();
  }
}

/** `wizbridge alerts list [--state S] [--source S]`: newest first, one line each, with the state's reason. */
export async function runAlertsList(opts: AlertsCommandOptions, io: AlertsIo): Promise<number> {
  const { alerts, counts } = await withRepository(opts, async (repo) => ({
    alerts: await repo.listAlerts({ ...(opts.state ? { state: opts.state } : {}), ...(opts.source ? { source: opts.source } : {}), limit: opts.limit }),
    counts: await repo.countByState(),
  }));
  if (opts.json) {
    for (const a of alerts) io.out.write(`${JSON.stringify(a)}\n`);
    return EXIT_CODES.ok;
  }
  io.out.write(`${Object.entries(counts).map(([s, n]) => `${s} ${n}`).join(", ") || "no alerts stored"}\n`);
  for (const a of alerts) io.out.write(`${a.id}  ${a.receivedAt}  ${a.source.padEnd(13)} ${a.severity.padEnd(13)} ${a.state.padEnd(13)} ${a.ruleId}${a.stateDetail ? `\n    ${a.stateDetail}` : ""}\n`);
  return EXIT_CODES.ok;
}

function describeStatus(s: AlertStatus): string {
  const lines = [`${s.id}: ${s.state}${s.stateDetail ? ` (${s.stateDetail})` : ""}`, `  ${s.sensor} (${s.source}) rule ${s.rule}, ${s.severity}: ${s.title}`, `  occurred ${s.occurredAt}, received ${s.receivedAt}`];
  if (s.resolution) {
    lines.push(`  resolution: ${s.resolution.rung ? `${s.resolution.rung} -> ${s.resolution.providerId}` : "unresolved"} (${counted(s.resolution.attempts, "attempt")})`);
    for (const t of s.resolution.tried) lines.push(`    tried ${t}`);
    if (s.resolution.refused.length > 0) lines.push(`    refused by Wiz: ${s.resolution.refused.join(", ")}`);
  }
  if (s.event) {
    const e = s.event;
    lines.push(`  event ${e.id} (${e.state}) in data source ${e.dataSourceId}: ${counted(e.count, "time")}, ${e.firstSeen} .. ${e.lastSeen}`);
    lines.push(`    resource ${e.resource.providerId} (${e.resource.cloudPlatform}, graph id ${e.resource.graphId}) via ${e.rung}${e.exact ? "" : " (fallback)"}: ${e.matchedBy}`);
    if (e.systemActivityId) lines.push(`    system activity ${e.systemActivityId}`);
    if (e.issue) lines.push(`    issue ${e.issue.id} ${e.issue.url ?? ""}, note ${e.issue.noteId ?? "-"}`);
    if (e.lastError) lines.push(`    last error: ${e.lastError}`);
  }
  if (s.upload) lines.push(`  last upload #${s.upload.id} (attempt ${s.upload.attempt}): ${s.upload.state}${s.upload.status ? `, ${s.upload.status}` : ""}${s.upload.eventsIncoming !== null ? `, events ${s.upload.eventsHandled}/${s.upload.eventsIncoming} handled` : ""}${s.upload.error ? `; ${s.upload.error}` : ""}`);
  return `${lines.join("\n")}\n`;
}

/** `wizbridge alerts show <id>`: the alert's state and everything behind it. Exit 7 for an unknown id. */
export async function runAlertsShow(id: string, opts: AlertsCommandOptions, io: AlertsIo): Promise<number> {
  const status = await withRepository(opts, (repo) => repo.alertStatus(id));
  if (!status) {
    io.err.write(`wizbridge: no runtime alert or event has the id ${id}. Likely cause: a typo, or another data directory. List ids with \`wizbridge alerts list\` (--data-dir/--store pick the store).\n`);
    return EXIT_CODES.notFound;
  }
  io.out.write(opts.json ? `${JSON.stringify(status)}\n` : describeStatus(status));
  return EXIT_CODES.ok;
}

export function registerAlertsCommand(program: Command, io: AlertsIo = { out: process.stdout, err: process.stderr }): Command {
  const alerts = program.command("alerts").description("Runtime alerts pushed to Wiz: their state (received, resolved/unresolved, uploaded, confirmed, linked, dead_lettered) and why");
  const common = (command: Command): Command =>
    command
      .option("--data-dir <dir>", "where the store lives (wizbridge.db)", "./data")
      .option("--store <path>", "the SQLite store file (overrides --data-dir)")
      .option("--json", "print JSON (one object per line)", false);
  common(alerts.command("list").description("List alerts, newest first, with the reason for their state"))
    .option("--state <state>", `only this state: ${RUNTIME_ALERT_STATES.join(", ")}`, stateOption)
    .option("--source <source>", `only this source: ${RUNTIME_SOURCES.join(", ")}`, sourceOption)
    .option("--limit <n>", "at most this many", limitOption, 100)
    .action(async (opts: AlertsCommandOptions) => {
      process.exitCode = await runAlertsList(opts, io);
    });
  common(alerts.command("show").description("Show one alert: state, resolution ladder tried, folded event, upload, issue and note").argument("<id>", "the alert id from the ingest answer or alerts list, or an event id from a Wiz event or note"))
    .action(async (id: string, opts: AlertsCommandOptions) => {
      process.exitCode = await runAlertsShow(id, { ...opts, limit: 1 }, io);
    });
  return alerts;
}
