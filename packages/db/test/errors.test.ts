import { describe, expect, it, vi } from 'vitest';
import {
  ConflictError,
  DbError,
  MigrationError,
  NotFoundError,
  StoredDataError,
} from '../src/errors';

describe('errors', () => {
  it('are recognised by their class and its bases, and by nothing else', () => {
    const notFound = new NotFoundError('client', 'gateway');
    expect(notFound).toBeInstanceOf(NotFoundError);
    expect(notFound).toBeInstanceOf(DbError);
    expect(notFound).toBeInstanceOf(Error);
    expect(notFound).not.toBeInstanceOf(ConflictError);
    expect(notFound).toMatchObject({
      name: 'NotFoundError',
      entity: 'client',
      key: 'gateway',
      message: 'client "gateway" does not exist',
    });
    expect(new ConflictError('client', 'gateway')).not.toBeInstanceOf(NotFoundError);
    expect(new MigrationError('bad')).not.toBeInstanceOf(StoredDataError);
    expect(new Error('plain')).not.toBeInstanceOf(DbError);
    expect(Object.assign(new Error('lookalike'), { name: 'NotFoundError' })).not.toBeInstanceOf(
      NotFoundError,
    );
    expect(null).not.toBeInstanceOf(DbError);
  });

  it('are recognised across copies of the module (one process, several bundles)', async () => {
    vi.resetModules();
    const copy = await import('../src/errors');
    expect(copy.NotFoundError).not.toBe(NotFoundError);
    const thrownByCopy = new copy.NotFoundError('client', 'gateway');
    expect(thrownByCopy).toBeInstanceOf(NotFoundError);
    expect(thrownByCopy).toBeInstanceOf(DbError);
    expect(thrownByCopy).not.toBeInstanceOf(ConflictError);
    expect(new copy.ConflictError('tenant', 'acme')).toBeInstanceOf(ConflictError);
    expect(new NotFoundError('tenant', 'acme')).toBeInstanceOf(copy.NotFoundError);
  });
});
