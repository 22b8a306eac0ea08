import { ConflictError, type Entity, NotFoundError } from '@sts/db';

/**
 * The console's one error type. Services throw it (or let the storage's NotFoundError and
 * ConflictError through, which toAppError translates); the tRPC layer maps it once, by this
 * table, to a tRPC code and HTTP status. Its message is written for the admin who sees it.
 * Client-safe: pages import the codes.
 */
export const APP_ERRORS = {
  NOT_FOUND: {
    meaning: 'What the request names does not exist, or the admin may not see it',
    trpcCode: 'NOT_FOUND',
    httpStatus: 404,
  },
  CONFLICT: {
    meaning:
      'The change contradicts what is stored (a taken id, a stale view) or a rule of the console (its last owner)',
    trpcCode: 'CONFLICT',
    httpStatus: 409,
  },
  INVALID_INPUT: {
    meaning: 'The input is well-formed but not acceptable; fieldErrors says where',
    trpcCode: 'BAD_REQUEST',
    httpStatus: 400,
  },
  UNAUTHORIZED: { meaning: 'Not signed in', trpcCode: 'UNAUTHORIZED', httpStatus: 401 },
  FORBIDDEN: {
    meaning: 'Signed in, but the role may not do this',
    trpcCode: 'FORBIDDEN',
    httpStatus: 403,
  },
} as const;

export type AppErrorCode = keyof typeof APP_ERRORS;

export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: AppErrorCode,
    message: string,
    /** Messages by form field, as the forms show them next to the field (invalid input, a taken id). */
    readonly fieldErrors?: Record<string, string[]>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const LABEL: Record<Entity, string> = {
  tenant: 'tenant',
  client: 'client',
  trusted_issuer: 'trusted issuer',
  rule: 'rule',
  signing_key: 'signing key',
  admin: 'admin',
  sso_identity: 'single sign-on identity',
  audit_event: 'audit event',
};

/** The form field that names each kind of thing: where a "taken" conflict is shown. */
const KEY_FIELD: Partial<Record<Entity, string>> = {
  tenant: 'id',
  client: 'clientId',
  rule: 'id',
  trusted_issuer: 'issuer',
  admin: 'email',
};

const TAKEN: Partial<Record<Entity, (key: string) => string>> = {
  trusted_issuer: (issuer) => `The issuer ${issuer} is trusted already`,
  admin: (email) => `An admin with the e-mail address ${email} exists already`,
};

/**
 * The AppError an error stands for, or undefined for an unexpected one (an internal error,
 * whose message never reaches the admin).
 */
export function toAppError(err: unknown): AppError | undefined {
  if (err instanceof AppError) return err;
  if (err instanceof NotFoundError)
    return new AppError('NOT_FOUND', `No such ${LABEL[err.entity]}`, undefined, { cause: err });
  if (err instanceof ConflictError) {
    const { entity, key } = err;
    if (key === undefined) return new AppError('CONFLICT', err.message, undefined, { cause: err });
    const message = TAKEN[entity]?.(key) ?? `A ${LABEL[entity]} with id "${key}" already exists`;
    const field = KEY_FIELD[entity];
    return new AppError('CONFLICT', message, field ? { [field]: [message] } : undefined, {
      cause: err,
    });
  }
  return undefined;
}
