import 'server-only';
import { sessionAdmin, signInWithPassword, signInWithSso } from '@sts/console';
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { z } from 'zod';
import { consoleEnv } from '~/env';
import { consoleServer } from './console';

const SignInSchema = z.object({ email: z.email().max(320), password: z.string().min(1).max(1024) });

/**
 * next-auth: e-mail + password for built-in admins, and optionally one OpenID Connect provider
 * (CONSOLE_OIDC_*). Sessions are JWT cookies signed with a key derived from the master key; the
 * token carries only the admin id, and role and tenants are read fresh on every request.
 */
export async function authOptions(): Promise<NextAuthOptions> {
  const env = consoleEnv();
  const { ctx, sessionSecret } = await consoleServer();
  const providers: NextAuthOptions['providers'] = [
    CredentialsProvider({
      id: 'credentials',
      name: 'E-mail and password',
      credentials: { email: { type: 'email' }, password: { type: 'password' } },
      async authorize(raw) {
        const input = SignInSchema.safeParse(raw);
        if (!input.success) return null;
        const admin = await signInWithPassword(ctx, input.data.email, input.data.password);
        return admin ? { id: admin.id, email: admin.email, name: admin.name } : null;
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
  return {
    secret: sessionSecret,
    session: { strategy: 'jwt', maxAge: 8 * 60 * 60 },
    pages: { signIn: '/sign-in', error: '/sign-in' },
    providers,
    callbacks: {
      async signIn({ user, account, profile }) {
        if (account?.provider !== 'oidc') return true;
        if (!user.email) return false;
        // Admins are matched by e-mail: an address the provider has not verified proves nothing.
        if ((profile as { email_verified?: unknown } | undefined)?.email_verified === false)
          return false;
        const admin = await signInWithSso(ctx, {
          email: user.email,
          name: user.name ?? undefined,
          autoCreateRole: env.CONSOLE_OIDC_AUTO_CREATE_ROLE,
        });
        if (!admin) return false;
        user.id = admin.id;
        return true;
      },
      async jwt({ token, user }) {
        if (user) token.adminId = user.id;
        return token;
      },
      async session({ session, token }) {
        const admin =
          typeof token.adminId === 'string' ? await sessionAdmin(ctx, token.adminId) : null;
        return {
          ...session,
          user: admin ? { email: admin.email, name: admin.name } : undefined,
          adminId: admin?.id,
        };
      },
    },
  };
}
