/**
 * What the sign-in and Account pages say for next-auth's `?error=` codes (the console's own
 * codes come from its signIn callback and its sign-in limit). Unknown codes get a generic line.
 */
const MESSAGES: Record<string, string> = {
  AccessDenied: 'This account may not sign in to the console. Ask an owner to add you.',
  SsoEmailUnverified:
    'Your identity provider has not verified your e-mail address, so it cannot sign you in here.',
  SsoNotLinked:
    'This single sign-on account is not linked to a console admin. If you have a password, sign in with it and link single sign-on on your Account page; otherwise ask an owner.',
  SsoLinkConflict:
    'That single sign-on account is linked to another admin already, or you have one linked: unlink it first.',
};

export function signInErrorMessage(code: string | null | undefined): string | undefined {
  if (!code) return undefined;
  const limited = /^SignInLimited:(\d+)$/.exec(code);
  if (limited)
    return `Too many failed sign-ins. Try again in ${limited[1]} minute${limited[1] === '1' ? '' : 's'}.`;
  return MESSAGES[code] ?? 'Sign-in failed. Try again.';
}
