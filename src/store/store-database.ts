import Database from "better-sqlite3";
import { closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import { Kysely, SqliteDialect } from "kysely";
import { migrateToLatest } from "./migrations.js";
import { SqlitePageWriter, type PageWriter } from "./page-writer.js";
import { SqliteRuntimeAlertWriter, type RuntimeAlertWriter } from "./runtime-alert-writer.js";
import type { StoreSchema } from "./store-schema.js";
import { WalCheckpointer } from "./wal-checkpointer.js";

export type StoreDb = Kysely<StoreSchema>;

export interface Store {
  readonly db: StoreDb;
  /** The file path, or ":memory:". */
  readonly path: string;
  /** The pull engine's page transaction (outbox + checkpoint). */
  readonly pages: PageWriter;
  /** Runtime intake's group commit of accepted alerts. */
  readonly runtimeAlerts: RuntimeAlertWriter;
  close(): Promise<void>;
}

/**
 * Opens (creating if needed) the embedded SQLite store and runs its migrations. WAL lets the dispatchers
 * read while a page commits; synchronous=NORMAL in WAL mode survives a process crash (kill -9), which is
 * the failure this store is built for, at a fraction of FULL's fsync cost.
 */
export async function openStore(path: string): Promise<Store> {
  const fresh = path !== ":memory:" && !existsSync(path);
  // The store holds Wiz data and, later, credentials: only its owner reads it.
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  if (fresh) closeSync(openSync(path, "a", 0o600));
  const sqlite = new Database(path);
  // New stores only (an existing file keeps its page size): canonical events are 3-4 KB, one per 4 KB page,
  // so every delivered row freed a whole page; at 8 KB two share one (outbox write+read+delete 13.1 -> 11.4 µs).
  sqlite.pragma("page_size = 8192");
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  const db = new Kysely<StoreSchema>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrateToLatest(db as unknown as Kysely<unknown>);
  // Checkpoints run on a worker thread (see WalCheckpointer); SQLite's own, inside a commit, only as a
  // backstop when the WAL passes 128 MiB, or again at its default 1000 pages if that thread fails. A WAL
  // that grew is cut back to 64 MiB when it restarts.
  const checkpointer =
    path === ":memory:"
      ? undefined
      : WalCheckpointer.start(path, {
          onFailure: () => {
            if (sqlite.open) sqlite.pragma("wal_autocheckpoint = 1000");
          },
        });
  if (checkpointer) {
    const pageSize = Number(sqlite.pragma("page_size", { simple: true }));
    sqlite.pragma(`wal_autocheckpoint = ${Math.round((128 * 1024 * 1024) / pageSize)}`);
    sqlite.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
  }
  return {
    db,
    path,
    pages: new SqlitePageWriter(db, sqlite),
    runtimeAlerts: new SqliteRuntimeAlertWriter(db, sqlite),
    close: async () => {
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}
