import { z } from 'zod';

// Client-safe: the invitation page imports these.

/** @sts/console's MIN_PASSWORD_LENGTH (a router test keeps them equal). */
export const MIN_PASSWORD_LENGTH = 12;

/**
 * What the page says of a link that cannot be used, whatever the reason (unknown, used, replaced,
 * expired): @sts/console's INVALID_INVITATION, the message `accept` fails with (a test keeps them
 * equal).
 */
export const INVITATION_UNUSABLE =
  'This invitation link cannot be used: it may have expired, been used already or been replaced by a newer one. Ask an owner of the console for a new link.';

const Token = z.string().min(1).max(256);

export const ZInvitationTokenSchema = z.object({ token: Token });

/** The invitation page's form: the password twice. */
export const ZAcceptInvitationSchema = z
  .object({
    token: Token,
    password: z
      .string()
      .min(MIN_PASSWORD_LENGTH, `At least ${MIN_PASSWORD_LENGTH} characters`)
      .max(1024),
    confirmPassword: z.string().max(1024),
  })
  .refine((v) => v.password === v.confirmPassword, {
    message: 'The two passwords differ',
    path: ['confirmPassword'],
  });
export type TAcceptInvitation = z.output<typeof ZAcceptInvitationSchema>;
