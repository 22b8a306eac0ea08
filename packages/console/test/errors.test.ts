import { ConflictError, NotFoundError } from '@sts/db';
import { describe, expect, it } from 'vitest';
import { APP_ERRORS, AppError, toAppError } from '../src/errors';

describe('toAppError', () => {
  it('passes an AppError through', () => {
    const err = new AppError('FORBIDDEN', 'Owners only');
    expect(toAppError(err)).toBe(err);
  });

  it('names what is missing, for people', () => {
    expect(toAppError(new NotFoundError('trusted_issuer', 'https://idp.example'))).toMatchObject({
      code: 'NOT_FOUND',
      message: 'No such trusted issuer',
    });
  });

  it('says which id is taken, or passes the reason of a stale view', () => {
    expect(toAppError(new ConflictError('rule', 'orders'))).toMatchObject({
      code: 'CONFLICT',
      message: 'A rule with id "orders" already exists',
      // Shown next to the field that holds the id.
      fieldErrors: { id: ['A rule with id "orders" already exists'] },
    });
    expect(toAppError(new ConflictError('trusted_issuer', 'https://idp.example'))?.message).toBe(
      'The issuer https://idp.example is trusted already',
    );
    expect(
      toAppError(new ConflictError('rule', undefined, 'The rules changed meanwhile')),
    ).toMatchObject({ code: 'CONFLICT', message: 'The rules changed meanwhile' });
  });

  it('leaves anything else unknown (an internal error)', () => {
    expect(toAppError(new Error('SQLITE_BUSY: database is locked'))).toBeUndefined();
    expect(toAppError('a string')).toBeUndefined();
  });

  it('maps every code to a tRPC code and an HTTP status once', () => {
    for (const entry of Object.values(APP_ERRORS)) {
      expect(entry.meaning).not.toBe('');
      expect(entry.httpStatus).toBeGreaterThanOrEqual(400);
      expect(entry.httpStatus).toBeLessThan(500);
    }
  });
});
