import { setTimeout as sleep } from 'node:timers/promises';
import { ConflictError, type Entity, NotFoundError } from '../errors';

/**
 * Runs a Prisma call, translating its "no such record" (P2025) and "unique constraint" (P2002)
 * errors into this package's NotFoundError and ConflictError for `entity` / `key`. A create that
 * connects its parent names the parent as what is missing (`missing`). A call SQLite refused as
 * busy runs again (whenBusyRetry). Every other error passes unchanged.
 */
export async function translated<T>(
  entity: Entity,
  key: string,
  run: () => Promise<T>,
  missing: [Entity, string] = [entity, key],
): Promise<T> {
  try {
    return await whenBusyRetry(run);
  } catch (err) {
    const code = (err as { code?: unknown } | undefined)?.code;
    if (code === 'P2025') throw new NotFoundError(...missing);
    if (code === 'P2002') throw new ConflictError(entity, key);
    throw err;
  }
}

/**
 * Pauses between attempts, in ms: about 5 s in all (plus jitter), as long as a statement outside
 * a transaction waits for the lock (busy_timeout), so a busy writer in another process (an STS
 * under load) never turns a console change into an error sooner than it would anywhere else.
 */
const BUSY_BACKOFF_MS = [10, 20, 40, 80, 160, 320, 640, 640, 640, 640, 640, 640];

/**
 * Runs `run` (a Prisma call, or a batch `$transaction` it builds afresh) again while SQLite
 * refuses it as busy. Prisma's transactions begin deferred: one that has read and then wants to
 * write while another connection holds the write lock (the STS writing an audit record or a
 * signing key, in another process) gets SQLITE_BUSY at once — SQLite does not wait there, as
 * waiting could deadlock — and is rolled back whole, so running it again is safe.
 */
export async function whenBusyRetry<T>(run: () => Promise<T>): Promise<T> {
  for (const pause of BUSY_BACKOFF_MS) {
    try {
      return await run();
    } catch (err) {
      if (!isBusy(err)) throw err;
      await sleep(pause + Math.random() * pause);
    }
  }
  return run();
}

/** Prisma's P1008 ("operation has timed out") for the driver adapter's SQLITE_BUSY. */
function isBusy(err: unknown): boolean {
  const e = err as
    | { code?: unknown; meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } }
    | undefined;
  return e?.code === 'P1008' && e.meta?.driverAdapterError?.cause?.originalCode === 'SQLITE_BUSY';
}
