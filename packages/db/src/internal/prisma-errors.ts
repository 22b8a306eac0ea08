import { ConflictError, type Entity, NotFoundError } from '../errors';

/**
 * Runs a Prisma call, translating its "no such record" (P2025) and "unique constraint" (P2002)
 * errors into this package's NotFoundError and ConflictError for `entity` / `key`. A create that
 * connects its parent names the parent as what is missing (`missing`). Every other error passes
 * unchanged.
 */
export async function translated<T>(
  entity: Entity,
  key: string,
  run: () => Promise<T>,
  missing: [Entity, string] = [entity, key],
): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const code = (err as { code?: unknown } | undefined)?.code;
    if (code === 'P2025') throw new NotFoundError(...missing);
    if (code === 'P2002') throw new ConflictError(entity, key);
    throw err;
  }
}
