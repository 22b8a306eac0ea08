import { hashOneTimeToken, hashPassword } from '@sts/crypto';
import { assertPasswordLength } from './admins';
import type { ConsoleContext } from './context';
import { AppError } from './errors';

/**
 * The invitation page (`<console URL>/invite/<token>`, no sign-in): the invitee sets a password
 * with the link's token. A token that is unknown, used, replaced, expired or whose admin is
 * disabled gets one answer, which never says which of these it is, and changes nothing.
 */

export const INVALID_INVITATION =
  'This invitation link cannot be used: it may have expired, been used already or been replaced by a newer one. Ask an owner of the console for a new link.';

/** The e-mail address a usable invitation is for, or null. */
export async function checkInvitation(
  ctx: ConsoleContext,
  token: string,
): Promise<{ email: string } | null> {
  const admin = await ctx.db.admins.findInvitation(hashOneTimeToken(token), new Date(ctx.clock()));
  return admin ? { email: admin.email } : null;
}

/**
 * Sets the invitee's password (at least 12 characters) and ends the invitation: the link works
 * once. Recorded as `admin.accept_invitation` by the invitee. NOT_FOUND for a link that cannot be
 * used.
 */
export async function acceptInvitation(
  ctx: ConsoleContext,
  token: string,
  password: string,
): Promise<{ email: string }> {
  assertPasswordLength(password);
  const passwordHash = await hashPassword(password);
  const admin = await ctx.db.admins.acceptInvitation(
    hashOneTimeToken(token),
    passwordHash,
    new Date(ctx.clock()),
    (invitee) => ({
      actor: { id: invitee.id, email: invitee.email },
      action: 'admin.accept_invitation',
      target: invitee.email,
    }),
  );
  if (!admin) throw new AppError('NOT_FOUND', INVALID_INVITATION);
  return { email: admin.email };
}
