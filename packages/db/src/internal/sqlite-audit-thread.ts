import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { DatabaseUnavailableError } from '../errors';

/**
 * Commits SQLite audit batches on a thread of their own, with a connection of its own: a
 * durable commit waits for the disk (synchronous=FULL: an fsync), and better-sqlite3 waits
 * synchronously; on the main thread that wait would hold up every request of the process. Here
 * the main thread goes on verifying and signing while a batch is written, and the records that
 * arrive meanwhile form the next batch (group commit). The thread also waits for another
 * process's write lock (busy_timeout) without blocking anyone.
 *
 * The thread also checkpoints the WAL (copies it into the database file, with an fsync), every
 * CHECKPOINT_ROWS records, right after replying: SQLite's automatic checkpoint is off on every
 * connection of the STS, since it runs inside the commit that crosses its threshold, which would
 * hold up that batch's tokens here, or the whole event loop on the main connection.
 *
 * The worker's code is a string (no separate file to locate in a bundle); it loads better-sqlite3
 * from where this package resolves it.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { timeout: workerData.busyTimeoutMs });
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('foreign_keys = ON');
db.pragma('wal_autocheckpoint = 0');
const insert = db.prepare(workerData.insertSql);
const insertAll = db.transaction((rows) => { for (const row of rows) insert.run(row); });
let sinceCheckpoint = 0;
parentPort.on('message', (message) => {
  if (message.close) { db.close(); parentPort.close(); return; }
  try {
    insertAll.immediate(message.rows);
    parentPort.postMessage({ id: message.id });
  } catch (err) {
    parentPort.postMessage({ id: message.id, error: { message: String(err && err.message), code: err && err.code } });
    return;
  }
  sinceCheckpoint += message.rows.length;
  if (sinceCheckpoint < workerData.checkpointRows) return;
  sinceCheckpoint = 0;
  // After the reply, so no waiting record pays for it. PASSIVE: never waits for readers or other
  // writers; what it cannot copy now, the next one does.
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
});
`;

/** About 1,000 WAL pages (SQLite's default checkpoint threshold) of typical audit records. */
const CHECKPOINT_ROWS = 1000;

export interface SqliteAuditThread {
  /** Inserts the rows (values as SQLite stores them) in one durable transaction. */
  commit(rows: (string | number | null)[][]): Promise<void>;
  /** Closes the thread's connection once the batches sent are written. */
  close(): Promise<void>;
}

export function sqliteAuditThread(
  path: string,
  insertSql: string,
  busyTimeoutMs: number,
): SqliteAuditThread {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { driver, path, insertSql, busyTimeoutMs, checkpointRows: CHECKPOINT_ROWS },
  });
  // An STS that forgets to close its database still exits.
  worker.unref();
  const waiting = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
  let nextId = 0;
  let failed: Error | undefined;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.on('message', (reply: { id: number; error?: { message: string; code?: string } }) => {
    const entry = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (!reply.error) return entry?.resolve();
    const cause = Object.assign(new Error(reply.error.message), { code: reply.error.code });
    entry?.reject(
      reply.error.code === 'SQLITE_BUSY'
        ? new DatabaseUnavailableError('The database is locked by another connection', { cause })
        : cause,
    );
  });
  const failAll = (err: Error) => {
    failed = err;
    for (const entry of waiting.values()) entry.reject(err);
    waiting.clear();
  };
  worker.on('error', failAll);
  worker.on('exit', () => failAll(new Error('the audit writer thread has stopped')));
  return {
    commit(rows) {
      if (failed) return Promise.reject(failed);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, rows });
      });
    },
    async close() {
      worker.postMessage({ close: true });
      await exited;
    },
  };
}
