import 'server-only';
import {
  type Admin,
  type SsoRefusal,
  sessionAdmin,
  signInWithPassword,
  signInWithSso,
} from '@sts/console';
import { cookies } from 'next/headers';
import { getServerSession, type NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { z } from 'zod';
import { type ConsoleEnv, consoleEnv } from '~/env';
import { safeRedirectUrl } from '~/lib/safe-redirect';
import { consoleServer } from './console';
import { limitedMessage, SignInLimiter, sourceAddress } from './sign-in-limiter';
import { readSsoLinkIntent, SSO_LINK_COOKIE } from './sso-link';

/** What getServerSession returns with the session callback below. */
export interface ConsoleSession {
  adminId?: string;
  /** When the admin signed in, epoch milliseconds. */
  signedInAt?: number;
}

const SignInSchema = z.object({ email: z.email().max(320), password: z.string().min(1).max(1024) });

/** One count of failed sign-ins per console process. */
const globalRef = globalThis as unknown as { stsSignInLimiter?: SignInLimiter };
function signInLimiter(env: ConsoleEnv): SignInLimiter {
  globalRef.stsSignInLimiter ??= new SignInLimiter({
    perAccount: env.CONSOLE_SIGN_IN_ACCOUNT_LIMIT,
    perAddress: env.CONSOLE_SIGN_IN_ADDRESS_LIMIT,
    windowMs: env.CONSOLE_SIGN_IN_WINDOW_SECONDS * 1000,
  });
  return globalRef.stsSignInLimiter;
}

/** The sign-in page's `error` for each refused single sign-on (it says them in words). */
const SSO_ERRORS: Record<SsoRefusal, string> = {
  email_unverified: 'SsoEmailUnverified',
  not_linked: 'SsoNotLinked',
  link_conflict: 'SsoLinkConflict',
  disabled: 'AccessDenied',
};

/**
 * next-auth: e-mail + password for built-in admins, and optionally one OpenID Connect provider
 * (CONSOLE_OIDC_*). Sessions are JWT cookies signed with a key derived from the master key; the
 * token carries only the admin id and when they signed in, and role and tenants are read fresh
 * on every request. A session signed in before the admin's sessions were ended (disabled, a new
 * password, an SSO identity unlinked, "Sign out everywhere") is signed out (decision 0017).
 */
export async function authOptions(): Promise<NextAuthOptions> {
  const env = consoleEnv();
  const { ctx, sessionSecret } = await consoleServer();
  const providers: NextAuthOptions['providers'] = [
    CredentialsProvider({
      id: 'credentials',
      name: 'E-mail and password',
      credentials: { email: { type: 'email' }, password: { type: 'password' } },
      async authorize(raw, req) {
        const input = SignInSchema.safeParse(raw);
        if (!input.success) return null;
        const { email, password } = input.data;
        // Failed attempts are limited per account and per source address (a refusal says how
        // long to wait; the sign-in form shows it).
        const headers = (req?.headers ?? {}) as Record<string, string | undefined>;
        const address = sourceAddress(headers['x-forwarded-for'], env.CONSOLE_TRUSTED_PROXIES);
        const limiter = signInLimiter(env);
        const allowed = limiter.check(email, address);
        if (!allowed.ok) throw new Error(limitedMessage(allowed.retryAfterMs));
        const admin = await signInWithPassword(ctx, email, password);
        if (!admin) {
          limiter.failed(email, address);
          return null;
        }
        limiter.succeeded(email);
        return { id: admin.id, email: admin.email, name: admin.name };
      },
    }),
  ];
  if (env.CONSOLE_OIDC_ISSUER && env.CONSOLE_OIDC_CLIENT_ID) {
    providers.push({
      id: 'oidc',
      name: env.CONSOLE_OIDC_NAME,
      type: 'oauth',
      wellKnown: `${env.CONSOLE_OIDC_ISSUER.replace(/\/+$/, '')}/.well-known/openid-configuration`,
      clientId: env.CONSOLE_OIDC_CLIENT_ID,
      clientSecret: env.CONSOLE_OIDC_CLIENT_SECRET,
      authorization: { params: { scope: 'openid email profile' } },
      idToken: true,
      checks: ['pkce', 'state'],
      // The claims of the verified ID token, completed from the userinfo endpoint when they lack
      // the e-mail: in the code flow, providers that follow OpenID Connect Core 5.4 release the
      // claims of the `email` and `profile` scopes there and not in the ID token. openid-client
      // checks that userinfo's `sub` is the ID token's; the ID token's claims win.
      userinfo: {
        async request({ tokens, client }) {
          // next-auth types the token set as plain parameters; it is openid-client's TokenSet.
          const set = tokens as Extract<Parameters<typeof client.userinfo>[0], object>;
          const claims = set.claims();
          return claims.email ? claims : { ...(await client.userinfo(set)), ...claims };
        },
      },
      profile(profile: { sub: string; email?: string; name?: string }) {
        return { id: profile.sub, email: profile.email ?? null, name: profile.name ?? null };
      },
    });
  }
  /**
   * The admin linking single sign-on: a valid "Link single sign-on" cookie naming the admin who
   * is signed in in this browser now (decision 0014). Used once: the cookie is cleared.
   */
  async function pendingSsoLink(): Promise<Admin | null> {
    const jar = await cookies();
    const intent = jar.get(SSO_LINK_COOKIE)?.value;
    if (!intent) return null;
    jar.delete({ name: SSO_LINK_COOKIE, path: '/api/auth' });
    const adminId = readSsoLinkIntent(sessionSecret, intent, ctx.clock());
    if (!adminId) return null;
    const session = (await getServerSession(options)) as ConsoleSession | null;
    if (!session?.adminId || session.adminId !== adminId) return null;
    return sessionAdmin(ctx, adminId, session.signedInAt);
  }

  const options: NextAuthOptions = {
    secret: sessionSecret,
    session: { strategy: 'jwt', maxAge: 8 * 60 * 60 },
    pages: { signIn: '/sign-in', error: '/sign-in' },
    providers,
    callbacks: {
      async signIn({ user, account, profile }) {
        if (account?.provider !== 'oidc') return true;
        // The verified ID token's claims (completed from userinfo; the ID token's win).
        const claims = (profile ?? {}) as { iss?: unknown; email_verified?: unknown };
        const linking = await pendingSsoLink();
        const fail = (error: string) =>
          `${env.NEXTAUTH_URL}${linking ? '/account' : '/sign-in'}?error=${error}`;
        // No e-mail address, no issuer or subject: nothing names an admin.
        if (typeof claims.iss !== 'string' || !account.providerAccountId || !user.email)
          return fail('AccessDenied');
        const result = await signInWithSso(ctx, {
          issuer: claims.iss,
          subject: account.providerAccountId,
          email: user.email ?? undefined,
          emailVerified: claims.email_verified,
          name: user.name ?? undefined,
          autoCreateRole: env.CONSOLE_OIDC_AUTO_CREATE_ROLE,
          linkTo: linking ?? undefined,
        });
        if (!result.ok) return fail(SSO_ERRORS[result.reason]);
        user.id = result.admin.id;
        return true;
      },
      redirect({ url, baseUrl }) {
        // Every redirect target next-auth is given (callbackUrl) stays on the console.
        return safeRedirectUrl(url, baseUrl);
      },
      async jwt({ token, user }) {
        // Only at sign-in: next-auth re-issues the cookie (and its `iat`) on later requests, so
        // the sign-in time is a claim of its own, compared with the admin's sessionsValidAfter.
        if (user) {
          token.adminId = user.id;
          token.signedInAt = ctx.clock();
        }
        return token;
      },
      async session({ session, token }) {
        const signedInAt = typeof token.signedInAt === 'number' ? token.signedInAt : undefined;
        const admin =
          typeof token.adminId === 'string'
            ? await sessionAdmin(ctx, token.adminId, signedInAt)
            : null;
        // A session that no longer names an enabled admin reads as signed out.
        return {
          ...session,
          user: admin ? { email: admin.email, name: admin.name } : undefined,
          adminId: admin?.id,
          signedInAt: admin ? signedInAt : undefined,
        };
      },
    },
  };
  return options;
}
