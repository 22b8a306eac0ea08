import type { SigningKeySummary } from '@sts/db';

/** Signing key statuses, in the order the console lists them. */
export const KEY_STATUSES = ['active', 'next', 'retiring', 'retired'] as const;

/** A signing key as listed: public parts only (never the encrypted private key). */
export type TSigningKey = SigningKeySummary;

/** The result of "Rotate now". */
export interface TRotatedKey {
  kid: string;
  previousKid: string | null;
}
